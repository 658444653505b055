"""MongoDB access for monitoring: one case per returnee, saved with its outbox in one write."""
from __future__ import annotations

from pymongo import ASCENDING
from pymongo.database import Database
from pymongo.errors import DuplicateKeyError

from shared import topics
from shared.outbox import outbox_push
from shared.store import SEEN_CAP

BOOKKEEPING = ("_id", "outbox", "seen_events", "version")


class CaseRepository:
    def __init__(self, db: Database):
        self.cases = db["cases"]
        self.cases.create_index([("state", ASCENDING), ("next_check_on", ASCENDING)])
        self.cases.create_index([("partner_id", ASCENDING), ("_id", ASCENDING)])
        self.cases.create_index([("country", ASCENDING), ("_id", ASCENDING)])
        self.cases.create_index([("alerts.id", ASCENDING)])

    def get(self, returnee_id: str) -> dict | None:
        return self.cases.find_one({"_id": returnee_id})

    def find_by_alert(self, alert_id: str) -> dict | None:
        return self.cases.find_one({"alerts.id": alert_id})

    def due_for_judgement(self, today_iso: str) -> list[str]:
        return [d["_id"] for d in self.cases.find(
            {"state": {"$in": ["awaiting_arrival", "active"]}, "next_check_on": {"$ne": None, "$lte": today_iso}},
            {"_id": 1})]

    def save(self, case: dict, events: list, event_id: str | None = None, new: bool = False) -> bool:
        """Write the case and its events; False when someone else wrote it first (compare-and-set)."""
        state = {k: v for k, v in case.items() if k not in BOOKKEEPING}
        push = outbox_push(topics.MONITORING, *events) if events else {}
        if new:
            doc = {"_id": case["_id"], **state, "version": 1,
                   "outbox": push.get("outbox", {}).get("$each", []),
                   "seen_events": [event_id] if event_id else []}
            try:
                self.cases.insert_one(doc)
                return True
            except DuplicateKeyError:
                return False
        if event_id:
            push["seen_events"] = {"$each": [event_id], "$slice": -SEEN_CAP}
        update = {"$set": state, "$inc": {"version": 1}}
        if push:
            update["$push"] = push
        result = self.cases.update_one({"_id": case["_id"], "version": case.get("version", 0)}, update)
        return result.modified_count == 1
