"""MongoDB access for intake: one returnee, one document (state, outbox, seen events)."""
from __future__ import annotations

from pymongo import ASCENDING
from pymongo.database import Database

from shared.store import to_date, to_datetime

DATE_FIELDS = ("date_of_birth", "planned_departure_date", "departed_on", "arrived_on")


class ReturneeRepository:
    def __init__(self, db: Database):
        self.returnees = db["returnees"]
        self.insights = db["country_insights"]
        self.keys = db["personal_keys"]  # one key per returnee: destroying it shreds every sealed copy
        self.returnees.create_index([("status", ASCENDING), ("_id", ASCENDING)])
        self.returnees.create_index([("country_of_return", ASCENDING), ("_id", ASCENDING)])

    def get(self, returnee_id: str) -> dict | None:
        return self.returnees.find_one({"_id": returnee_id, "erased": {"$ne": True}})

    def personal_key(self, returnee_id: str, make_key) -> str:
        """The returnee's sealing key, created on first use."""
        doc = self.keys.find_one_and_update({"_id": returnee_id}, {"$setOnInsert": {"key": make_key()}},
                                            upsert=True, return_document=True)
        return doc["key"]

    def destroy_personal_key(self, returnee_id: str) -> None:
        self.keys.delete_one({"_id": returnee_id})

    def change(self, returnee: dict, changes: dict, push: dict | None = None) -> bool:
        """Compare-and-set on status and version: the change and its events land together or not at all."""
        update = {"$set": changes, "$inc": {"version": 1}}
        if push:
            update["$push"] = push
        result = self.returnees.update_one(
            {"_id": returnee["_id"], "status": returnee["status"], "version": returnee.get("version", 0)},
            update)
        return result.modified_count == 1


def to_document(data: dict) -> dict:
    """API data -> stored fields (dates as datetimes; BSON has no date type)."""
    doc = dict(data)
    for name in DATE_FIELDS:
        if isinstance(doc.get(name), type(None)):
            continue
        if name in doc:
            doc[name] = to_datetime(doc[name])
    if doc.get("consent") and doc["consent"].get("given_on"):
        doc["consent"] = {**doc["consent"], "given_on": to_datetime(doc["consent"]["given_on"])}
    return doc


def from_document(doc: dict) -> dict:
    out = {k: v for k, v in doc.items() if k not in ("_id", "outbox", "seen_events", "version")}
    out["id"] = doc["_id"]
    for name in DATE_FIELDS:
        if name in out:
            out[name] = to_date(out[name])
    if out.get("consent") and out["consent"].get("given_on"):
        out["consent"] = {**out["consent"], "given_on": to_date(out["consent"]["given_on"])}
    out.setdefault("monitoring", {"next_due_on": None, "latest_index": None, "open_alerts": 0})
    return out
