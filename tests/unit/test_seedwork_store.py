"""The seedwork's store pieces on the embedded store: connection per alias, the `_id` lookup,
idempotency expiry, the audit log off the request path, and the relay woken per document."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import mongomock
import pytest
from mongoengine import IntField, StringField

from shared import store
from shared.audit import AuditLog
from shared.documents import Aggregate, AuditRecord, IdempotencyRecord
from shared.embedded_store import EmbeddedMongoClient, plain_deepcopy
from shared.events import new_event
from shared.idempotency import IdempotencyStore
from shared.outbox import OutboxRelay, outbox_push
from tests.unit.conftest import RecordingPublisher

ALIAS = "seedwork"


class Thing(Aggregate):
    id = StringField(primary_key=True)
    n = IntField(default=0)
    meta = {"db_alias": ALIAS, "collection": "things"}


class IdempotencyKey(IdempotencyRecord):  # the same class name as every service's: see test below
    meta = {"db_alias": ALIAS, "collection": "idempotency_keys"}


class AuditEntry(AuditRecord):
    meta = {"db_alias": ALIAS, "collection": "audit"}


@pytest.fixture(autouse=True)
def connected(settings_for):
    store.connect(settings_for("seedwork"), ALIAS)


class TestTheEmbeddedStore:
    @pytest.mark.parametrize("query", [{"_id": "k3"}, {"_id": {"$eq": "k3"}}, {"_id": "k3", "x": 3},
                                       {"_id": "k3", "x": 4}, {"_id": "nope"}, {"_id": {"$in": ["k3", "k4"]}},
                                       {"_id": {"$in": ["k4", "nope", "k1", "k4"]}, "x": {"$gt": 1}},
                                       {"_id": {"$in": []}}, {"_id": {"$nin": ["k1"]}},
                                       {"x": {"$gte": 3}}])
    def test_answers_every_query_as_mongomock_does(self, query):
        indexed, plain = EmbeddedMongoClient()["db"]["c"], mongomock.MongoClient()["db"]["c"]
        for collection in (indexed, plain):
            collection.insert_many([{"_id": f"k{i}", "x": i} for i in range(6)])
        assert list(indexed.find(query)) == list(plain.find(query))
        assert indexed.update_one(query, {"$inc": {"x": 10}}).modified_count == \
            plain.update_one(query, {"$inc": {"x": 10}}).modified_count
        assert list(indexed.find()) == list(plain.find())

    def test_the_plain_copy_is_equal_and_shares_no_container(self):
        from collections import OrderedDict

        from bson import SON, ObjectId, Regex
        value = {"a": [1, 2.5, {"b": OrderedDict(c=[True, None])}], "d": SON([("e", {"f": "g"})]),
                 "when": datetime(2026, 1, 2, tzinfo=timezone.utc), "oid": ObjectId(), "re": Regex("^x")}
        copied = plain_deepcopy(value)
        assert copied == value and type(copied["a"][2]["b"]) is OrderedDict and type(copied["d"]) is SON
        copied["a"][2]["b"]["c"].append(1)
        copied["d"]["e"]["f"] = "changed"
        assert value["a"][2]["b"]["c"] == [True, None] and value["d"]["e"]["f"] == "g"

    @pytest.mark.parametrize("projection", [None, {"outbox": 0}, {"outbox": False, "_id": 0}, {"a.b": 0},
                                            {"when": 1}, {"slots.at": 1}, {}])
    def test_a_tz_aware_read_answers_as_mongomock_does_for_every_projection(self, projection):
        document = {"_id": "k", "when": datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc), "outbox": [{"n": 1}],
                    "a": {"b": 1, "c": (1, 2)},
                    "slots": [{"at": datetime(2026, 2, 1, tzinfo=timezone.utc), "notes": ["x", {"y": None}]}]}
        indexed = EmbeddedMongoClient(tz_aware=True)["db"]["c"]
        plain = mongomock.MongoClient(tz_aware=True)["db"]["c"]
        for collection in (indexed, plain):
            collection.insert_many([document, {"_id": "other", "when": datetime(2025, 1, 1)}])
        for query in ({"_id": "k"}, {}):
            read, expected = list(indexed.find(query, projection)), list(plain.find(query, projection))
            assert read == expected and read
            assert [type(r.get("when")) for r in read] == [type(e.get("when")) for e in expected]
            assert all(r["when"].utcoffset() == timedelta(0) for r in read if "when" in r)
        assert indexed.find_one({"_id": "k"}, projection) == plain.find_one({"_id": "k"}, projection)
        assert list(indexed.find({}, projection).sort("_id", -1).limit(1)) == \
            list(plain.find({}, projection).sort("_id", -1).limit(1))

    def test_what_a_read_returns_is_a_copy_the_store_does_not_see_changed(self):
        collection = EmbeddedMongoClient()["db"]["c"]
        collection.insert_one({"_id": "k", "totals": {"x": {"n": 1}}, "list": [{"a": 1}]})
        collection.update_one({"_id": "k"}, {"$inc": {"totals.x.n": 1}})
        read = collection.find_one({"_id": "k"})
        read["totals"]["x"]["n"] = 99
        read["list"][0]["a"] = 99
        assert collection.find_one({"_id": "k"}) == {"_id": "k", "totals": {"x": {"n": 2}}, "list": [{"a": 1}]}

    def test_a_conditional_update_is_atomic_between_threads(self):
        """Compare-and-set on a version: of writers holding the same read one wins, so a value written from
        a read is never lost (mongomock alone checks the filter and applies the update in two steps)."""
        import sys
        import threading

        collection = EmbeddedMongoClient()["db"]["c"]
        collection.insert_one({"_id": "k", "version": 0, "n": 0, "big": [{"x": i} for i in range(300)]})
        won = []
        interval = sys.getswitchinterval()
        sys.setswitchinterval(1e-6)  # switch threads as often as possible: the race shows at once
        try:
            def writer():
                for _ in range(150):
                    read = collection.find_one({"_id": "k"}, {"big": 0})
                    if collection.update_one({"_id": "k", "version": read["version"]}, {
                            "$inc": {"version": 1}, "$set": {"n": read["n"] + 1, "big.0.x": read["n"]}}).modified_count:
                        won.append(1)

            threads = [threading.Thread(target=writer) for _ in range(4)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
        finally:
            sys.setswitchinterval(interval)
        stored = collection.find_one({"_id": "k"})
        assert stored["n"] == stored["version"] == len(won)

    def test_each_connect_opens_a_fresh_store_for_every_class_of_the_alias(self, settings_for):
        Thing(id="a").save(force_insert=True)
        IdempotencyKey(id="k", fingerprint="f", state="in_flight", created_at=datetime.now(timezone.utc)).save()
        store.connect(settings_for("seedwork"), ALIAS)
        assert Thing.objects.count() == 0
        assert IdempotencyKey.objects.count() == 0  # although another class has its name in the registry


class TestApplyOnce:
    def test_an_event_is_applied_once_and_recorded_in_the_same_write(self):
        Thing(id="a").save(force_insert=True)
        assert store.apply_once(Thing.objects(id="a"), {"$inc": {"n": 1}}, "evt-1")
        assert not store.apply_once(Thing.objects(id="a"), {"$inc": {"n": 1}}, "evt-1")
        assert Thing.objects.get(id="a").n == 1


class TestIdempotencyExpiry:
    def test_keys_older_than_the_retention_are_purged_by_the_job_and_younger_ones_stay(self):
        keys = IdempotencyStore(IdempotencyKey, ttl_seconds=86_400)
        assert keys.begin("org", "old", "f") is None
        keys.complete("org", "old", 201, {"id": 1})
        later = datetime.now(timezone.utc) + timedelta(days=1, seconds=5)
        IdempotencyKey.objects(id="org:young").update_one(
            upsert=True, set__fingerprint="f", set__state="done", set__created_at=later - timedelta(hours=1))
        assert keys.purge_expired(later) == 1
        assert [k.id for k in IdempotencyKey.objects] == ["org:young"]
        assert keys.begin("org", "old", "g") is None  # an expired key may be used again


class TestAuditLog:
    def entry(self, n: int, at: datetime) -> dict:
        return dict(id=f"a{n:03}", at=at, who="u", role="admin", method="GET", path="/v1/x",
                    resource_id="r1", status=200)

    def test_a_request_only_queues_its_entry_and_reading_the_log_sees_every_answered_request(self):
        audit = AuditLog(AuditEntry, retention_days=30)
        now = datetime.now(timezone.utc)
        for n in range(3):
            audit.record(**self.entry(n, now))
        assert AuditEntry.objects.count() == 0 and audit.pending() == 3
        page = audit.page(2, None, lambda d: d["_id"], resource_id="r1")
        assert page["items"] == ["a000", "a001"] and page["next_cursor"] == "a001"
        assert audit.pending() == 0 and AuditEntry.objects.count() == 3

    def test_entries_past_the_retention_are_pruned(self):
        audit = AuditLog(AuditEntry, retention_days=30)
        now = datetime.now(timezone.utc)
        audit.record(**self.entry(1, now - timedelta(days=31)))
        audit.record(**self.entry(2, now - timedelta(days=29)))
        audit.flush()
        assert audit.prune(now) == 1
        assert [e.id for e in AuditEntry.objects] == ["a002"]


class TestRelayWakeUps:
    def test_a_notified_document_is_published_without_a_sweep_and_others_wait_for_the_sweep(self):
        publisher = RecordingPublisher()
        relay = OutboxRelay([Thing], publisher, sweep_seconds=3600)
        relay.run_once(sweep=True)
        for doc_id in ("a", "b"):
            event = new_event("seedwork", "thing.happened.v1", doc_id, {}, datetime.now(timezone.utc))
            Thing.objects(id=doc_id).update_one(upsert=True, __raw__={"$push": outbox_push("t", event)})
        relay.notify(Thing, "a")
        assert relay.run_once() == 1 and [m[1] for m in publisher.sent] == ["a"]
        assert relay.backlog() == 1
        assert relay.run_once(sweep=True) == 1 and relay.backlog() == 0
