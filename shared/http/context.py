"""What a running service shares with its views."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from flask import current_app, g

from shared import idempotency as idem
from shared.audit import AuditLog
from shared.auth import Principal, TokenVerifier
from shared.clock import Clock, SystemClock
from shared.http.ratelimit import RateLimiter
from shared.store import ping


@dataclass
class Runtime:
    """What a running service shares with its views: settings, store, auth, clock, health probes."""

    settings: Any
    verifier: TokenVerifier
    store_ok: Callable[[], bool]
    clock: Clock = field(default_factory=SystemClock)
    broker_state: Callable[[], str] = lambda: "unknown"
    outbox_backlog: Callable[[], int] = lambda: 0
    outbox_oldest_age: Callable[[], float | None] = lambda: None  # seconds the oldest waiting event has waited
    idempotency: idem.IdempotencyStore | None = None
    extras: dict = field(default_factory=dict)
    limiter: RateLimiter | None = None
    audit: AuditLog | None = None
    counters: Callable[[], dict] = lambda: {}  # background loop counters, for /metrics
    gauges: Callable[[], dict] = lambda: {}  # background loop gauges (outbox, consumer lag), for /metrics


def runtime() -> Runtime:
    return current_app.extensions["homeward"]


def principal() -> Principal:
    return g.principal


def service_runtime(service, alias: str) -> Runtime:
    """The Runtime of a service's composition root (its settings, verifier, clock, stores, loops)."""
    return Runtime(settings=service.settings, verifier=service.verifier, store_ok=lambda: ping(alias),
                   clock=service.clock, broker_state=service.background.broker_state,
                   outbox_backlog=service.relay.backlog, outbox_oldest_age=service.relay.oldest_age,
                   idempotency=service.idempotency, audit=service.audit,
                   limiter=RateLimiter(service.settings.rate_limit_per_minute,
                                       now=lambda: service.clock.now().timestamp()),
                   counters=service.background.counters, gauges=service.background.gauges,
                   extras={"service": service})
