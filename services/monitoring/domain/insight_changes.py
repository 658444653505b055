"""How one case change moves a country's insight: its per-country parts, summed increments, who is pending.

Pure rules for `services/monitoring/insights_repository.py` (which stores them), beside `insights.py`'s
contributions and totals.
"""
from __future__ import annotations

from collections import Counter
from typing import Iterable

from services.monitoring.domain.insights import calendar_delta, delta, field_key, fingerprint


def parts_of_change(returnee_id: str, change_id: str, old_country: str, old: dict | None, country: str,
           new: dict | None) -> list[dict]:
    """The change as per-country parts: one, or two when the returnee moved to another country."""
    if old_country == country or old is None or new is None:
        moves = [(country if new is not None or not old_country else old_country, old, new)]
    else:
        moves = [(old_country, old, None), (country, None, new)]
    return [{"country": where, "id": change_id, "returnee_id": returnee_id, "inc": delta(before, after),
             "days": calendar_delta(before, after), "old": fingerprint(before), "new": fingerprint(after)}
            for where, before, after in moves]


def summed(increments: Iterable[dict]) -> dict:
    """Several changes' increments as one (counters that sum to zero left out)."""
    total = Counter()
    for each in increments:
        total.update(each)
    return {key: n for key, n in total.items() if n}


def pending_after(pending: dict, part: dict) -> dict:
    """Returnees whose data changed since the last publication, each with its data's fingerprint then."""
    pending = dict(pending)
    key = field_key(part["returnee_id"])
    if key in pending:
        if pending[key] == part["new"]:
            del pending[key]  # back to what was published: nothing of theirs to tell apart
    elif part["old"] != part["new"]:
        pending[key] = part["old"]
    return pending


def empty_insight(country: str, k: int) -> dict:
    return {"country": country, "returnees": 0, "checkins": 0, "suppressed": True, "k": k, "updated_at": None}
