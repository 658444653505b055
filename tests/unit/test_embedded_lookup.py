"""The embedded store's value lookup: equality and `$in` on a field named in `index_values` read only the
documents holding those values, and every answer (documents and their order, counts, updates, deletes) is
mongomock's own, through inserts, updates by `_id` and by other filters, upserts and deletes."""
from __future__ import annotations

import random

import mongomock
import pytest

from shared import embedded_store
from shared.embedded_lookup import index_values
from shared.embedded_store import EmbeddedMongoClient

REFS = [f"VVS-{i:03d}" for i in range(60)]
QUERIES = [{"ref": "VVS-007"}, {"ref": {"$eq": "VVS-008"}}, {"ref": {"$in": REFS[:20]}},
           {"ref": {"$in": REFS[10:30] + ["nobody"]}, "erased": {"$ne": True}}, {"ref": {"$in": []}},
           {"ref": {"$in": ["VVS-001", "VVS-001"]}}, {"ref": 7}, {"ref": {"$in": [7, "7"]}},
           {"ref": "VVS-shared"}, {"ref": {"$in": ["VVS-listed", "VVS-010"]}},
           {"ref": {"$in": REFS}, "x": {"$gte": 2}}, {"ref": None}, {"ref": {"$in": [None, "VVS-003"]}},
           {"ref": {"$regex": "^VVS-00"}}, {"ref": {"$ne": "VVS-001"}}, {"ref": True}, {"x": 1}]


def _docs(rng: random.Random) -> list[dict]:
    docs = []
    for i in range(300):
        doc = {"_id": f"r{rng.randrange(10 ** 6):07d}-{i}", "x": i % 5, "ref": rng.choice(REFS)}
        if i % 37 == 0:
            doc["erased"] = True
        docs.append(doc)
    docs += [{"_id": "no-ref", "x": 1}, {"_id": "none-ref", "ref": None, "x": 1},
             {"_id": "int-ref", "ref": 7, "x": 2}, {"_id": "float-ref", "ref": 7.0, "x": 2},
             {"_id": "bool-ref", "ref": True, "x": 2}, {"_id": "list-ref", "ref": ["VVS-listed", "VVS-002"], "x": 3},
             {"_id": "shared-1", "ref": "VVS-shared", "x": 1}, {"_id": "shared-2", "ref": "VVS-shared", "x": 4}]
    return docs


@pytest.fixture
def pair():
    index_values("looked_up", "ref")
    looked_up, plain = EmbeddedMongoClient()["db"]["looked_up"], mongomock.MongoClient()["db"]["looked_up"]
    docs = _docs(random.Random(11))
    for collection in (looked_up, plain):
        collection.insert_many([dict(doc) for doc in docs])
    return looked_up, plain


def same(looked_up, plain):
    for query in QUERIES:
        assert list(looked_up.find(query)) == list(plain.find(query)), query  # stored order too
        assert list(looked_up.find(query).sort("x", -1)) == list(plain.find(query).sort("x", -1)), query
        assert looked_up.count_documents(query) == plain.count_documents(query), query


class TestValueLookup:
    def test_every_answer_is_mongomocks_own(self, pair):
        same(*pair)

    def test_and_stays_so_through_inserts_updates_and_deletes(self, pair):
        looked_up, plain = pair
        same(*pair)  # the lookup is built before the writes: they must keep it right
        some = [d["_id"] for d in plain.find({"ref": "VVS-005"})]
        for collection in pair:
            collection.update_one({"_id": some[0]}, {"$set": {"ref": "VVS-006"}})  # moves to another value
            collection.update_one({"_id": "no-ref"}, {"$set": {"ref": "VVS-007"}})  # gains one
            collection.update_one({"_id": "shared-1"}, {"$unset": {"ref": ""}})  # loses it
            collection.update_one({"_id": "int-ref"}, {"$set": {"ref": ["VVS-007"]}})  # becomes a list
            collection.delete_one({"_id": some[1]})
            collection.insert_one({"_id": "a-new-one", "ref": "VVS-005", "x": 2})
            collection.update_one({"_id": "upserted"}, {"$set": {"ref": "VVS-008", "x": 1}}, upsert=True)
            collection.replace_one({"_id": "list-ref"}, {"ref": "VVS-001", "x": 0})
        same(*pair)
        for collection in pair:  # by other filters (the lookup's own field among them): dropped, then rebuilt
            collection.update_many({"ref": "VVS-006"}, {"$set": {"ref": "VVS-009"}})
            collection.update_many({"x": 3}, {"$set": {"erased": True}})
            collection.delete_many({"ref": {"$in": REFS[40:50]}})
            collection.find_one_and_update({"ref": "VVS-011"}, {"$set": {"ref": "VVS-012"}})
            collection.find_one_and_delete({"ref": "VVS-013"})
        same(*pair)
        for collection in pair:  # a deleted document inserted again goes last, as mongomock stores it
            again = collection.find_one({"_id": "a-new-one"})
            collection.delete_one({"_id": "a-new-one"})
            collection.insert_one(again)
        same(*pair)

    def test_a_lookup_query_tests_only_the_documents_holding_the_values(self, pair, monkeypatch):
        looked_up, _ = pair
        list(looked_up.find({"ref": "VVS-000"}))  # built
        tested = []
        real = embedded_store.filter_applies
        monkeypatch.setattr(embedded_store, "filter_applies", lambda spec, doc: tested.append(spec) or real(spec, doc))
        found = list(looked_up.find({"ref": {"$in": ["VVS-001", "VVS-002"]}, "erased": {"$ne": True}}))
        holding = [d for d in looked_up.find() if d.get("ref") in ("VVS-001", "VVS-002")]
        # those whose value is a list, a float or a bool are always read (they may match), with the whole filter
        assert len(tested) == len(holding) + 3 and found
        assert sum("ref" not in spec for spec in tested) == len(holding)  # their `$in` is known: the rest alone

    def test_documents_as_ids_drop_the_lookup_and_answer_as_mongomock(self, pair):
        same(*pair)
        for collection in pair:
            collection.insert_one({"_id": {"office": "ams", "n": 1}, "ref": "VVS-001", "x": 1})
        same(*pair)
        with pytest.raises(ValueError):
            index_values("looked_up", "contact.phone")

    def test_a_collection_not_named_scans_as_mongomock_does(self, monkeypatch):
        plain = EmbeddedMongoClient()["db"]["not_looked_up"]
        plain.insert_many([{"_id": f"d{i}", "ref": f"VVS-{i:03d}"} for i in range(20)])
        tested = []
        real = embedded_store.filter_applies
        monkeypatch.setattr(mongomock.collection, "filter_applies",
                            lambda spec, doc: tested.append(doc) or real(spec, doc))
        assert [d["_id"] for d in plain.find({"ref": "VVS-003"})] == ["d3"]
        assert len(tested) == 20


@pytest.fixture
def two_fields():
    """A collection looked up on two fields, as partners' handovers are (returnee and status)."""
    index_values("two_looked_up", "ref")
    index_values("two_looked_up", "state")
    index_values("two_looked_up", "ref")  # named again: still once
    looked_up, plain = EmbeddedMongoClient()["db"]["two_looked_up"], mongomock.MongoClient()["db"]["two_looked_up"]
    rng = random.Random(5)
    docs = [{**doc, "state": rng.choice(("offered", "accepted", "arrived"))} for doc in _docs(rng)]
    for collection in (looked_up, plain):
        collection.insert_many([dict(doc) for doc in docs])
    return looked_up, plain


PAGED = [{"ref": {"$in": REFS[:9]}, "state": "arrived"}, {"state": "offered"}, {"state": {"$in": ["accepted"]}},
         {"state": "offered", "_id": {"$gt": "r0400000"}}, {"ref": "VVS-shared", "state": {"$in": ["a", "offered"]}},
         {"ref": {"$in": ["VVS-listed", "VVS-002"]}, "x": {"$lt": 3}}, {"state": "nobody"}]


class TestPagesFromTheLookup:
    def test_a_page_sorted_by_id_is_mongomocks_own_in_both_directions(self, two_fields):
        looked_up, plain = two_fields
        for query in PAGED:
            for direction in (1, -1):
                for skip, limit in ((0, 5), (3, 4), (0, 1000)):
                    got = list(looked_up.find(query).sort("_id", direction).skip(skip).limit(limit))
                    assert got == list(plain.find(query).sort("_id", direction).skip(skip).limit(limit)), \
                        (query, direction, skip)
        for collection in two_fields:  # and after a change of the field of some
            collection.update_one({"_id": "shared-1"}, {"$set": {"state": "offered"}})
            collection.update_many({"x": 4}, {"$set": {"state": "arrived"}})
        for query in PAGED:
            assert list(looked_up.find(query).sort("_id", 1).limit(6)) == \
                list(plain.find(query).sort("_id", 1).limit(6)), query

    def test_a_page_reads_the_documents_of_the_field_holding_the_fewest(self, two_fields, monkeypatch):
        looked_up, _ = two_fields
        query = {"ref": {"$in": REFS[:3]}, "state": "arrived"}
        list(looked_up.find(query).sort("_id", 1).limit(50))  # built
        tested = []
        real = embedded_store.filter_applies
        monkeypatch.setattr(embedded_store, "filter_applies", lambda spec, doc: tested.append(doc) or real(spec, doc))
        found = list(looked_up.find(query).sort("_id", 1).limit(50))
        holding = [d for d in looked_up.find() if d.get("ref") in REFS[:3]]
        arrived = [d for d in looked_up.find() if d.get("state") == "arrived"]
        assert found and len(holding) < len(arrived) // 2
        assert len(tested) == len(holding) + 3  # the list, float and bool values are always read
