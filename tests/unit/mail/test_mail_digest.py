"""The daily digest: once a day at DIGEST_HOUR in DIGEST_TIME_ZONE, and once over every sender replica (the day's
run is claimed in the store before anything is sent); real SMTP to the local aiosmtpd server."""
from __future__ import annotations

import threading
from datetime import date, datetime, time, timezone
from email import message_from_bytes, policy

import mongoengine
import pytest

from shared import store
from shared.clock import ManualClock
from shared.config import ConfigError
from shared.mail.outbox import DigestRun, mail_entry, mail_push
from shared.mail.repository import MailRepository
from shared.mail.sender import MailSender
from shared.mail.smtp import MailSettings, SmtpTransport
from shared.mail.texts import line, render
from tests.helpers import eventually
from tests.unit.mail.test_mail_sender import ALIAS, Cause, Mail

# 2 March 2026: Amsterdam is UTC+1, so 07:00 there is 06:00 UTC
BEFORE = datetime(2026, 3, 2, 5, 59, tzinfo=timezone.utc)
AT_SEVEN = datetime(2026, 3, 2, 6, 0, tzinfo=timezone.utc)


class Run(DigestRun):
    meta = {"db_alias": ALIAS, "collection": "digest_runs"}


@pytest.fixture
def repo(settings_for):
    store.connect(settings_for("mailtest"), ALIAS)
    yield MailRepository(Mail, [Cause], Run)
    mongoengine.disconnect(ALIAS)


def wait_for_digest(to="a@example.org", event_id="evt_1", lang="en"):
    link = "http://portal/cases"
    entry = mail_entry(to, "checkin_overdue", lang, render("checkin_overdue", lang, "GN", date(2026, 3, 5), link),
                       digest=True, line=line("checkin_overdue", lang, "GN", date(2026, 3, 5), link),
                       unsubscribe="http://portal/mail")
    Cause.objects(id=event_id).update_one(__raw__={"$setOnInsert": {"type": "t", "received_at": BEFORE},
                                                   "$push": mail_push(entry)}, upsert=True)


def sender(repo, clock, transport=None, **settings):
    return MailSender(repo, transport, clock, MailSettings(sender="Homeward <mail@homeward.test>", **settings))


def test_two_sender_replicas_on_one_store_send_each_digest_once_over_real_smtp(repo, smtp_server):
    controller, directory = smtp_server
    wait_for_digest("a@example.org", "e1"), wait_for_digest("a@example.org", "e2"), wait_for_digest("b@example.org", "e3")
    clock = ManualClock(AT_SEVEN)
    smtp = MailSettings(host="127.0.0.1", port=controller.port, sender="Homeward <mail@homeward.test>")
    replicas = [MailSender(repo, SmtpTransport(smtp), clock, smtp) for _ in range(2)]
    for replica in replicas:
        replica.collect()
    barrier = threading.Barrier(2)
    queued = []

    def run(replica):
        barrier.wait()
        queued.append(replica.digest())
        replica.tick()

    threads = [threading.Thread(target=run, args=(r,)) for r in replicas]
    [t.start() for t in threads], [t.join() for t in threads]
    assert sorted(queued) == [0, 2]  # one replica took the day, the other found it taken
    for replica in replicas:
        replica.tick(), replica.digest()
    files = eventually(lambda: sorted(directory.glob("*.eml")) if len(list(directory.glob("*.eml"))) >= 2 else None,
                       message="two digests")
    received = [message_from_bytes(f.read_bytes(), policy=policy.default) for f in files]
    assert sorted(m["To"] for m in received) == ["a@example.org", "b@example.org"]  # one each, not two
    by_to = {m["To"]: m for m in received}
    assert by_to["a@example.org"]["Subject"] == "Daily summary: 2 notifications"
    assert by_to["a@example.org"]["List-Unsubscribe"] == "<http://portal/mail>"
    assert Mail.objects(kind="digest").count() == 2 and Run.objects.count() == 1


def test_the_digest_waits_for_the_hour_and_goes_once_a_day(repo):
    wait_for_digest()
    clock = ManualClock(BEFORE)
    mails = sender(repo, clock)
    mails.collect()
    assert mails.digest() == 0  # 06:59 in Amsterdam
    clock.set(AT_SEVEN)
    assert mails.digest() == 1
    wait_for_digest(event_id="e2")
    mails.collect()
    clock.advance(hours=10)
    assert mails.digest() == 0  # the same day: the new one waits for tomorrow's
    assert sender(repo, clock).digest() == 0  # a worker restarted that day does not send it either
    clock.set(datetime(2026, 3, 3, 6, 0, tzinfo=timezone.utc))
    assert mails.digest() == 1
    assert Mail.objects(kind="digest").count() == 2


def test_a_worker_started_after_the_hour_sends_the_day_nobody_sent(repo):
    wait_for_digest()
    clock = ManualClock(datetime(2026, 3, 2, 15, 0, tzinfo=timezone.utc))
    mails = sender(repo, clock)
    mails.collect()
    assert mails.digest() == 1


def test_the_hour_is_local_summer_time_and_configurable(repo):
    wait_for_digest()
    clock = ManualClock(datetime(2026, 7, 1, 6, 29, tzinfo=timezone.utc))  # 08:29 in Amsterdam (UTC+2)
    mails = sender(repo, clock, digest_hour=time(8, 30))
    mails.collect()
    assert mails.digest() == 0
    clock.advance(minutes=1)
    assert mails.digest() == 1
    wait_for_digest(event_id="e2")
    other = sender(repo, ManualClock(datetime(2026, 7, 1, 23, 30, tzinfo=timezone.utc)))  # 01:30 on 2 July there
    other.collect()
    assert other.digest() == 0  # before 07:00 of 2 July


@pytest.mark.parametrize("env,hour,zone", [({}, time(7, 0), "Europe/Amsterdam"),
                                           ({"DIGEST_HOUR": "18:45", "DIGEST_TIME_ZONE": "Africa/Conakry"},
                                            time(18, 45), "Africa/Conakry"),
                                           ({"DIGEST_HOUR": "6"}, time(6, 0), "Europe/Amsterdam")])
def test_digest_settings(env, hour, zone):
    settings = MailSettings.from_env(env)
    assert (settings.digest_hour, settings.digest_time_zone) == (hour, zone)


@pytest.mark.parametrize("env", [{"DIGEST_HOUR": "25:00"}, {"DIGEST_HOUR": "seven"}, {"DIGEST_TIME_ZONE": "Mars/Base"}])
def test_wrong_digest_settings_refuse_to_start(env):
    with pytest.raises(ConfigError):
        MailSettings.from_env(env)
