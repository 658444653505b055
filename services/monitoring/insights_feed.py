"""Country insights follow the cases beside the requests, not inside them.

A case write that changes what an insight is built from hands the case, as written, to the feed
(`changed`); the feed's loop wakes, lingers a moment so that the changes arriving together form one
batch (INSIGHT_FEED_LINGER_SECONDS), and gives the batch to the insights repository, which adds it to
each country's totals in one write and publishes when the release rule says so.

Nothing is lost when the process stops with changes still held: the case is stored, and the repair
that runs when the worker starts (and every INSIGHT_REPAIR_SECONDS) rebuilds the totals from the
cases. A publication is delayed by the linger at most, well inside the one second it has to reach
intake.
"""
from __future__ import annotations

import atexit
import logging
import threading
from typing import Callable

log = logging.getLogger(__name__)


class InsightsFeed:
    thread_name = "insights-feed"

    def __init__(self, follow: Callable[[list[dict]], None], linger: float = 0.05, batch: int = 50):
        self.follow = follow  # hands a batch of cases to the insights (InsightsRepository.cases_changed)
        self.linger = linger
        self.batch = batch
        self._held: dict[str, dict] = {}  # returnee id -> the newest state of the case handed over
        self._lock = threading.Lock()
        self._following = threading.Lock()  # one batch at a time: `run_once` returns when all is followed
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def changed(self, case: dict) -> None:
        """A case was written with changes the insights are built from."""
        returnee_id = case.get("returnee_id") or case["_id"]
        with self._lock:
            held = self._held.get(returnee_id)
            if held is None or case.get("version", 0) >= held.get("version", 0):
                self._held[returnee_id] = case
        self._wake.set()

    def idle(self) -> bool:
        """Nothing held and no batch being followed (for tests and benchmarks)."""
        with self._lock:
            held = bool(self._held)
        return not held and not self._following.locked()

    def run_once(self) -> int:
        """Hand over everything held, a batch at a time, and return when it is followed (also what
        the feed's thread was following meanwhile); returns how many cases this call handed over."""
        followed = 0
        with self._following:
            while True:
                with self._lock:
                    ids = list(self._held)[:self.batch]
                    cases = [self._held.pop(returnee_id) for returnee_id in ids]
                if not cases:
                    return followed
                self.follow(cases)  # never raises: what fails is left to the next change or the repair
                followed += len(cases)

    def start(self) -> None:
        """Start the feed's thread once (inside `create_app()` or the worker, never at import)."""
        with self._lock:
            if self._thread is not None:
                return
            self._thread = threading.Thread(target=self._run, name=self.thread_name, daemon=True)
        self._thread.start()
        atexit.register(self.close)

    def _run(self) -> None:
        while not self._stop.is_set():
            if self._wake.wait(1.0):
                if self.linger > 0:
                    self._stop.wait(self.linger)  # let the changes arriving together join this batch
                self._wake.clear()
                try:
                    self.run_once()
                except Exception:  # noqa: BLE001 - the cases are stored; the repair catches up
                    log.exception("insights feed: a batch failed")

    def close(self) -> None:
        """Stop the thread and follow what is still held."""
        self._stop.set()
        self._wake.set()
        self.run_once()
