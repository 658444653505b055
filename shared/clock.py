"""Time is injected: code asks a Clock, so tests can walk through a year in seconds."""
from __future__ import annotations

import threading
from abc import ABC, abstractmethod
from datetime import date, datetime, timedelta, timezone
from shared.dates import aware


class Clock(ABC):
    @abstractmethod
    def now(self) -> datetime:
        """The current time, timezone-aware UTC."""

    def today(self) -> date:
        return self.now().date()


class SystemClock(Clock):
    def now(self) -> datetime:
        return datetime.now(timezone.utc)


class ManualClock(Clock):
    """A clock that moves only when told to (tests, simulations)."""

    def __init__(self, start: datetime):
        self._now = aware(start)
        self._lock = threading.Lock()

    def now(self) -> datetime:
        with self._lock:
            return self._now

    def advance(self, **delta) -> datetime:
        with self._lock:
            self._now += timedelta(**delta)
            return self._now

    def set(self, moment: datetime) -> None:
        with self._lock:
            self._now = aware(moment)


# "Today" depends on where one stands: from UTC-12 to UTC+14. A date a person enters where they are
# is judged against that whole range, so a partner east of Greenwich can enter today's date just after
# its midnight, and an arrival entered in the west is not "before" an acceptance stored in UTC.
def latest_local_day(now: datetime) -> date:
    """The latest calendar date anywhere on Earth at the UTC moment `now`: later is the future everywhere."""
    return (now + timedelta(hours=14)).date()


def earliest_local_day(moment: datetime) -> date:
    """The earliest calendar date anywhere on Earth at the UTC moment `moment`."""
    return (moment - timedelta(hours=12)).date()
