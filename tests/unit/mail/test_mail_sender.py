"""The mail seedwork: queued with its cause, moved into the log once, sent once, retried with backoff."""
from __future__ import annotations

import threading
from datetime import date, datetime, timedelta, timezone
from email import message_from_bytes, policy

import mongoengine
import pytest

from shared import store
from shared.clock import ManualClock
from shared.mail.outbox import MailCause, MailRecord, mail_entry, mail_push
from shared.mail.repository import MailRepository
from shared.mail.sender import BACKOFF_SECONDS, MailSender
from shared.mail.smtp import AbstractTransport, MailSettings, build_message
from shared.mail.texts import KINDS, LANGUAGES, render

ALIAS = "mailtest"
START = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)


class Mail(MailRecord):
    meta = {"db_alias": ALIAS, "collection": "mails"}


class Cause(MailCause):
    meta = {"db_alias": ALIAS, "collection": "causes"}


class Recording(AbstractTransport):
    def __init__(self, fail: int = 0):
        self.messages, self.fail = [], fail

    def send(self, message):
        if self.fail:
            self.fail -= 1
            raise ConnectionRefusedError("no server")
        self.messages.append(message)


@pytest.fixture
def repo(settings_for):
    store.connect(settings_for("mailtest"), ALIAS)
    yield MailRepository(Mail, [Cause])
    mongoengine.disconnect(ALIAS)


def queue(kind="safety_concern", to="a@example.org", lang="nl", digest=False, event_id="evt_1"):
    entry = mail_entry(to, kind, lang, render(kind, lang, country="NG", due_on=date(2026, 3, 5),
                                               link="http://web/alerts"), digest=digest)
    Cause.objects(id=event_id).update_one(__raw__={"$setOnInsert": {"type": "t", "received_at": START},
                                                   "$push": mail_push(entry)}, upsert=True)
    return entry


def sender(repo, transport, clock=None):
    return MailSender(repo, transport, clock or ManualClock(START), MailSettings(sender="Homeward <mail@homeward.test>"))


def test_a_queued_mail_is_sent_once_and_leaves_its_cause_and_its_texts(repo):
    entry = queue()
    transport = Recording()
    mails = sender(repo, transport)
    assert mails.tick() == 1 and mails.tick() == 0  # the second round finds nothing to send
    assert len(transport.messages) == 1
    message = transport.messages[0]
    assert message["To"] == "a@example.org" and message["Subject"] == "Veiligheidszorg gemeld"
    assert [part.get_content_type() for part in message.iter_parts()] == ["text/plain", "text/html"]
    assert Cause.objects(id="evt_1").first().mail_outbox == []
    logged = Mail.objects(id=entry["id"]).first()
    assert (logged.state, logged.attempts, logged.text, logged.html) == ("sent", 1, "", "")
    assert logged.sent_at is not None


def test_two_senders_at_once_send_each_mail_once(repo):
    for n in range(10):
        queue(to=f"p{n}@example.org", event_id=f"evt_{n}")
    transport = Recording()
    senders = [sender(repo, transport), sender(repo, transport)]
    threads = [threading.Thread(target=s.tick) for s in senders]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    senders[0].tick(), senders[1].tick()
    assert sorted(m["To"] for m in transport.messages) == sorted(f"p{n}@example.org" for n in range(10))
    assert Mail.objects(state="sent").count() == 10


def test_an_entry_moved_twice_is_logged_once(repo):
    entry = queue()
    assert repo.enqueue(Cause, "evt_1", entry, START) is True
    assert repo.enqueue(Cause, "evt_1", entry, START) is False  # a crash between the move and the pull
    assert Mail.objects.count() == 1


def test_failures_are_retried_on_the_backoff_schedule_then_given_up(repo):
    entry = queue()
    clock = ManualClock(START)
    transport = Recording(fail=len(BACKOFF_SECONDS) + 1)
    mails = sender(repo, transport, clock)
    for wait in BACKOFF_SECONDS:
        mails.tick()
        logged = Mail.objects(id=entry["id"]).first()
        assert logged.state == "pending" and "no server" in logged.last_error
        assert logged.next_attempt_at == clock.now() + timedelta(seconds=wait)
        clock.advance(seconds=wait - 1)
        assert mails.tick() == 0  # not due yet
        clock.advance(seconds=1)
    mails.tick()
    logged = Mail.objects(id=entry["id"]).first()
    assert (logged.state, logged.attempts) == ("failed", len(BACKOFF_SECONDS) + 1)
    assert transport.messages == []


def test_a_retry_after_a_failure_delivers(repo):
    queue()
    clock = ManualClock(START)
    transport = Recording(fail=1)
    mails = sender(repo, transport, clock)
    assert mails.tick() == 0
    clock.advance(seconds=BACKOFF_SECONDS[0])
    assert mails.tick() == 1 and len(transport.messages) == 1


def test_a_sender_that_died_mid_attempt_leaves_the_mail_to_be_sent_again(repo):
    entry = queue()
    mails = sender(repo, Recording())
    mails.collect()
    assert repo.claim(entry["id"], START, START + timedelta(seconds=60)) is not None  # then the process died
    assert mails.send_due() == 0
    mails.clock.advance(seconds=61)
    assert mails.send_due() == 1


def test_without_a_transport_mail_waits_pending(repo):
    entry = queue()
    assert sender(repo, None).tick() == 0
    assert Mail.objects(id=entry["id"]).first().state == "pending"


def test_digest_mails_wait_and_go_out_as_one_per_address(repo):
    queue(kind="checkin_overdue", digest=True, event_id="e1")
    queue(kind="lost_contact", digest=True, event_id="e2")
    queue(kind="checkin_overdue", digest=True, to="b@example.org", lang="fr", event_id="e3")
    transport = Recording()
    mails = sender(repo, transport)
    assert mails.tick() == 0 and transport.messages == []
    assert mails.digest() == 2
    assert mails.tick() == 2
    by_to = {m["To"]: m for m in transport.messages}
    assert by_to["a@example.org"]["Subject"] == "Dagelijks overzicht: 2 meldingen"
    assert by_to["b@example.org"]["Subject"] == "Résumé quotidien : 1 notifications"
    assert Mail.objects(state="digested").count() == 3
    assert mails.digest() == 0  # nothing waits any more


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_kind_renders_in_every_language_with_only_kind_country_date_and_link(kind, lang):
    rendered = render(kind, lang, country="GN", due_on=date(2026, 3, 5), link="https://web.example/alerts/x")
    assert "https://web.example/alerts/x" in rendered.text and 'href="https://web.example/alerts/x"' in rendered.html
    assert {"nl": "Guinee", "en": "Guinea", "fr": "Guinée"}[lang] in rendered.text
    assert {"nl": "maart", "en": "March", "fr": "mars"}[lang] in rendered.text
    if lang != "en":
        assert rendered.subject != render(kind, "en").subject  # translated, not the English msgid
    message = message_from_bytes(build_message({"_id": "mail_1", "to": "x@example.org", "lang": lang,
                                                "subject": rendered.subject, "text": rendered.text,
                                                "html": rendered.html}, "h@homeward.test", START).as_bytes(),
                                 policy=policy.default)
    assert message.get_body(("plain",)).get_content() == rendered.text
    assert message["Content-Language"] == lang


def test_the_gauges_count_what_waits_and_how_long_the_oldest_has(repo):
    assert repo.gauges() == {"mail_pending": 0, "mail_sending": 0, "mail_failed": 0,
                             "mail_oldest_pending_age_seconds": 0.0}
    queue(event_id="e1")
    queue(to="b@example.org", event_id="e2")
    mails = sender(repo, Recording(fail=1))
    mails.tick()  # the first attempt fails and waits for its retry, the second mail is sent
    gauges = repo.gauges()
    assert gauges["mail_pending"] == 1 and gauges["mail_sending"] == 0 and gauges["mail_failed"] == 0
    assert 0.0 <= gauges["mail_oldest_pending_age_seconds"] < 60  # ids are ULIDs of the wall clock
    Mail.objects(state="pending").update(set__state="failed")
    assert repo.gauges()["mail_failed"] == 1 and repo.gauges()["mail_oldest_pending_age_seconds"] == 0.0
