"""The document store: pymongo against MONGODB_URI, or an in-process mongomock store when unset.

Every service gets its own client and database object (passed to its repositories), so three
services can live in one test process without sharing a store. One command writes one document:
mongomock has no transactions, and the design does not need them.
"""
from __future__ import annotations

from datetime import date, datetime, time, timezone

from pymongo import WriteConcern
from pymongo.database import Database

SEEN_CAP = 200  # remembered event ids per document; redelivery is of recent events


def connect(settings) -> Database:
    """Open the service's database (no connection is made at import time)."""
    if settings.mongodb_uri:
        from pymongo import MongoClient

        client = MongoClient(settings.mongodb_uri, tz_aware=True, uuidRepresentation="standard",
                             serverSelectionTimeoutMS=5000)
    else:
        import mongomock

        client = mongomock.MongoClient(tz_aware=True, uuidRepresentation="standard")
    concern = WriteConcern(w="majority") if settings.write_concern_majority else None
    return client.get_database(settings.mongodb_db, write_concern=concern)


def ping(db: Database) -> bool:
    try:
        db.command("ping")
        return True
    except Exception:  # noqa: BLE001 - readiness reports any failure as "not ready"
        return False


def apply_once(collection, selector: dict, update: dict, event_id: str) -> bool:
    """Apply `update` unless the document already applied `event_id`, recording it in the same write.

    Returns True when the effect was applied now, False when it had been applied before or no
    document matches `selector`.
    """
    update = {**update}
    push = dict(update.get("$push", {}))
    push["seen_events"] = {"$each": [event_id], "$slice": -SEEN_CAP}
    update["$push"] = push
    result = collection.update_one({**selector, "seen_events": {"$ne": event_id}}, update)
    return result.modified_count == 1


def to_datetime(day: date) -> datetime:
    """BSON has no date type: days are stored as midnight UTC."""
    return datetime.combine(day, time(0), tzinfo=timezone.utc)


def to_date(value) -> date | None:
    if value is None:
        return None
    return value.date() if isinstance(value, datetime) else value
