"""Small helpers shared by integration and e2e tests."""
from __future__ import annotations

import time


def eventually(check, timeout: float = 20.0, interval: float = 0.1, message: str = "condition"):
    """Call `check` until it returns something truthy; fail with `message` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = check()
        if last:
            return last
        time.sleep(interval)
    raise AssertionError(f"{message} not reached in {timeout} s (last value: {last!r})")
