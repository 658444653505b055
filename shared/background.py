"""A service's background work: the outbox relay, the consumer and periodic jobs, as threads.

The worker entry point (`python -m services.<svc>.worker`) runs them until SIGTERM/SIGINT. In the
embedded mode the API process runs the same loops as daemon threads (EMBEDDED_WORKERS=1).
"""
from __future__ import annotations

import logging
import threading

from shared.freshness import mark_writer
from shared.kafka import ConsumerLoop, Publisher, ensure_topics
from shared.loops import Loops, every, run_until_signalled
from shared.outbox import OutboxRelay
from shared.topics import ALL

log = logging.getLogger(__name__)


class Background:
    def __init__(self, settings, publisher: Publisher, relay: OutboxRelay, topics=(), dispatch=None,
                 periodic=(), gauges=lambda: {}, mark=None):
        """`gauges`: the service's own gauges for /metrics ({name: value}); `mark`: the document class that
        keeps the consumer's caught-up moment (`shared.freshness`), for a service whose API shows copies."""
        self.settings = settings
        self.publisher = publisher
        self.relay = relay
        self.consumer = ConsumerLoop(settings, [settings.topic(t) for t in topics], dispatch,
                                     publisher) if topics else None
        self.periodic = list(periodic)
        if mark is not None and self.consumer is not None:
            self.periodic.append(mark_writer(mark, self.consumer))
        self.service_gauges = gauges
        self.loops = Loops()

    def start(self) -> Loops:
        if not self.settings.production:
            # in the background: an unreachable broker must not hold up the API's start
            threading.Thread(target=self._ensure_topics, daemon=True).start()
        self.loops.start("outbox-relay", lambda stop: self.relay.run(stop, self.settings.relay_interval_seconds))
        if self.consumer is not None:
            self.loops.start("consumer", self.consumer.run)
        for name, interval, tick in self.periodic:
            self.loops.start(name, every(interval, tick))
        return self.loops

    def _ensure_topics(self) -> None:
        try:
            ensure_topics(self.settings.kafka_bootstrap_servers, [self.settings.topic(t) for t in ALL])
        except Exception:  # noqa: BLE001 - topics are auto-created on first use too
            log.warning("could not create topics now", exc_info=True)

    def broker_state(self) -> str:
        """What this process's relay and consumer see of the broker now."""
        if (self.consumer is not None and self.consumer.connected()) or self.publisher.connected():
            return "connected"
        return "not connected"

    def gauges(self) -> dict:
        """What waits now: the outbox (documents, and the oldest event's age in seconds, 0 when none waits),
        the consumer's lag in records (0 where no consumer runs), and the service's own gauges."""
        return {"outbox_backlog": self.relay.backlog(), "outbox_oldest_age_seconds": self.relay.oldest_age() or 0.0,
                "consumer_lag": self.consumer.lag if self.consumer else 0, **self.service_gauges()}

    def counters(self) -> dict:
        """What this process's loops have done (zero where a loop does not run here)."""
        consumer = self.consumer
        return {"events_processed": consumer.processed if consumer else 0,
                "events_dead_lettered": consumer.dead_lettered if consumer else 0,
                "events_published": self.relay.published}

    def run_forever(self) -> None:
        """The worker process: loops until SIGTERM/SIGINT; metrics on WORKER_METRICS_PORT when set."""
        run_worker(self.loops, self.start, self.gauges, self.counters)

    def close(self) -> None:
        self.loops.shutdown()
        self.publisher.close()


def run_worker(loops: Loops, start, gauges, counters, environ=None) -> None:
    """A worker process (a service's `Background`, web's notifications): serve `gauges()` and `counters()` on
    WORKER_METRICS_PORT when set (any path answers: the health check and the liveness probe ask it), start the
    loops, and block until SIGTERM/SIGINT stops them."""
    from shared.config import env_int
    from shared.metrics import serve_worker_metrics

    port = env_int("WORKER_METRICS_PORT", 0, environ)

    def begin() -> None:
        if port:
            serve_worker_metrics(port, gauges, counters)
        start()

    run_until_signalled(loops, begin)  # a SIGTERM right after the first scrape stops it cleanly


def housekeeping(settings, idempotency, audit) -> tuple:
    """The periodic job that expires idempotency keys and prunes the audit log past its retention."""

    def tick() -> None:
        idempotency.purge_expired()
        audit.prune()

    return ("housekeeping", settings.housekeeping_interval_seconds, tick)
