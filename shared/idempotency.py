"""Idempotent HTTP writes: the `Idempotency-Key` helper (design.md "Delivery guarantees").

Same key and same body: the stored response again. Same key, other body: 422. While the first
request is still in flight: 409. Keys are scoped per client and kept at least 24 hours.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from pymongo.errors import DuplicateKeyError

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
    def __init__(self, collection, ttl_seconds: int = 86_400):
        self.collection = collection
        # A TTL index on wall-clock creation time; mongomock would apply it on read, which is fine
        # because `created_at` is always the real time, never the injected clock.
        collection.create_index("created_at", expireAfterSeconds=ttl_seconds)

    def begin(self, scope: str, key: str, print_: str) -> StoredResponse | None:
        """Claim the key; return the stored response when this is a retry of a finished request."""
        now = datetime.now(timezone.utc)
        doc_id = f"{scope}:{key}"
        try:
            self.collection.insert_one({"_id": doc_id, "fingerprint": print_, "state": "in_flight",
                                        "created_at": now})
            return None
        except DuplicateKeyError:
            pass
        doc = self.collection.find_one({"_id": doc_id})
        if doc is None:  # expired between the insert and the read: claim again
            return self.begin(scope, key, print_)
        if doc["fingerprint"] != print_:
            raise KeyReused(key)
        if doc["state"] == "in_flight":
            created = doc["created_at"]
            created = created if created.tzinfo else created.replace(tzinfo=timezone.utc)
            stale = now - created > IN_FLIGHT_TAKEOVER
            if stale and self.collection.update_one(
                    {"_id": doc_id, "state": "in_flight", "created_at": doc["created_at"]},
                    {"$set": {"created_at": now}}).modified_count:
                return None
            raise KeyInFlight(key)
        return StoredResponse(doc["status"], doc["body"])

    def complete(self, scope: str, key: str, status: int, body: dict) -> None:
        self.collection.update_one({"_id": f"{scope}:{key}"},
                                   {"$set": {"state": "done", "status": status, "body": body}})

    def abandon(self, scope: str, key: str) -> None:
        """Forget a claim whose request failed unexpectedly, so a retry can run."""
        self.collection.delete_one({"_id": f"{scope}:{key}", "state": "in_flight"})
