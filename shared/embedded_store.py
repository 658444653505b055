"""The embedded document store: mongomock with one index it lacks, the primary key.

mongomock answers every query by scanning the whole collection, so reading or updating one
document by `_id` costs more as the collection grows (a check-in got 6x slower between 1,000 and
10,000 stored check-ins). Real MongoDB always has a unique index on `_id`; this client gives the
in-memory store the same: a filter that pins `_id` to one value or a list (`$in`) looks those
documents up directly and then applies the rest of the filter as mongomock would.

mongomock also deep-copies a whole document with `copy.deepcopy` on every update (a snapshot to
compare with) and copies each field it returns. Stored documents are plain BSON data (dicts,
lists and immutable scalars), so `plain_deepcopy` copies them without deepcopy's general machinery
(about 4x faster on a country insight's totals); anything else still goes to `copy.deepcopy`.
mongomock also checks an update's filter and applies the update to the stored document in two steps,
and copies a document for a read while another thread may be changing it: two compare-and-set writers
holding the same read could both win (one's change lost), and a read could see half an update. Each
collection here takes one lock (per stored collection, shared by every handle on it) around a write and
around gathering the copies a read returns, as MongoDB makes a single-document update atomic.
Everything else is mongomock.
"""
from __future__ import annotations

import copy
import datetime
import decimal
import threading
import uuid
from collections import OrderedDict
from types import SimpleNamespace

import mongomock
import mongomock.collection
from bson import SON, Decimal128, Int64, ObjectId, Timestamp
from mongomock.filtering import filter_applies

# immutable values of a stored document: a copy may share them
_IMMUTABLE = frozenset({str, int, float, bool, type(None), bytes, datetime.datetime, datetime.date, ObjectId,
                        Decimal128, Int64, Timestamp, decimal.Decimal, uuid.UUID, mongomock.ObjectId})

_MAPPINGS = frozenset({OrderedDict, SON})  # what mongomock and bson build besides dicts


def plain_deepcopy(value, memo=None):
    """`copy.deepcopy` for plain document data: new dicts and lists, immutable values shared."""
    kind = type(value)
    if kind is dict:
        return {key: plain_deepcopy(item) for key, item in value.items()}
    if kind is list:
        return [plain_deepcopy(item) for item in value]
    if kind in _MAPPINGS:
        return kind((key, plain_deepcopy(item)) for key, item in value.items())
    if kind in _IMMUTABLE:
        return value
    return copy.deepcopy(value, memo)


def plain_copy(value):
    """`copy.copy`, skipping the values that need no copy."""
    return value if type(value) in _IMMUTABLE else copy.copy(value)


def use_plain_copies() -> None:
    """Let mongomock's collections copy documents with `plain_deepcopy` (idempotent)."""
    if not isinstance(mongomock.collection.copy, SimpleNamespace):
        mongomock.collection.copy = SimpleNamespace(deepcopy=plain_deepcopy, copy=plain_copy)

_SCALARS = (str, int, bytes)


def _key(value) -> bool:
    return not isinstance(value, bool) and isinstance(value, _SCALARS + (mongomock.ObjectId,))


def _pinned_ids(filter_):
    """The `_id` values a filter is limited to (`{"_id": v}`, `{"$eq": v}`, `{"$in": [...]}`), else None."""
    if not isinstance(filter_, dict) or "_id" not in filter_:
        return None
    value = filter_["_id"]
    if isinstance(value, dict):
        if list(value) == ["$eq"]:
            value = value["$eq"]
        elif list(value) == ["$in"] and isinstance(value["$in"], (list, tuple)) and all(map(_key, value["$in"])):
            return list(dict.fromkeys(value["$in"]))
        else:
            return None
    return [value] if _key(value) else None


def _lock_of(store) -> threading.RLock:
    """The one lock of a stored collection (every Collection handle on it shares the store)."""
    lock = store.__dict__.get("_homeward_lock")
    if lock is None:
        lock = store.__dict__.setdefault("_homeward_lock", threading.RLock())  # atomic: one lock wins
    return lock


class IdIndexedCollection(mongomock.Collection):
    """A mongomock collection that finds a document by its primary key without a scan, and whose single
    writes and reads do not interleave."""

    def _get_dataset(self, spec, sort, fields, as_class):
        with _lock_of(self._store):  # the copies are made before another write can change the documents
            return iter(list(super()._get_dataset(spec, sort, fields, as_class)))

    def _iter_documents(self, filter):  # noqa: A002 - mongomock's name
        keys = _pinned_ids(filter)
        if keys is None:
            return super()._iter_documents(filter)
        store = self._store
        found = []
        for key in keys:
            try:
                document = store[key]
            except KeyError:
                continue
            if filter_applies(filter, document):
                found.append(document)
        return iter(found)

    def with_options(self, *args, **kwargs):
        return _indexed(super().with_options(*args, **kwargs))


def _locked(name: str):
    """mongomock's method `name`, holding the stored collection's lock."""
    def method(self, *args, **kwargs):
        with _lock_of(self._store):
            return getattr(super(IdIndexedCollection, self), name)(*args, **kwargs)

    method.__name__ = name
    return method


for _write in ("_update", "_find_and_modify", "_insert", "_delete"):  # every single write goes through one of these
    setattr(IdIndexedCollection, _write, _locked(_write))


class IdIndexedDatabase(mongomock.Database):
    def get_collection(self, *args, **kwargs):
        return _indexed(super().get_collection(*args, **kwargs))


class EmbeddedMongoClient(mongomock.MongoClient):
    """`mongomock.MongoClient` whose collections look documents up by `_id` directly."""

    def __init__(self, *args, **kwargs):
        use_plain_copies()
        super().__init__(*args, **kwargs)

    def get_database(self, *args, **kwargs):
        database = super().get_database(*args, **kwargs)
        if type(database) is mongomock.Database:  # noqa: E721 - exactly the base class, once
            database.__class__ = IdIndexedDatabase
        return database


def _indexed(collection):
    if type(collection) is mongomock.Collection:  # noqa: E721
        collection.__class__ = IdIndexedCollection  # same state, one method more: no copy needed
    return collection
