"""Who is calling: bearer tokens to a Principal, roles per endpoint, and per-client rate limits."""
from __future__ import annotations

import functools
import threading
import time

from flask import g, request

from shared.auth import InvalidToken
from shared.http.context import runtime
from shared.http.problems import Problem


class RateLimiter:
    """Fixed one-minute windows per client, in this process's memory (a gateway does it across replicas)."""

    def __init__(self, per_minute: int):
        self.per_minute = per_minute
        self._windows: dict[str, tuple[int, int]] = {}
        self._lock = threading.Lock()

    def retry_after(self, key: str, limit: int | None = None) -> int | None:
        """Count one request for `key`; the seconds to wait when over the limit, else None."""
        limit = self.per_minute if limit is None else limit
        if not limit:
            return None
        now = time.time()
        window = int(now // 60)
        with self._lock:
            current, count = self._windows.get(key, (window, 0))
            if current != window:
                current, count = window, 0
            self._windows[key] = (current, count + 1)
            if len(self._windows) > 10_000:  # forget old windows; memory stays bounded
                self._windows = {k: v for k, v in self._windows.items() if v[0] == window}
        return None if count < limit else max(1, int(60 - now % 60))


def too_many(seconds: int) -> Problem:
    return Problem(429, f"Too many requests; retry in {seconds} s.", headers={"Retry-After": str(seconds)})

def require(*roles: str):
    """Authenticate the bearer token and allow only `roles` (401 without a valid token, 403 otherwise)."""

    def decorate(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            header = request.headers.get("Authorization", "")
            scheme, _, token = header.partition(" ")
            if scheme.lower() != "bearer" or not token.strip():
                raise Problem(401, "A bearer token is required.", headers={"WWW-Authenticate": "Bearer"})
            try:
                g.principal = runtime().verifier.verify(token.strip())
            except InvalidToken as exc:
                raise Problem(401, str(exc), headers={"WWW-Authenticate": 'Bearer error="invalid_token"'})
            if g.principal.role not in roles:
                raise Problem(403, f"The role {g.principal.role} may not use this endpoint.")
            limiter = runtime().limiter
            wait = limiter.retry_after(g.principal.org or g.principal.sub) if limiter else None
            if wait:
                raise too_many(wait)
            return view(*args, **kwargs)

        wrapper._homeward_roles = roles  # read by tests that check every route is protected
        return wrapper

    return decorate


def audit_resource(resource_id: str) -> None:
    """Name the case the current request is about, for the audit log (defaults to the URL's id)."""
    g.audit_resource = resource_id
