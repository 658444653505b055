"""Per-client request budgets in this process's memory (a gateway limits across replicas)."""
from __future__ import annotations

import threading
import time
from typing import Callable

from shared.http.problems import Problem
from shared.texts import Text


class RateLimiter:
    """Fixed one-minute windows per client, on the service's clock (`now`: seconds since the epoch)."""

    def __init__(self, per_minute: int, now: Callable[[], float] = time.time):
        self.per_minute = per_minute
        self._now = now
        self._windows: dict[str, tuple[int, int]] = {}
        self._lock = threading.Lock()

    def retry_after(self, key: str, limit: int | None = None) -> int | None:
        """Count one request for `key`; the seconds to wait when over the limit, else None."""
        limit = self.per_minute if limit is None else limit
        if not limit:
            return None
        now = self._now()
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
    return Problem(429, Text("Too many requests; retry in {seconds} s.", seconds=seconds),
                   headers={"Retry-After": str(seconds)})
