"""The worker's mail loop: queued entries into the delivery log, each due mail claimed, sent, recorded.

A mail is claimed before it is sent (state `sending` for `CLAIM_SECONDS`), so two senders (two rounds,
two worker replicas) never send it twice; a sender that dies between sending and recording leaves the
claim to run out and the mail is sent again (at least once, as the events). A refusal or a failure is
retried after `BACKOFF_SECONDS[n]` and, after the last, marked `failed` (the log shows it and the error).
A sent mail keeps its address, kind and times, not its texts.

`digest()`: the mails that wait for the daily digest (the recipient chose it) go out as one mail per
address and language, each as one line, once a day at `digest_hour` in `digest_time_zone` (called every
round, it does nothing before that hour or once the day's run is done). The day's run is claimed in the store
before anything is sent (`claim_digest_day`): of two replicas, one sends the day's digests. A worker started
after the hour on a day whose run nobody took sends it then (a day missed while it was down is caught up).
"""
from __future__ import annotations

import logging
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from ulid import ULID

from shared.mail.repository import MailRepository
from shared.mail.smtp import AbstractTransport, MailSettings, build_message
from shared.mail.texts import render_digest

log = logging.getLogger(__name__)

BACKOFF_SECONDS = (30, 120, 600, 3600, 21600)  # waits after each failure; one more failure gives up
CLAIM_SECONDS = 120


class MailSender:
    def __init__(self, repo: MailRepository, transport: AbstractTransport | None, clock, settings: MailSettings,
                 batch: int = 50, backoff=BACKOFF_SECONDS, digest_link: dict | None = None):
        self.repo, self.transport, self.clock, self.settings = repo, transport, clock, settings
        self.batch, self.backoff = batch, tuple(backoff)
        self.digest_link = digest_link or {}  # language -> the page the digest links to
        self.sent = self.failures = 0
        self.zone = ZoneInfo(settings.digest_time_zone)
        self.last_digest_day = None  # the day whose run this sender took or found taken

    def tick(self) -> int:
        """One round: collect what writes queued, then send what is due (nothing without a transport)."""
        self.collect()
        return self.send_due() if self.transport is not None else 0

    def collect(self) -> int:
        now = self.clock.now()
        return sum(self.repo.enqueue(cls, doc_id, entry, now) for cls, doc_id, entry in self.repo.queued(self.batch))

    def send_due(self) -> int:
        sent = 0
        for mail_id in self.repo.due(self.clock.now(), self.batch):
            sent += self.attempt(mail_id)
        return sent

    def attempt(self, mail_id: str) -> bool:
        now = self.clock.now()
        mail = self.repo.claim(mail_id, now, now + timedelta(seconds=CLAIM_SECONDS))
        if mail is None:
            return False  # another sender has it
        try:
            self.transport.send(build_message(mail, self.settings.sender, now))
        except Exception as exc:  # noqa: BLE001 - any failure is retried, then given up
            self.failures += 1
            error = f"{type(exc).__name__}: {exc}"
            if mail["attempts"] <= len(self.backoff):
                self.repo.retry(mail_id, self.clock.now() + timedelta(seconds=self.backoff[mail["attempts"] - 1]),
                                error)
            else:
                self.repo.failed(mail_id, error)
            log.warning("mail %s (%s) not sent, attempt %s: %s", mail_id, mail["kind"], mail["attempts"], error)
            return False
        self.repo.sent(mail_id, self.clock.now())
        self.sent += 1
        return True

    def digest_day(self, now: datetime) -> str | None:
        """The day whose digest is due at `now` (local `YYYY-MM-DD`), None before the hour or when done."""
        local = now.astimezone(self.zone)
        day = local.date().isoformat()
        if local.time() < self.settings.digest_hour or day == self.last_digest_day:
            return None
        return day

    def digest(self) -> int:
        """The day's digest when it is due and no other sender took it; returns the digests queued."""
        now = self.clock.now()
        day = self.digest_day(now)
        if day is None:
            return 0
        self.last_digest_day = day
        if not self.repo.claim_digest_day(day, now):
            return 0  # another replica sends today's
        queued = self.send_digests(now)
        self.repo.digest_done(day, queued)
        return queued

    def send_digests(self, now: datetime) -> int:
        """One digest mail per address and language for what waits."""
        queued = 0
        for (to, lang), mails in self.repo.waiting_digest().items():
            unsubscribe = next((m.get("unsubscribe") for m in mails if m.get("unsubscribe")), "")
            rendered = render_digest(lang, [m["line"] or m["subject"] for m in mails], self.digest_link.get(lang, ""),
                                     settings=unsubscribe)
            entry = {"id": f"mail_{ULID()}", "to": to, "kind": "digest", "lang": lang, "subject": rendered.subject,
                     "text": rendered.text, "html": rendered.html, "unsubscribe": unsubscribe}
            if self.repo.add_digest(entry, now):
                self.repo.digested([m["_id"] for m in mails], entry["id"])
                queued += 1
        return queued
