"""Country insights: marked stale when check-ins arrive, recomputed per country by the scheduler.

A burst of check-ins for one country costs one recomputation of that country on the next tick,
never a recomputation of the world per check-in. Each result is stored with its
`country.insights_updated.v1` event in one write (outbox).
"""
from __future__ import annotations

from datetime import datetime

from services.monitoring.domain.insights import country_insight
from shared import topics
from shared.events import new_event
from shared.http import iso
from shared.outbox import outbox_push


class InsightsRepository:
    def __init__(self, db, cases, k: int):
        self.insights = db["country_insights"]
        self.cases = cases
        self.k = k

    def mark_dirty(self, country: str, now: datetime) -> None:
        """Note that the country's figures changed (cheap: one counter increment)."""
        self.insights.update_one({"_id": country}, {"$inc": {"changes": 1}, "$set": {"changed_at": now},
                                                    "$setOnInsert": {"computed_changes": 0}}, upsert=True)

    def case_changed(self, case: dict, now: datetime) -> None:
        self.mark_dirty(case["country"], now)

    def case_removed(self, returnee_id: str, country: str, now: datetime) -> None:
        self.mark_dirty(country, now)

    def stale(self) -> list[dict]:
        return [d for d in self.insights.find({}, {"changes": 1, "computed_changes": 1})
                if d.get("changes", 0) > d.get("computed_changes", 0)]

    def recompute(self, country: str, changes: int, now: datetime) -> dict:
        """Recompute one country's insight and queue its event, unless someone did it meanwhile."""
        cases = list(self.cases.find({"country": country, "checkins.0": {"$exists": True}}))
        insight = {**country_insight(country, cases, self.k, iso(now)), "version": changes}
        event = new_event("monitoring", "country.insights_updated.v1", country, insight, now)
        self.insights.update_one({"_id": country, "computed_changes": {"$lt": changes}},
                                 {"$set": {"computed_changes": changes, "insight": insight},
                                  "$push": outbox_push(topics.INSIGHTS, event)})
        return insight

    def get(self, country: str) -> dict | None:
        doc = self.insights.find_one({"_id": country}, {"insight": 1})
        return doc.get("insight") if doc else None


def refresh_stale(repo: InsightsRepository, now: datetime) -> int:
    """The scheduler's part: recompute each country whose check-ins changed since the last run."""
    stale = repo.stale()
    for doc in stale:
        repo.recompute(doc["_id"], doc["changes"], now)
    return len(stale)


def empty_insight(country: str, k: int) -> dict:
    return {"country": country, "returnees": 0, "checkins": 0, "suppressed": True, "k": k, "updated_at": None}
