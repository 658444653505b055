"""`make run` keeps its embedded broker running: one that dies is started again, and the console says so.

Before, a broker killed under `make run` stayed dead without a word: the services went on acknowledging
writes (safe: they wait in each service's outbox) while nothing travelled between them (issue 22, item 8).
`BrokerSupervisor.check()`, called from the launcher's loop, notices the broker's process has ended, says
so, and starts it again on the same address with the same settings. The embedded broker keeps everything
in memory (it has no data directory to keep), so it comes back empty: the services' producers and
consumers reconnect by themselves, the relays publish what waited in their outboxes and the consumers
read it. An event the broker had accepted but no consumer had read yet when it died is lost with it (in
practice the consumers read within a second); that is why production runs a real Kafka cluster.
A broker that cannot be started again is tried again later, waiting a little longer each time.
"""
from __future__ import annotations

import sys
import time
from typing import Callable, TextIO

FIRST_WAIT, LONGEST_WAIT = 1.0, 30.0  # seconds between attempts to start a broker that would not start


class BrokerSupervisor:
    """Watches an `EmbeddedBroker` (anything with `process`, `start()` and `bootstrap_servers`)."""

    def __init__(self, broker, out: TextIO | None = None, clock: Callable[[], float] = time.monotonic):
        self.broker = broker
        self.out = out
        self.clock = clock
        self.restarts = 0
        self._down_since: float | None = None
        self._next_attempt = 0.0
        self._wait = FIRST_WAIT

    def _say(self, text: str) -> None:
        print(text, file=self.out or sys.stderr, flush=True)

    def check(self) -> bool:
        """Start the broker again if it died; True when it runs (now or again)."""
        process = self.broker.process
        if process is not None and process.poll() is None:
            return True
        now = self.clock()
        if self._down_since is None:
            self._down_since = now
            code = process.returncode if process is not None else None
            self._say(f"the embedded broker at {self.broker.bootstrap_servers} stopped (exit code {code}); "
                      "starting it again. Writes are safe meanwhile: each service keeps its events until the "
                      "broker takes them.")
        if now < self._next_attempt:
            return False
        try:
            self.broker.start()
        except Exception as exc:  # noqa: BLE001 - say it and try again later; the services keep their events
            self._next_attempt = now + self._wait
            self._say(f"the embedded broker did not start again ({exc}); trying again in {self._wait:.0f} s.")
            self._wait = min(self._wait * 2, LONGEST_WAIT)
            return False
        self.restarts += 1
        self._say(f"the embedded broker runs again at {self.broker.bootstrap_servers} "
                  f"(after {self.clock() - self._down_since:.1f} s; restart {self.restarts}). It starts empty "
                  "(memory storage): the services reconnect by themselves and send what waited in their outboxes.")
        self._down_since, self._next_attempt, self._wait = None, 0.0, FIRST_WAIT
        return True
