"""The worker's mail loop: queued entries into the delivery log, each due mail claimed, sent, recorded.

A mail is claimed before it is sent (state `sending` for `CLAIM_SECONDS`), so two senders (two rounds,
two worker replicas) never send it twice; a sender that dies between sending and recording leaves the
claim to run out and the mail is sent again (at least once, as the events). A refusal or a failure is
retried after `BACKOFF_SECONDS[n]` and, after the last, marked `failed` (the log shows it and the error).
A sent mail keeps its address, kind and times, not its texts.

`digest()`: the mails that wait for the daily digest (the recipient chose it) go out as one mail per
address and language, each as one line.
"""
from __future__ import annotations

import logging
from datetime import timedelta

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

    def digest(self) -> int:
        """One digest mail per address and language for what waits; returns the digests queued."""
        now, queued = self.clock.now(), 0
        for (to, lang), mails in self.repo.waiting_digest().items():
            rendered = render_digest(lang, [m["line"] or m["subject"] for m in mails], self.digest_link.get(lang, ""))
            entry = {"id": f"mail_{ULID()}", "to": to, "kind": "digest", "lang": lang, "subject": rendered.subject,
                     "text": rendered.text, "html": rendered.html}
            if self.repo.add_digest(entry, now):
                self.repo.digested([m["_id"] for m in mails], entry["id"])
                queued += 1
        return queued
