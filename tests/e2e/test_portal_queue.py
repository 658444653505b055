"""The portal's offline queue (services/portal/static/queue.js), its rules run in a real Chromium against real
IndexedDB: a check-in's Idempotency-Key is made once and kept on every retry; a sent item leaves the queue;
an item refused for its content is kept with its errors, and a corrected one gets a new key; a provisional
404 and a lost connection are retried later; one sync at a time; two people's queues stay apart.

Only the portal's static files are needed (no network): the module is loaded from a portal with no APIs.
"""
from __future__ import annotations


import pytest

from services.portal.app import build, create_app
from services.portal.config import PortalSettings
from tests.e2e.conftest import ServedApp

SETUP = """async () => {
  const q = await import('/static/queue.js');
  const db = await q.openDatabase({ name: 'test-' + crypto.randomUUID() });
  window.q = q;
  window.queueOf = (user) => new q.Queue(db, user);
  window.body = (extra = {}) => ({ returnee_id: 'rtn_1', slot: 1, contact_date: '2026-03-01', contact_made: true,
                                   contact_mode: 'phone', ...extra });
  window.answering = (...answers) => {  // a send() that answers each call with the next of `answers`
    const calls = [];
    const send = async (items) => {
      calls.push(items);
      const next = answers.shift();
      if (next instanceof Error) throw next;
      return typeof next === 'function' ? next(items) : next;
    };
    return { send, calls };
  };
  window.each = (status, error) => (items) => ({ status: 200, results: items.map((i) => (
    { idempotency_key: i.idempotency_key, status, ...(error ? { error } : { checkin: { id: 'chk' } }) })) });
}"""


@pytest.fixture(scope="module")
def page(browser):
    served = ServedApp(create_app(portal=build(PortalSettings(mongodb_db="portal_queue_test"))))
    context = browser.new_context()
    page = context.new_page()
    page.goto(served.url + "/healthz")
    yield page
    context.close()
    served.stop()


@pytest.fixture
def js(page):
    page.evaluate(SETUP)
    return page.evaluate


def test_a_key_is_made_once_when_saved_and_kept_on_every_retry(js):
    result = js("""async () => {
      const queue = queueOf('user-a');
      const first = await queue.save(body());
      const second = await queue.save(body({ slot: 3 }));
      const { send, calls } = answering(new TypeError('Failed to fetch'), each(503), each(201));
      const offline = await q.sync(queue, send, { force: true });
      const kept = await queue.get(first.id);
      const down = await q.sync(queue, send, { force: true });
      const sent = await q.sync(queue, send, { force: true });
      return { keys: [first.key, second.key], uuid: /^[0-9a-f-]{36}$/.test(first.key), distinct: first.key !== first.id,
               sentKeys: calls.map((items) => items.map((i) => i.idempotency_key)),
               offline: offline.failed, attemptsAfterOffline: kept.attempts, editable: q.editable(kept),
               down: down.retry.length, sent: sent.sent.length, left: (await queue.all()).length };
    }""")
    keys = result["keys"]
    assert result["uuid"] and result["distinct"] and keys[0] != keys[1]
    assert result["sentKeys"] == [keys, keys, keys]  # the same keys on every try
    assert result["offline"] and result["attemptsAfterOffline"] == 1
    assert result["editable"] is False  # sent without an answer: it may be stored, so it is not changed
    assert (result["down"], result["sent"], result["left"]) == (2, 2, 0)


def test_a_sent_item_leaves_the_queue_and_a_second_sync_sends_nothing(js):
    result = js("""async () => {
      const queue = queueOf('user-b');
      await queue.save(body());
      const { send, calls } = answering(each(201));
      const first = await q.sync(queue, send);
      const second = await q.sync(queue, send, { force: true });
      return { sent: first.sent.length, calls: calls.length, again: second.sent.length, left: (await queue.counts()) };
    }""")
    assert result == {"sent": 1, "calls": 1, "again": 0, "left": {"waiting": 0, "refused": 0, "total": 0}}


def test_an_item_refused_for_its_content_is_kept_with_its_errors_and_a_correction_gets_a_new_key(js):
    result = js("""async () => {
      const queue = queueOf('user-c');
      const item = await queue.save(body({ contact_date: '2020-01-01' }));
      const problem = { type: 'https://homeward.example/problems/422', status: 422, detail: 'The check-in does not fit.',
                        errors: { contact_date: 'Must not be before arrival (2026-02-01).',
                                  'support_delivered.0.amount_eur': 'Not a valid number.' },
                        error_codes: { 'support_delivered.0.amount_eur': 'invalid_number' } };
      const { send, calls } = answering(each(422, problem), each(201));
      const refusedReport = await q.sync(queue, send, { force: true });
      const refused = await queue.get(item.id);
      const notResent = await q.sync(queue, send, { force: true });
      const unchanged = q.edited(refused, refused.body);
      const corrected = await queue.correct(item.id, body({ contact_date: '2026-03-01' }));
      const sent = await q.sync(queue, send);
      return { refused: refusedReport.refused.length, state: refused.state, error: refused.error,
               callsBeforeCorrection: notResent.sent.length + notResent.refused.length,
               unchangedKey: unchanged.key === item.key, newKey: corrected.key !== item.key, keyOfSend: calls[1][0].idempotency_key === corrected.key,
               sent: sent.sent.length, left: (await queue.all()).length };
    }""")
    assert result["refused"] == 1 and result["state"] == "refused"
    assert result["error"] == {"status": 422, "kind": "422", "codes": {
        "contact_date": "invalid", "support_delivered.0.amount_eur": "invalid_number"}}
    assert result["callsBeforeCorrection"] == 0  # a refused item waits for its correction
    assert result["unchangedKey"] and result["newKey"] and result["keyOfSend"]
    assert (result["sent"], result["left"]) == (1, 0)


def test_an_item_never_sent_is_corrected_under_its_own_key(js):
    result = js("""async () => {
      const queue = queueOf('user-d');
      const item = await queue.save(body());
      const changed = await queue.correct(item.id, body({ notes: 'more' }));
      return { same: changed.key === item.key, notes: changed.body.notes };
    }""")
    assert result == {"same": True, "notes": "more"}


def test_a_case_monitoring_does_not_know_yet_is_retried_later_with_the_same_key(js):
    result = js("""async () => {
      const queue = queueOf('user-e');
      const item = await queue.save(body());
      const notYet = { type: 'https://homeward.example/problems/case-not-known-yet', status: 404, retry_after: 120 };
      const { send, calls } = answering(each(404, notYet), each(201));
      const before = Date.now();
      const report = await q.sync(queue, send);
      const kept = await queue.get(item.id);
      const tooSoon = await q.sync(queue, send);
      const later = await q.sync(queue, send, { now: () => kept.nextTryAt + 1 });
      return { retry: report.retry.length, state: kept.state, kind: kept.error.kind,
               waited: kept.nextTryAt - before >= 120000, tooSoon: tooSoon.sent.length, calls: calls.length,
               later: later.sent.length, sameKey: calls.every((c) => c[0].idempotency_key === item.key) };
    }""")
    assert result == {"retry": 1, "state": "waiting", "kind": "case-not-known-yet", "waited": True, "tooSoon": 0,
                      "calls": 2, "later": 1, "sameKey": True}


def test_a_conflict_is_retried_then_kept_for_the_person(js):
    result = js("""async () => {
      const queue = queueOf('user-f');
      const item = await queue.save(body());
      const conflict = { status: 409, type: 'https://homeward.example/problems/409' };
      const { send } = answering(each(409, conflict), each(409, conflict), each(409, conflict));
      const states = [];
      for (let i = 0; i < 3; i += 1) {
        await q.sync(queue, send, { force: true });
        states.push((await queue.get(item.id)).state);
      }
      return states;
    }""")
    assert result == ["waiting", "waiting", "refused"]


def test_what_the_portal_refused_itself_never_reached_monitoring_and_stays_as_it_was(js):
    result = js("""async () => {
      const queue = queueOf('user-g');
      const item = await queue.save(body());
      const { send } = answering({ status: 401, error: 'signed_out' });
      const report = await q.sync(queue, send, { force: true });
      const kept = await queue.get(item.id);
      return { signedOut: report.signedOut, attempts: kept.attempts, editable: q.editable(kept), key: kept.key === item.key };
    }""")
    assert result == {"signedOut": True, "attempts": 0, "editable": True, "key": True}


def test_one_sync_at_a_time_for_a_person(js):
    result = js("""async () => {
      const queue = queueOf('user-h');
      await queue.save(body());
      let release;
      const gate = new Promise((resolve) => { release = resolve; });
      const { send, calls } = answering(async (items) => { await gate; return each(201)(items); });
      const first = q.sync(queue, send, { force: true });
      await new Promise((r) => setTimeout(r, 50));
      const second = await q.sync(queue, send, { force: true });
      release();
      const done = await first;
      return { busy: second.busy, calls: calls.length, sent: done.sent.length };
    }""")
    assert result == {"busy": True, "calls": 1, "sent": 1}


def test_two_peoples_queues_on_one_device_stay_apart(js):
    result = js("""async () => {
      const mine = queueOf('field-worker-1'), theirs = queueOf('field-worker-2');
      const item = await mine.save(body());
      let refused = false;
      try { await theirs.put({ ...item }); } catch (e) { refused = true; }
      const { send, calls } = answering(each(201));
      const report = await q.sync(theirs, send, { force: true });
      return { mine: (await mine.all()).length, theirs: (await theirs.all()).length,
               seen: (await theirs.get(item.id)) === undefined, refused, sent: report.sent.length, calls: calls.length,
               removed: await theirs.remove(item.id).then(async () => (await mine.all()).length) };
    }""")
    assert result == {"mine": 1, "theirs": 0, "seen": True, "refused": True, "sent": 0, "calls": 0, "removed": 1}


def test_waits_double_up_to_ten_minutes_and_respect_retry_after(js):
    waits = js("() => [1, 2, 3, 10, 20].map((n) => q.wait(n)).concat([q.wait(1, 60)])")
    assert waits == [5000, 10000, 20000, 600000, 600000, 60000]


def test_after_a_failed_first_send_the_next_try_is_planned_5_s_later_doubling_and_never_before_retry_after(js):
    result = js("""async () => {
      const queue = queueOf('user-i');
      await queue.save(body());
      const notYet = { type: 'https://homeward.example/problems/case-not-known-yet', status: 404, retry_after: 30 };
      const lost = () => new TypeError('Failed to fetch');
      const { send, calls } = answering(lost(), lost(), each(404, notYet), each(201));
      const t0 = 1_000_000;
      const plans = [q.nextSyncIn(await queue.all(), t0)];  // saved, never sent: at once (the page's shortest plan)
      await q.sync(queue, send, { now: () => t0 });  // no connection: no retry_after
      plans.push(q.nextSyncIn(await queue.all(), t0));
      await q.sync(queue, send, { now: () => t0 + 4_000 });  // not due yet: nothing sent
      await q.sync(queue, send, { now: () => t0 + 5_000 });  // due: lost again
      plans.push(q.nextSyncIn(await queue.all(), t0 + 5_000));
      await q.sync(queue, send, { now: () => t0 + 6_000, force: true });  // back online: sent at once, not known yet
      plans.push(q.nextSyncIn(await queue.all(), t0 + 6_000));
      const forced = await q.sync(queue, send, { now: () => t0 + 35_000, force: true });  // still within retry_after
      const planned = await q.sync(queue, send, { now: () => t0 + 36_000 });
      return { plans, calls: calls.length, forced: forced.sent.length + forced.retry.length, sent: planned.sent.length,
               empty: q.nextSyncIn(await queue.all(), t0 + 36_000) };
    }""")
    assert result["plans"] == [1000, 5000, 10000, 30000]
    assert result["forced"] == 0  # not even a forced sync goes before retry_after
    assert (result["calls"], result["sent"], result["empty"]) == (4, 1, None)
