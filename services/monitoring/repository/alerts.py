"""Monitoring's alert reads: the alerts are embedded in their cases, so a list or a count is an aggregation that
picks the cases by an index (one entry per alert: the status and type of an alert a case holds, its country,
consultant or office), unwinds their alerts and keeps those asked for. It costs the alerts that match, never
the caseload."""
from __future__ import annotations

from dataclasses import dataclass, replace

from services.monitoring import documents as docs
from services.monitoring.documents import Case
from services.monitoring.domain.alerts import SERIOUSNESS
from shared import document_dicts as dicts


@dataclass(frozen=True)
class AlertFilters:
    statuses: tuple[str, ...] = ()  # any of these (none: every status)
    type: str | None = None
    country: str | None = None
    returnee_id: str | None = None
    consultant: str | None = None  # who follows the client (from intake's events)
    office: str | None = None
    visible: dict | None = None  # need-to-know: a raw filter of the cases (shared.access.visible_filter)


class AlertReads:
    """The alert list and counts of CaseRepository (which gives `find_by_alert`)."""

    def alerts_page(self, filters: AlertFilters, cursor: str | None, limit: int, order: str = "oldest") -> dict:
        if order == "worklist":
            return self._worklist_page(filters, cursor, limit)
        rows = self._alerts(filters, [{"$sort": {"alerts.id": 1}}, {"$limit": limit + 1}], after=cursor)
        items = [_case_and_alert(row) for row in rows[:limit]]
        return {"items": items, "next_cursor": items[-1][1]["id"] if len(rows) > limit else None}

    def _worklist_page(self, filters: AlertFilters, cursor: str | None, limit: int) -> dict:
        """One indexed read per type, most serious first, until the page is full (at most one per type)."""
        types, bound = list(SERIOUSNESS if filters.type is None else (filters.type,)), None
        if cursor:  # the page goes on after the cursor's alert: in its type, then in the types after it
            case = self.find_by_alert(cursor)
            last = next((a for a in case["alerts"] if a["id"] == cursor), None) if case else None
            if last is None or last["type"] not in types:
                return {"items": [], "next_cursor": None}
            types, bound = types[types.index(last["type"]):], cursor
        rows = []
        for type_ in types:
            found = self._alerts(replace(filters, type=type_), [{"$sort": {"alerts.id": -1}},
                                                                {"$limit": limit + 1 - len(rows)}], before=bound)
            rows += found
            bound = None
            if len(rows) > limit:
                break
        items = [_case_and_alert(row) for row in rows[:limit]]
        return {"items": items, "next_cursor": items[-1][1]["id"] if len(rows) > limit else None}

    def alert_counts(self, filters: AlertFilters) -> dict[tuple[str, str], int]:
        rows = self._alerts(filters, [{"$group": {"_id": {"country": "$country", "type": "$alerts.type"},
                                                  "n": {"$sum": 1}}}])
        return {(row["_id"]["country"] or "", row["_id"]["type"]): row["n"] for row in rows}

    @staticmethod
    def _alerts(filters: AlertFilters, stages: list, after: str | None = None, before: str | None = None) -> list:
        """The alerts of `filters` (one row per alert: the case's ids and `alerts`, the alert), then `stages`.
        The first `$match` picks the cases by an index (the status and type of an alert they hold, their
        country, consultant or office); the second, after `$unwind`, the alerts themselves."""
        cases, alerts = {}, {}
        if filters.statuses:
            cases["alerts.status"] = alerts["alerts.status"] = {"$in": list(filters.statuses)}
        if filters.type:
            cases["alerts.type"] = alerts["alerts.type"] = filters.type
        for name in ("country", "consultant", "office"):
            if getattr(filters, name):
                cases[name] = getattr(filters, name)
        if filters.returnee_id:
            cases["_id"] = filters.returnee_id
        if filters.visible:
            cases["$and"] = [filters.visible]
        if not cases:
            cases["alerts.0"] = {"$exists": True}
        if after or before:
            alerts["alerts.id"] = {"$gt": after} if after else {"$lt": before}
        pipeline = [{"$match": cases},
                    {"$project": {"returnee_id": 1, "country": 1, "partner_id": 1, "alerts": 1}},
                    {"$unwind": "$alerts"}, {"$match": alerts}, *stages]
        return list(Case.objects.aggregate(pipeline))



def _case_and_alert(row: dict) -> tuple[dict, dict]:
    return ({k: row.get(k) for k in ("returnee_id", "country", "partner_id")}, dicts.to_domain(docs.Alert, row["alerts"]))
