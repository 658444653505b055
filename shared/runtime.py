"""Background loops (consumer, outbox relay, scheduler) as threads, and the worker process around them.

The worker entry point (`python -m services.<svc>.worker`) runs them until SIGTERM/SIGINT. In the
embedded mode the API process runs the same loops as daemon threads (EMBEDDED_WORKERS=1).
"""
from __future__ import annotations

import logging
import signal
import threading
import time
from typing import Callable

from shared.auth import TokenVerifier, load_private_key

log = logging.getLogger(__name__)


class Loops:
    def __init__(self):
        self.stop = threading.Event()
        self.threads: list[threading.Thread] = []

    def start(self, name: str, target: Callable[[threading.Event], None]) -> None:
        thread = threading.Thread(target=self._guard, args=(name, target), name=name, daemon=True)
        thread.start()
        self.threads.append(thread)

    def _guard(self, name: str, target) -> None:
        while not self.stop.is_set():
            try:
                target(self.stop)
            except Exception:  # noqa: BLE001 - a loop that dies is restarted, never silently gone
                log.exception("loop %s crashed; restarting", name)
                self.stop.wait(1.0)

    def shutdown(self, timeout: float = 5.0) -> None:
        """Stop the loops, waiting at most `timeout` seconds in all (they are daemon threads)."""
        self.stop.set()
        deadline = time.monotonic() + timeout
        for thread in self.threads:
            thread.join(max(0.0, deadline - time.monotonic()))


def every(interval: float, tick: Callable[[], object]) -> Callable[[threading.Event], None]:
    """A loop body that calls `tick` every `interval` seconds, logging (not dying of) its errors."""

    def loop(stop: threading.Event) -> None:
        while not stop.is_set():
            try:
                tick()
            except Exception:  # noqa: BLE001
                log.exception("periodic task failed")
            stop.wait(interval)

    return loop


def run_until_signalled(loops: Loops) -> None:
    """Block the worker process until SIGTERM or SIGINT, then stop the loops cleanly."""
    signal.signal(signal.SIGTERM, lambda *_: loops.stop.set())
    signal.signal(signal.SIGINT, lambda *_: loops.stop.set())
    while not loops.stop.wait(1.0):
        pass
    loops.shutdown()


class LoopCollector:
    """Prometheus: the outbox backlog and the background loops' counters, read at scrape time."""

    def __init__(self, backlog: Callable[[], int], counters: Callable[[], dict]):
        self.backlog = backlog
        self.counters = counters

    def collect(self):
        from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily

        try:
            backlog = self.backlog()
        except Exception:  # noqa: BLE001 - a scrape must not fail because the store hiccups
            backlog = float("nan")
        yield GaugeMetricFamily("homeward_outbox_backlog", "Events stored but not yet published", value=backlog)
        for name, value in self.counters().items():
            yield CounterMetricFamily(f"homeward_{name}", f"{name.replace('_', ' ')} by this process", value=value)


def trusted_public_keys(settings) -> list:
    """The public halves of the local signing key (if any) and of retired keys kept during a rotation."""
    keys = []
    if settings.jwt_signing_key_file:
        keys.append(load_private_key(settings.jwt_signing_key_file,
                                     create_dev_key=not settings.production).public_key())
    keys += [load_private_key(path).public_key() for path in settings.jwt_verification_key_files]
    return keys


class Infrastructure:
    """The adapters every service needs, built in one place (connects nothing at import time)."""

    def __init__(self, settings, clock=None, db=None, publisher=None):
        from shared import logs
        from shared.clock import SystemClock
        from shared.idempotency import IdempotencyStore
        from shared.kafka import Publisher
        from shared.store import connect

        logs.configure()
        self.settings = settings
        self.clock = clock or SystemClock()
        self.db = db if db is not None else connect(settings)
        self.publisher = publisher or Publisher(settings.kafka_bootstrap_servers, f"homeward-{settings.service}")
        # the local keys (also what partners publishes as its JWKS) and the configured key sets
        self.public_keys = trusted_public_keys(settings)
        self.verifier = TokenVerifier(self.public_keys, settings.jwt_jwks_urls, settings.jwt_trusted_issuers)
        self.idempotency = IdempotencyStore(self.db["idempotency_keys"], settings.idempotency_ttl_seconds)
        self.loops = Loops()
        self.relay = None
        self.consumer = None

    def wire(self, outbox_collections, topics, dispatch, periodic=()) -> None:
        """Name what the background loops do: relay these outboxes, consume these topics."""
        from shared.kafka import ConsumerLoop
        from shared.outbox import OutboxRelay

        self.relay = OutboxRelay(outbox_collections, self.publisher)
        self.consumer = ConsumerLoop(self.settings, [self.settings.topic(t) for t in topics], dispatch,
                                     self.publisher) if topics else None
        self.periodic = list(periodic)

    def start_loops(self) -> Loops:
        from shared.kafka import ensure_topics
        from shared.topics import ALL

        if not self.settings.production:
            # in the background: an unreachable broker must not hold up the API's start
            threading.Thread(target=self._ensure_topics, args=(ensure_topics, ALL), daemon=True).start()
        self.loops.start("outbox-relay", lambda stop: self.relay.run(stop, self.settings.relay_interval_seconds))
        if self.consumer is not None:
            self.loops.start("consumer", self.consumer.run)
        for name, interval, tick in self.periodic:
            self.loops.start(name, every(interval, tick))
        return self.loops

    def _ensure_topics(self, ensure_topics, names) -> None:
        try:
            ensure_topics(self.settings.kafka_bootstrap_servers, [self.settings.topic(t) for t in names])
        except Exception:  # noqa: BLE001 - topics are auto-created on first use too
            log.warning("could not create topics now", exc_info=True)

    def runtime(self, **extras):
        from shared.http import RateLimiter, Runtime

        return Runtime(settings=self.settings, db=self.db, verifier=self.verifier, clock=self.clock,
                       broker_state=lambda: "connected" if self.publisher.connected() else "not connected",
                       outbox_backlog=self.relay.backlog, idempotency=self.idempotency, extras=extras,
                       limiter=RateLimiter(self.settings.rate_limit_per_minute), counters=self.counters)

    def counters(self) -> dict:
        """What this process's loops have done (zero where a loop does not run here)."""
        consumer = self.consumer
        return {"events_processed": consumer.processed if consumer else 0,
                "events_dead_lettered": consumer.dead_lettered if consumer else 0,
                "events_published": self.relay.published if self.relay else 0}

    def run_forever(self) -> None:
        """The worker process: loops until SIGTERM/SIGINT; metrics on WORKER_METRICS_PORT when set."""
        from shared.config import env_int

        port = env_int("WORKER_METRICS_PORT", 0)
        if port:
            from prometheus_client import CollectorRegistry, start_http_server

            registry = CollectorRegistry()
            registry.register(LoopCollector(self.relay.backlog, self.counters))
            start_http_server(port, registry=registry)  # any path answers: also a liveness probe
        run_until_signalled(self.start_loops())

    def close(self) -> None:
        self.loops.shutdown()
        self.publisher.close()
