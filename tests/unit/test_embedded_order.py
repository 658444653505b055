"""The embedded store's ordered reads: a page sorted by `_id` walks the keys in order and stops after `limit`
matches, a prefix search on an indexed word field reads only the documents with such a word, a cursor
computes its window once, and every answer is mongomock's own, through inserts, updates and deletes."""
from __future__ import annotations

import random

import mongomock
import pytest

from shared import embedded_store
from shared.embedded_order import index_words
from shared.embedded_store import EmbeddedMongoClient

WORDS = ("jan", "jansen", "janssen", "piet", "anna", "a.b", "x-1")
QUERIES = [{}, {"x": 2}, {"_id": {"$gt": "k5"}}, {"_id": {"$gt": "k5", "$lte": "k7"}, "x": 1},
           {"_id": {"$gte": "k3", "$lt": "k3z"}}, {"words": {"$regex": "^jan"}}, {"words": {"$regex": "^jans"}, "x": 1},
           {"words": {"$regex": "^jan"}, "_id": {"$gt": "k3"}}, {"words": {"$regex": "^a\\.b"}},
           {"words": {"$regex": "^x\\-1"}}, {"words": {"$regex": "jan"}}, {"words": {"$regex": "^j.n"}},
           {"words": {"$regex": "^jan"}, "$and": [{"words": {"$regex": "^piet"}}]}, {"$or": [{"x": 1}, {"x": 4}]}]


@pytest.fixture
def pair():
    index_words("ordered", "words")
    indexed, plain = EmbeddedMongoClient()["db"]["ordered"], mongomock.MongoClient()["db"]["ordered"]
    rng = random.Random(7)
    keys = {f"k{rng.randrange(10 ** 6):07d}": None for _ in range(400)}
    docs = [{"_id": key, "x": i % 5, "words": rng.sample(WORDS, rng.randint(0, 2))} for i, key in enumerate(keys)]
    for collection in (indexed, plain):
        collection.insert_many([dict(doc) for doc in docs])
    return indexed, plain


def same(indexed, plain, query, **window):
    for direction in (1, -1):
        cursor = {"skip": window.get("skip", 0), "limit": window.get("limit", 7)}
        got = list(indexed.find(query).sort("_id", direction).skip(cursor["skip"]).limit(cursor["limit"]))
        assert got == list(plain.find(query).sort("_id", direction).skip(cursor["skip"]).limit(cursor["limit"])), \
            (query, direction)


class TestOrderedReads:
    @pytest.mark.parametrize("query", QUERIES)
    def test_a_page_is_mongomocks_own(self, pair, query):
        same(*pair, query)
        same(*pair, query, skip=3, limit=5)
        same(*pair, query, limit=1000)

    def test_and_stays_so_through_inserts_updates_and_deletes(self, pair):
        indexed, plain = pair
        first, second = [d["_id"] for d in plain.find().sort("_id", 1).limit(2)]
        for collection in pair:
            collection.update_one({"_id": first}, {"$set": {"words": ["zed"]}})
            collection.delete_one({"_id": second})
            collection.insert_one({"_id": "k0000001", "words": ["jan"], "x": 1})
            collection.update_one({"_id": "k0000002"}, {"$set": {"words": ["janus"], "x": 2}}, upsert=True)
            collection.update_many({"x": 3}, {"$set": {"words": ["jan"]}})  # by another filter: rebuilt
            collection.delete_many({"x": 4})
        for query in QUERIES + [{"words": {"$regex": "^z"}}]:
            same(indexed, plain, query, limit=1000)

    def test_a_page_stops_after_its_matches_and_a_search_reads_only_the_words_documents(self, monkeypatch):
        index_words("counted", "words")
        collection = EmbeddedMongoClient()["db"]["counted"]
        collection.insert_many([{"_id": f"r{i:05d}", "x": i % 10, "words": ["rare"] if i % 1000 == 7 else ["common"]}
                                for i in range(5000)])
        read = []
        real = embedded_store.filter_applies
        monkeypatch.setattr(embedded_store, "filter_applies", lambda spec, doc: read.append(doc) or real(spec, doc))
        page = list(collection.find({"x": 3}).sort("_id", 1).limit(20))
        assert [d["_id"] for d in page] == [f"r{i:05d}" for i in range(3, 200, 10)]
        assert len(read) == 194  # r00000 .. r00193, not the 5,000
        read.clear()
        after = list(collection.find({"x": 3, "_id": {"$gt": page[-1]["_id"]}}).sort("_id", 1).limit(20))
        assert after[0]["_id"] == "r00203" and len(read) == 200  # the next page starts at its cursor
        read.clear()
        found = list(collection.find({"words": {"$regex": "^ra"}}).sort("_id", 1).limit(50))
        assert [d["_id"] for d in found] == [f"r{i:05d}" for i in range(7, 5000, 1000)] and len(read) == 5
        read.clear()
        both = list(collection.find({"words": {"$regex": "^co"}, "$and": [{"words": {"$regex": "^rare"}}]})
                    .sort("_id", 1).limit(50))
        assert both == [] and len(read) == 0  # no document has both words: none is read

    def test_a_cursor_computes_its_window_once(self, pair, monkeypatch):
        indexed, _ = pair
        walks = []
        real = type(indexed)._walk
        monkeypatch.setattr(type(indexed), "_walk", lambda self, *a: walks.append(a) or real(self, *a))
        cursor = indexed.find({}).sort("_id", 1).limit(100)
        assert len(list(cursor)) == 100 and len(walks) == 1  # mongomock copied the list at each step
