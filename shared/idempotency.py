"""Idempotent HTTP writes: the `Idempotency-Key` helper (design.md "Delivery guarantees").

Same key and same body: the stored response again. Same key, other body: 422. While the first
request is still in flight: 409. A write that records its key in its own document, in the same update
(monitoring's check-ins), has the answer copied here afterwards (`keep`) and asks `lookup` for keys its
document does not hold. Keys are scoped per client and kept at least 24 hours, then
removed by `purge_expired`, a periodic job: never a sweep on the request path (mongomock applies a
TTL index by scanning the collection on every access).
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from mongoengine import NotUniqueError
from pymongo.errors import BulkWriteError

from shared.documents import SCHEMA_VERSION
from shared.dates import aware

IN_FLIGHT_TAKEOVER = timedelta(seconds=60)  # a request that crashed mid-way does not block forever


class KeyReused(Exception):
    """The key was used before with another body (422)."""


class KeyInFlight(Exception):
    """The first request with this key has not finished (409)."""


@dataclass(frozen=True)
class StoredResponse:
    status: int
    body: dict


def fingerprint(payload) -> str:
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()



class IdempotencyStore:
    """Keys in the service's `IdempotencyRecord` document class, one document per (scope, key)."""

    def __init__(self, document_class, ttl_seconds: int = 86_400):
        self.documents = document_class
        self.ttl = timedelta(seconds=ttl_seconds)

    def begin(self, scope: str, key: str, print_: str) -> StoredResponse | None:
        """Claim the key; return the stored response when this is a retry of a finished request."""
        now = datetime.now(timezone.utc)  # wall-clock: expiry is about the real age of a key
        doc_id = f"{scope}:{key}"
        try:
            self.documents(id=doc_id, fingerprint=print_, state="in_flight", created_at=now).save(force_insert=True)
            return None
        except NotUniqueError:
            pass
        doc = self.documents.objects(id=doc_id).as_pymongo().first()
        if doc is None:  # purged between the insert and the read: claim again
            return self.begin(scope, key, print_)
        if doc["fingerprint"] != print_:
            raise KeyReused(key)
        if doc["state"] == "in_flight":
            stale = now - aware(doc["created_at"]) > IN_FLIGHT_TAKEOVER
            if stale and self.documents.objects(id=doc_id, state="in_flight", created_at=doc["created_at"]
                                                ).update_one(set__created_at=now):
                return None
            raise KeyInFlight(key)
        return StoredResponse(doc["status"], doc["body"])

    def lookup(self, doc_id: str, print_: str) -> StoredResponse | None:
        """The answer kept for a key (`scope:key`) by a write that recorded the key in its own document and
        had it copied here (`keep`): None when unknown; KeyReused for another body; KeyInFlight while a
        claim by `begin` runs (a stale one does not block)."""
        doc = self.documents._get_collection().find_one({"_id": doc_id})
        if doc is None:
            return None
        if doc["fingerprint"] != print_:
            raise KeyReused(doc_id)
        if doc["state"] == "in_flight":
            if datetime.now(timezone.utc) - aware(doc["created_at"]) > IN_FLIGHT_TAKEOVER:
                return None
            raise KeyInFlight(doc_id)
        return StoredResponse(doc["status"], doc["body"])

    def keep(self, records: list[dict]) -> int:
        """Store answers recorded elsewhere (`id` = scope:key, `fingerprint`, `status`, `body`, `at`): the
        first answer of a key stays (a later one under the same key was a key reused for another
        document, which `lookup` then refuses with KeyReused); returns how many were new."""
        documents = [{"_id": r["id"], "fingerprint": r["fingerprint"], "state": "done", "status": r["status"],
                      "body": r["body"], "created_at": r["at"], "schema_version": SCHEMA_VERSION} for r in records]
        if not documents:
            return 0
        collection = self.documents._get_collection()
        try:
            collection.insert_many(documents, ordered=False)
            return len(documents)
        except BulkWriteError as failed:  # some keys were there: the others are stored
            taken = {error["index"] for error in failed.details.get("writeErrors", [])}
        for i in taken:  # a claim of `begin` that never finished becomes this answer
            doc = documents[i]
            collection.update_one({"_id": doc["_id"], "state": "in_flight", "fingerprint": doc["fingerprint"]},
                                  {"$set": {k: doc[k] for k in ("state", "status", "body")}})
        return len(documents) - len(taken)

    def complete(self, scope: str, key: str, status: int, body: dict) -> None:
        self.documents.objects(id=f"{scope}:{key}").update_one(set__state="done", set__status=status,
                                                               set__body=body)

    def abandon(self, scope: str, key: str) -> None:
        """Forget a claim whose request failed unexpectedly, so a retry can run."""
        self.documents.objects(id=f"{scope}:{key}", state="in_flight").delete()

    def purge_expired(self, now: datetime | None = None) -> int:
        """Remove keys older than the retention (the periodic expiry job); returns how many."""
        now = now or datetime.now(timezone.utc)
        return self.documents.objects(created_at__lt=now - self.ttl).delete()
