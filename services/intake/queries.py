"""The queries intake's lists and reports send, as raw filters (the shapes tests/unit/intake check against the
indexes declared in documents.py)."""
from __future__ import annotations

import re
from datetime import date

from services.intake import search
from services.intake.domain import AFTER_ARRIVAL, DEFAULT_TRAJECTORY
from shared.ids import RETURNEE

RETURNEE_ID = re.compile(r"rtn_[0-9a-z]{26}")  # a returnee id, folded as a query's words are


def listed_filter(filters: dict, cursor: str | None = None) -> dict:
    """The query of the returnees `page` lists: not erased, with the filters asked (see `page`), after `cursor`,
    among those `visible` names (a raw filter: the caller's need-to-know)."""
    query: dict = {"erased": {"$ne": True}}
    for name, field in (("status", "status"), ("country", "country_of_return"), ("office", "office"),
                        ("consultant", "consultant")):
        if filters.get(name):
            query[field] = filters[name]
    if filters.get("trajectory") == DEFAULT_TRAJECTORY:  # absent on returnees from before trajectories
        query["trajectory"] = {"$in": [DEFAULT_TRAJECTORY, None]}
    elif filters.get("trajectory"):
        query["trajectory"] = filters["trajectory"]
    ids = {"$gt": cursor} if cursor else {}
    words = search.query_words(filters.get("q") or "")
    if len(words) == 1 and RETURNEE_ID.fullmatch(words[0]):
        returnee_id = RETURNEE + words[0][len(RETURNEE):].upper()
        ids.update({"$gte": returnee_id, "$lte": returnee_id})
    elif words:
        query[search.FIELD] = {"$regex": "^" + re.escape(words[0])}
        if words[1:]:
            query["$and"] = [{search.FIELD: {"$regex": "^" + re.escape(word)}} for word in words[1:]]
    if filters.get("id"):  # read by their ids (the _id index), within the cursor's and a searched id's bounds
        ids = {"$in": sorted(i for i in set(filters["id"]) if _within(i, ids))}
    if ids:
        query["_id"] = ids
    if filters.get("attention_on"):
        query["$or"] = attention(filters["attention_on"])
    if filters.get("visible"):  # need-to-know (services.intake.access.visible_to): beside any `$or` above
        query["$and"] = [*query.get("$and", []), filters["visible"]]
    return query


def _within(key: str, bounds: dict) -> bool:
    return (key > bounds.get("$gt", "") and key >= bounds.get("$gte", "")
            and ("$lte" not in bounds or key <= bounds["$lte"]))


def attention(on: date) -> list[dict]:
    """Who needs attention on a day: open alerts, a check-in overdue, a handover declined, or an arrival the
    partner confirmed without a departure recorded."""
    return [{"monitoring.open_alerts": {"$gt": 0}}, {"monitoring.next_due_on": {"$lt": on.isoformat()}},
            {"status": "handover_declined"}, {"status": {"$in": list(AFTER_ARRIVAL)}, "departed_on": None}]
