"""Background loops as threads that restart when they crash, and a periodic-task loop body."""
from __future__ import annotations

import logging
import signal
import threading
import time
from typing import Callable

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


def run_until_signalled(loops: Loops, start: Callable[[], object] = lambda: None) -> None:
    """Block the worker process until SIGTERM or SIGINT, then stop the loops cleanly. The handlers are in place
    before `start()` (the loops, the metrics server) runs, so a signal that comes while starting stops it too."""
    signal.signal(signal.SIGTERM, lambda *_: loops.stop.set())
    signal.signal(signal.SIGINT, lambda *_: loops.stop.set())
    start()
    while not loops.stop.wait(1.0):
        pass
    loops.shutdown()
