"""A case-sized document read by `_id` with `{"outbox": 0}` from the embedded store, against the same read
from plain mongomock, both with `tz_aware=True` as the services connect, in the same run.

The embedded store copies a returned document once and marks its datetimes UTC in the same pass
(`shared.embedded_store.aware_copy`); mongomock copies it and then walks the copy again.
Run: `python -m bench.store_read`; prints the ratio (lower is faster).
"""
from __future__ import annotations

import statistics
import time
from datetime import datetime

import mongomock

from shared.embedded_store import EmbeddedMongoClient


def case_document() -> dict:
    """About the shape of a monitoring case: slots with their check-ins, alerts, an outbox."""
    checkin = {"scores": {"economic": 3, "housing": 4, "social": 3, "health": 4, "resilience": 2}, "notes": "x" * 100,
               "support_delivered": [{"type": "business", "amount_eur": 250.0}], "at": datetime(2026, 1, 2)}
    return {"_id": "case", "outbox": [{"value": "{}" * 20} for _ in range(10)],
            "slots": [{"slot": i, "due_on": datetime(2026, 1, 1), "checkin": dict(checkin)} for i in range(12)],
            "alerts": [{"id": i, "raised_at": datetime(2026, 1, 1), "params": {"domain": "housing"}} for i in range(10)]}


def per_read(collection, reads: int) -> float:
    started = time.perf_counter()
    for _ in range(reads):
        collection.find_one({"_id": "case"}, {"outbox": 0})
    return (time.perf_counter() - started) / reads


def run(reads: int = 2000, rounds: int = 5) -> tuple[float, float]:
    embedded = EmbeddedMongoClient(tz_aware=True)["bench"]["cases"]
    plain = mongomock.MongoClient(tz_aware=True)["bench"]["cases"]
    for collection in (embedded, plain):
        collection.insert_one(case_document())  # alone: no scan in either, so the copies are what is compared
    ours, theirs = [], []
    for _ in range(rounds):  # alternating, medians
        ours.append(per_read(embedded, reads))
        theirs.append(per_read(plain, reads))
    return statistics.median(ours), statistics.median(theirs)


def main() -> None:
    ours, theirs = run()
    print(f"case read by _id, embedded store vs mongomock: {ours / theirs:.2f}x "
          f"({ours * 1e6:.0f} us vs {theirs * 1e6:.0f} us)")


if __name__ == "__main__":
    main()
