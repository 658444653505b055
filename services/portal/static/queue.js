// The device's queue of check-ins waiting to be sent: its rules (plain functions, tested in a real browser
// by tests/e2e/test_portal_queue.py) and its storage (IndexedDB, one record per check-in, each filed
// under the person who saved it: a second field worker on the same device never sees the first's).
//
// Keys. A check-in gets its Idempotency-Key (crypto.randomUUID()) when it is first saved, and keeps it on
// every retry: monitoring stores a check-in once per key, so no retry, reload or second tab stores it twice.
// A refusal for its content (422, and any final 4xx) may itself be stored under the key, and a key sent
// again with another body is refused, so a check-in corrected after a refusal is a new request with a new
// key (the refused one stored nothing). A check-in that was sent and got no answer (no connection, a
// timeout) may have been stored: it is not editable until an answer comes, and is retried with its key.
//
// Results. 201 (or the stored answer replayed) -> removed, reported as sent. 404 `case-not-known-yet`
// (monitoring has no case yet), 429, 5xx, no connection -> kept and retried later, with a growing wait:
// 5 s after the first try, doubling to 10 minutes, and never sooner than an answer's `retry_after`, not
// even when the connection comes back or the person asks to send now (`notBefore`; a lost connection has
// no `retry_after`: then coming back online sends at once). The page plans its next sync for the moment
// the first item falls due (`nextSyncIn`).
// 409 (another request with this key still running, or the month already recorded) -> retried a few times,
// then kept for the person to look at. Any other refusal (400, 403, 404, 422) -> kept with its errors,
// field by field, until the person corrects it.

export const DB_NAME = 'homeward-portal';
export const STORE = 'checkins';
export const MOST_PER_SEND = 50;
export const FIRST_WAIT = 5_000;
export const LONGEST_WAIT = 10 * 60_000;
export const CONFLICT_WAIT = 30_000;
export const CONFLICTS_KEPT = 3;
export const SHORTEST_PLAN = 1_000;  // the page never plans its next sync sooner (another tab may be sending)
const NOT_KNOWN_YET = 'case-not-known-yet';

// --- rules ------------------------------------------------------------------------------------------

/** JSON with sorted keys: two bodies with the same content give the same text. */
export function stable(value) {
  if (Array.isArray(value)) return `[${value.map(stable).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${stable(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

export function sameBody(a, b) {
  return stable(a) === stable(b);
}

const randomId = () => crypto.randomUUID();

/** A new check-in on the device: its Idempotency-Key is made here, once. */
export function newItem(user, body, { now = Date.now(), uuid = randomId, label = '' } = {}) {
  return { id: uuid(), user, key: uuid(), body, label, state: 'waiting', attempts: 0, conflicts: 0,
           nextTryAt: 0, savedAt: now, error: null };
}

/** Whether the person may change it: refused, or never sent (a check-in sent without an answer may be stored). */
export function editable(item) {
  return item.state === 'refused' || item.attempts === 0;
}

/** The check-in as corrected: the same key while it was never sent or its body did not change, else a new one. */
export function edited(item, body, { uuid = randomId, now = Date.now() } = {}) {
  if (!editable(item)) throw new Error('This check-in may have reached monitoring: wait for its answer.');
  if (sameBody(item.body, body)) return { ...item, state: 'waiting', nextTryAt: 0, editedAt: now };
  const key = item.attempts === 0 ? item.key : uuid();
  return { ...item, body, key, state: 'waiting', attempts: 0, conflicts: 0, nextTryAt: 0, notBefore: 0, error: null,
           editedAt: now };
}

/** How long to wait before the next try: doubling from FIRST_WAIT up to LONGEST_WAIT, never under Retry-After. */
export function wait(attempts, retryAfterSeconds = 0) {
  const doubling = Math.min(LONGEST_WAIT, FIRST_WAIT * 2 ** Math.max(0, attempts - 1));
  return Math.max(doubling, (Number(retryAfterSeconds) || 0) * 1000);
}

/** Whether a sync sends it now: a waiting item past its wait (with `force`, e.g. back online: past any
 * `retry_after` the answers gave). */
export function isDue(item, now = Date.now(), force = false) {
  return item.state === 'waiting' && (force ? (item.notBefore ?? 0) : item.nextTryAt) <= now;
}

/** Milliseconds until the page should sync again (the first waiting item's wait, at least SHORTEST_PLAN);
 * null when nothing waits. */
export function nextSyncIn(items, now = Date.now()) {
  const due = items.filter((item) => item.state === 'waiting').map((item) => item.nextTryAt ?? 0);
  return due.length ? Math.max(SHORTEST_PLAN, Math.min(...due) - now) : null;
}

/** The item as it is about to be sent: counted, and not tried again before its wait even without an answer. */
export function attempted(item, now = Date.now()) {
  const attempts = item.attempts + 1;
  return { ...item, attempts, lastTriedAt: now, nextTryAt: now + wait(attempts) };
}

function problemKind(result) {
  const type = String(result.error?.type ?? '').replace(/\/$/, '');
  const last = type.slice(type.lastIndexOf('/') + 1);
  return last === NOT_KNOWN_YET ? NOT_KNOWN_YET : String(result.status);
}

/** What a result means for its item: 'sent', 'retry', 'conflict' or 'refused'. */
export function classify(result) {
  const status = Number(result?.status);
  if (status === 200 || status === 201) return 'sent';
  if (status === 404 && problemKind(result) === NOT_KNOWN_YET) return 'retry';
  if (status === 409) return 'conflict';
  if (status === 429 || status >= 500 || !status) return 'retry';
  return 'refused';
}

/** {status, kind, codes: {field path: message code}} of a refusal, kept with the item. */
export function errorOf(result) {
  const problem = result.error ?? {};
  const codes = {};
  for (const path of Object.keys(problem.errors ?? {})) codes[path] = problem.error_codes?.[path] ?? 'invalid';
  return { status: Number(result.status), kind: problemKind(result), codes };
}

/** The item after its result: null when it was sent (it leaves the queue), else the item as kept. */
export function afterResult(item, result, now = Date.now()) {
  const outcome = classify(result);
  if (outcome === 'sent') return null;
  const error = errorOf(result);
  if (outcome === 'retry') {
    const notBefore = now + (Number(result.error?.retry_after) || 0) * 1000;
    return { ...item, state: 'waiting', error, notBefore, nextTryAt: now + wait(item.attempts, result.error?.retry_after) };
  }
  if (outcome === 'conflict') {
    const conflicts = (item.conflicts ?? 0) + 1;
    if (conflicts < CONFLICTS_KEPT) {
      return { ...item, state: 'waiting', conflicts, error,
               nextTryAt: now + Math.max(wait(item.attempts), CONFLICT_WAIT * conflicts) };
    }
    return { ...item, state: 'refused', conflicts, error };
  }
  return { ...item, state: 'refused', error };
}

// --- storage ----------------------------------------------------------------------------------------

function done(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

export function openDatabase({ indexedDB = globalThis.indexedDB, name = DB_NAME } = {}) {
  const request = indexedDB.open(name, 1);
  request.onupgradeneeded = () => {
    const store = request.result.createObjectStore(STORE, { keyPath: 'id' });
    store.createIndex('user', 'user');
  };
  return done(request);
}

export class Queue {
  constructor(db, user) {
    if (!user) throw new Error('a queue belongs to a person');
    this.db = db;
    this.user = user;
  }

  store(mode) {
    return this.db.transaction(STORE, mode).objectStore(STORE);
  }

  /** This person's check-ins, the oldest first. */
  async all() {
    const items = await done(this.store('readonly').index('user').getAll(this.user));
    return items.sort((a, b) => a.savedAt - b.savedAt);
  }

  async get(id) {
    const item = await done(this.store('readonly').get(id));
    return item && item.user === this.user ? item : undefined;
  }

  async put(item) {
    if (item.user !== this.user) throw new Error("another person's check-in");
    await done(this.store('readwrite').put(item));
    return item;
  }

  async remove(id) {
    if (await this.get(id)) await done(this.store('readwrite').delete(id));
  }

  async counts() {
    const items = await this.all();
    return { waiting: items.filter((i) => i.state === 'waiting').length,
             refused: items.filter((i) => i.state === 'refused').length, total: items.length };
  }

  async save(body, options = {}) {
    return this.put(newItem(this.user, body, options));
  }

  async correct(id, body, options = {}) {
    const item = await this.get(id);
    if (!item) throw new Error('no such check-in on this device');
    return this.put(edited(item, body, options));
  }
}

export async function openQueue(user, options = {}) {
  return new Queue(await openDatabase(options), user);
}

// --- sending ----------------------------------------------------------------------------------------

const NOT_FORWARDED = new Set([400, 401, 403, 413]);  // the portal refused the request itself: nothing reached monitoring

/**
 * Send the person's due check-ins (with `force`, e.g. when the connection comes back, all waiting ones but those
 * an answer's `retry_after` still holds back) through
 * `send(items)` -> {status, results}, and keep or remove each by its result. One sync at a time per person
 * over all tabs (a Web Lock); a second caller gets {busy: true} at once.
 * Answers {sent: [items], retry: [items], refused: [items], failed, signedOut, busy}.
 */
export async function sync(queue, send, { now = Date.now, force = false, locks = globalThis.navigator?.locks } = {}) {
  const run = async () => {
    const report = { sent: [], retry: [], refused: [], failed: false, signedOut: false, busy: false };
    const due = (await queue.all()).filter((item) => isDue(item, now(), force));
    for (let start = 0; start < due.length; start += MOST_PER_SEND) {
      const before = due.slice(start, start + MOST_PER_SEND);
      const chunk = before.map((item) => attempted(item, now()));
      for (const item of chunk) await queue.put(item);
      let answer;
      try {
        answer = await send(chunk.map((item) => ({ idempotency_key: item.key, checkin: item.body })));
      } catch (error) {
        report.failed = true;  // no answer: they may have arrived; kept, with their key, for later
        break;
      }
      if (NOT_FORWARDED.has(answer.status)) {
        for (const item of before) await queue.put(item);
        report.signedOut = answer.status === 401;
        report.failed = true;
        break;
      }
      if (answer.status !== 200 || !Array.isArray(answer.results)) {
        report.failed = true;
        break;
      }
      for (const [i, item] of chunk.entries()) {
        const result = answer.results.find((r) => r.idempotency_key === item.key) ?? answer.results[i];
        const kept = afterResult(item, result ?? {}, now());
        if (kept === null) {
          await queue.remove(item.id);
          report.sent.push(item);
        } else {
          await queue.put(kept);
          report[kept.state === 'refused' ? 'refused' : 'retry'].push(kept);
        }
      }
    }
    return report;
  };
  if (!locks?.request) return run();
  return locks.request(`homeward-portal-sync:${queue.user}`, { ifAvailable: true },
    async (lock) => (lock ? run() : { sent: [], retry: [], refused: [], failed: false, signedOut: false, busy: true }));
}
