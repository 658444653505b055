"""The one date convention of the house.

- Instants are timezone-aware UTC `datetime`s everywhere in the code; a naive one read back from a
  store (mongomock and BSON keep no zone) is UTC: `aware()`.
- Days are `date`s in the domain and ISO `YYYY-MM-DD` strings in JSON and in monitoring's case dicts;
  BSON has no date type, so a stored day is midnight UTC: `day_start()` writes it, `as_day()` reads it.
"""
from __future__ import annotations

from datetime import date, datetime, time, timezone


def aware(moment: datetime) -> datetime:
    """`moment` with its zone; a naive one (as a store gives it back) is UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def day_start(day: date) -> datetime:
    """A day as stored: midnight UTC."""
    return datetime.combine(day, time(0), tzinfo=timezone.utc)


def as_day(value) -> date | None:
    """A stored day (midnight UTC, or already a date) as a date; None stays None."""
    if value is None:
        return None
    return value.date() if isinstance(value, datetime) else value


def iso_day(value) -> str | None:
    """A day or instant as `YYYY-MM-DD`; None stays None."""
    return value.isoformat()[:10] if value is not None else None


def iso_instant(moment: datetime) -> str:
    """An instant as ISO 8601 in UTC with `Z`, as the APIs write them."""
    return aware(moment).astimezone(timezone.utc).isoformat().replace("+00:00", "Z")
