"""The document store: mongoengine over MongoDB at MONGODB_URI, or over an in-process store.

Each service connects its own alias (its service name) in its composition root, and each of its
`Document` classes names that alias in `meta`, so three services can share one test process
without sharing a store. One command writes one document: mongomock has no transactions, and the
design does not need them (state and outbox live in the same document).
"""
from __future__ import annotations

from typing import Callable

import mongoengine
from ulid import ULID

from shared.embedded_store import EmbeddedMongoClient
from shared.dates import as_day, day_start

SEEN_CAP = 200  # remembered event ids per document; redelivery is of recent events


def _documents_of(alias: str, base=mongoengine.Document):
    for cls in base.__subclasses__():
        if not cls._meta.get("abstract") and cls._meta.get("db_alias") == alias:
            yield cls
        yield from _documents_of(alias, cls)


def connect(settings, alias: str) -> None:
    """(Re)connect the service's alias. Without MONGODB_URI every call opens a fresh in-memory store."""
    mongoengine.disconnect(alias)
    # mongoengine detaches only the classes in its registry, which is keyed by class name, and every
    # service has an `IdempotencyKey`: detach all of this alias's classes so none keeps an old store
    for cls in _documents_of(alias):
        cls._collection = None
    options = {"tz_aware": True, "uuidRepresentation": "standard"}
    if settings.mongodb_uri:
        if getattr(settings, "write_concern_majority", False) or getattr(settings, "production", False):
            options["w"] = "majority"
        mongoengine.connect(db=settings.mongodb_db, alias=alias, host=settings.mongodb_uri,
                            serverSelectionTimeoutMS=5000, appname=f"homeward-{alias}", **options)
    else:
        import mongomock.gridfs  # GridFS (mongoengine's FileField) on the in-memory store: receipts

        mongomock.gridfs.enable_gridfs_integration()
        # a unique appname keeps mongoengine from handing this alias another alias's in-memory client
        mongoengine.connect(db=settings.mongodb_db, alias=alias, mongo_client_class=EmbeddedMongoClient,
                            appname=f"homeward-{alias}-{ULID()}", **options)


def ping(alias: str) -> bool:
    try:
        mongoengine.get_db(alias).command("ping")
        return True
    except Exception:  # noqa: BLE001 - readiness reports any failure as "not ready"
        return False


def apply_once(queryset, update: dict, event_id: str | list[str]) -> bool:
    """Apply the raw `update` to the one document of `queryset` unless it already applied `event_id`
    (or any of a list of ids), recording the ids in the same write. False when applied before or when
    nothing matches."""
    ids = [event_id] if isinstance(event_id, str) else list(event_id)
    push = {**update.get("$push", {}), "seen_events": {"$each": ids, "$slice": -SEEN_CAP}}
    return queryset.filter(seen_events__nin=ids).update_one(__raw__={**update, "$push": push}) == 1


def page(queryset, limit: int, cursor: str | None, to_dict: Callable[[dict], dict], newest_first: bool = False) -> dict:
    """One cursor page over `_id` (ULIDs sort by creation time): `{items, next_cursor}`, oldest first unless
    `newest_first` (the `_id` index read backwards: the newest page costs a page too)."""
    if cursor:
        queryset = queryset.filter(id__lt=cursor) if newest_first else queryset.filter(id__gt=cursor)
    docs = list(queryset.order_by("-id" if newest_first else "id").limit(limit + 1).as_pymongo())
    more = len(docs) > limit
    docs = docs[:limit]
    return {"items": [to_dict(d) for d in docs], "next_cursor": docs[-1]["_id"] if more and docs else None}


def without_zeros(value):
    """Counters (at any depth) without those that went back to zero: what a read model holds, compared."""
    if isinstance(value, dict):
        out = {k: without_zeros(v) for k, v in value.items()}
        return {k: v for k, v in out.items() if v not in (0, {}, None)}
    return value


# days as stored (midnight UTC) and back: the convention of shared/dates.py, under the names repositories use
to_datetime = day_start
to_date = as_day

