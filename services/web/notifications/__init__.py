"""The staff notifications (issue 21): a consumer of the three services' events in the web service, which
owns the staff accounts, their addresses and their choices, and the mail sender that sends what it queues.

It learns from intake's events who follows each returnee (`Following`), and turns monitoring's alerts
(safety concern, critical domain, lost contact, re-migration, death, check-in overdue) and partners'
declined or expired handovers into mails for that consultant and the office's team address
(`rules.py`). The event's id and its mails are one insert (`Notification`), so a redelivered event
queues nothing twice; the sender (shared.mail.sender) moves them into the delivery log (`StaffMail`) and
sends each once over SMTP. Consumer group `homeward-web`, like the other consumers: retries, then the
dead-letter topic.

The same worker removes the caseload files kept between an import's preview and its confirmation once
they are older than UPLOAD_MINUTES (`kept-uploads`, every minute; PRIVACY.md).

`make run` runs it as threads in the web process (EMBEDDED_WORKERS=1); otherwise
`python -m services.web.worker`.
"""
from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from datetime import timedelta

from services.web import notifications_repository, repository
from services.web.notifications.handlers import HANDLERS
from shared import topics
from shared.kafka import ConsumerLoop, Publisher, dispatcher, ensure_topics
from shared.loops import Loops, every
from shared.mail.sender import MailSender
from shared.mail.smtp import AbstractTransport, SmtpTransport

TOPICS = (topics.RETURNEES, topics.HANDOVERS, topics.MONITORING)
UPLOAD_SWEEP_SECONDS = 60
log = logging.getLogger(__name__)


@dataclass
class Deps:
    clock: object
    web_url: str
    teams: dict  # office -> its team's address


class Notifications:
    def __init__(self, settings, clock, transport: AbstractTransport | None = None, publisher: Publisher | None = None):
        """`settings`: WebSettings (its `kafka`, `mail`, `mail_teams`, `public_url`)."""
        self.settings = settings
        self.deps = Deps(clock, settings.public_url, dict(settings.mail_teams))
        self.publisher = publisher or Publisher(settings.kafka.kafka_bootstrap_servers, "homeward-web")
        self.consumer = ConsumerLoop(settings.kafka, [settings.kafka.topic(t) for t in TOPICS],
                                     dispatcher(HANDLERS, self.deps), self.publisher)
        self.mails = notifications_repository.mail_log()
        mail = settings.mail
        self.sender = MailSender(self.mails, transport or (SmtpTransport(mail) if mail.host else None), clock, mail,
                                 digest_link={lang: f"{settings.public_url}/alerts" for lang in ("nl", "en")})
        self.loops = Loops()

    def start(self) -> Loops:
        if not self.settings.production:  # as the services' workers: topics a fresh broker lacks (in the background)
            threading.Thread(target=self._ensure_topics, daemon=True).start()
        self.loops.start("notifications-consumer", self.consumer.run)
        self.loops.start("mail", every(self.settings.mail.interval_seconds, self.sender.tick))
        self.loops.start("mail-digest", every(self.settings.mail.interval_seconds, self.sender.digest))
        self.loops.start("kept-uploads", every(UPLOAD_SWEEP_SECONDS, self.remove_kept_uploads))
        return self.loops

    def remove_kept_uploads(self) -> int:
        """Delete the kept caseload files older than UPLOAD_MINUTES (never confirmed); how many."""
        return repository.delete_uploads_before(self.deps.clock.now() - timedelta(minutes=repository.UPLOAD_MINUTES))

    def gauges(self) -> dict:
        """For the worker's metrics (WORKER_METRICS_PORT): the consumer's lag and the delivery log's waiting mail."""
        return {"consumer_lag": self.consumer.lag, **self.mails.gauges()}

    def counters(self) -> dict:
        return {"events_processed": self.consumer.processed, "events_dead_lettered": self.consumer.dead_lettered,
                "mails_sent": self.sender.sent, "mail_failures": self.sender.failures}

    def _ensure_topics(self) -> None:
        kafka = self.settings.kafka
        try:
            ensure_topics(kafka.kafka_bootstrap_servers, [kafka.topic(t) for t in TOPICS])
        except Exception:  # noqa: BLE001 - topics are auto-created on first use too
            log.warning("could not create topics now", exc_info=True)

    def close(self) -> None:
        self.loops.shutdown()
        self.publisher.close()
