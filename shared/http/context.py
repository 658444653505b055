"""What a running service shares with its views."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable

from flask import current_app, g

from shared import idempotency as idem
from shared.auth import Principal, TokenVerifier
from shared.clock import Clock, SystemClock

if TYPE_CHECKING:  # the limiter lives in security, which needs this module
    from shared.http.security import RateLimiter


@dataclass
class Runtime:
    """What a running service shares with its views: settings, store, auth, clock, health probes."""

    settings: Any
    db: Any
    verifier: TokenVerifier
    clock: Clock = field(default_factory=SystemClock)
    broker_state: Callable[[], str] = lambda: "unknown"
    outbox_backlog: Callable[[], int] = lambda: 0
    idempotency: idem.IdempotencyStore | None = None
    extras: dict = field(default_factory=dict)
    limiter: "RateLimiter | None" = None
    counters: Callable[[], dict] = lambda: {}  # background loop counters, for /metrics


def runtime() -> Runtime:
    return current_app.extensions["homeward"]


def principal() -> Principal:
    return g.principal
