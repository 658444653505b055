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
A page of a query sorted by `_id` (with a limit) walks the keys (or those a value lookup names) in order and stops
after `limit` matches, and a search on a field named in `embedded_order.index_words` reads only the documents with
a matching word (see embedded_order), and equality or `$in` on a field named in `embedded_lookup.index_values`
reads only the documents holding those values (see embedded_lookup); mongomock's cursor copied its whole result
list at each step of a read: here a cursor computes its window once. And for a client with `tz_aware=True` (every
service's) mongomock copied each document it returned and then walked the copy again to mark its datetimes UTC:
here a read that returns whole documents, or leaves out top-level fields only (`{"outbox": 0}`), copies and marks
them in one pass (`aware_copy`; a case read by `_id`: 221 -> 118 us). Everything else is mongomock.
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
from mongomock import aggregate, helpers
from mongomock.filtering import filter_applies

from shared.embedded_lookup import ValueLookup, in_id_order
from shared.embedded_order import OrderedKeys

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


def aware_copy(value):
    """A copy of stored document data with its datetimes marked UTC, in one pass: what mongomock does in
    two for a `tz_aware` client (`_copy_field`, then `make_datetime_timezone_aware_in_document`)."""
    kind = type(value)
    if kind is dict or kind in _MAPPINGS:
        return {key: aware_copy(item) for key, item in value.items()}
    if kind is list or kind is tuple:
        return [aware_copy(item) for item in value]
    if kind is datetime.datetime:
        return value.replace(tzinfo=helpers.utc)  # stored as naive UTC, as MongoDB keeps them
    if kind in _IMMUTABLE:
        return value
    return helpers.make_datetime_timezone_aware_in_document(mongomock.collection._copy_field(value, dict))


def _excluded(fields) -> frozenset | None:
    """The top-level fields a projection leaves out (none for a whole document), or None when it does more
    (includes, dotted paths, operators): then mongomock projects it."""
    if fields is None or (fields == {} and helpers.PYMONGO_VERSION.major >= 4):
        return frozenset()
    if isinstance(fields, dict) and all(value is False or (type(value) is int and value == 0)
                                        for value in fields.values()) \
            and not any("." in name or name.startswith("$") for name in fields):
        return frozenset(fields)
    return None


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


def _kept(store, kind=OrderedKeys):
    """The ordered keys (and words) or the value lookup of a stored collection, kept beside its lock."""
    kept = store.__dict__.get(kind.__name__)
    return store.__dict__.setdefault(kind.__name__, kind(store.name)) if kept is None else kept


def _id_sort(sort) -> int | None:
    """1 or -1 when a cursor is sorted by `_id` alone, else None."""
    sort = list(sort.items()) if isinstance(sort, dict) else list(sort or ())
    if len(sort) == 1 and sort[0][0] == "_id" and sort[0][1] in (1, -1):
        return sort[0][1]
    return None


class EmbeddedCursor(mongomock.collection.Cursor):
    """A cursor whose window (skip, limit) is computed once, by an ordered walk when the query allows."""

    _window = None

    def _compute_results(self, with_limit_and_skip=False):
        if not with_limit_and_skip:
            return self._all()
        key = (self._factory, self._skip, self._limit)
        if self._window is None or self._window[0] is not key[0] or self._window[1:3] != key[1:]:
            rows = None
            direction = _id_sort(self._sort)
            if self._limit and direction:
                rows = self.collection._walk(self._spec, direction, self._projection, self._skip + abs(self._limit))
            if rows is None:
                rows = self._compute_results(False)[self._skip:]
                if self._limit:
                    rows = rows[:abs(self._limit)]
            else:
                rows = rows[self._skip:]
            self._window = (*key, rows)
        return self._window[3]

    def _all(self) -> list:
        """Every matching document, copied once (the collection's copies are already tz-aware when the
        client is: mongomock's cursor would walk each document a second time to make them so)."""
        if not self._results or self._factory_last_generated_results != self._factory:
            self._results = list(self._factory())
            self._factory_last_generated_results = self._factory
        return self._results

    def clone(self):
        cursor = super().clone()
        cursor.__class__ = EmbeddedCursor
        return cursor


class IdIndexedCollection(mongomock.Collection):
    """A mongomock collection that finds a document by its primary key without a scan, and whose single
    writes and reads do not interleave."""

    def _get_dataset(self, spec, sort, fields, as_class):
        with _lock_of(self._store):  # the copies are made before another write can change the documents
            return iter(list(super()._get_dataset(spec, sort, fields, as_class)))

    def _copy_only_fields(self, doc, fields, container):
        """The document as a read returns it, tz-aware when the client is, copied in one pass when the
        projection only leaves out top-level fields (the common case: `{"outbox": 0}`)."""
        if not self.codec_options.tz_aware:
            return super()._copy_only_fields(doc, fields, container)
        excluded = _excluded(fields)
        if excluded is not None and container is dict:
            return {key: aware_copy(value) for key, value in doc.items() if key not in excluded}
        return helpers.make_datetime_timezone_aware_in_document(super()._copy_only_fields(doc, fields, container))

    def find(self, *args, **kwargs):
        cursor = super().find(*args, **kwargs)
        cursor.__class__ = EmbeddedCursor
        return cursor

    def aggregate(self, pipeline, session=None, **unused_kwargs):
        """A leading `$match` picks the documents by a `find` (mongomock's copies every document first)."""
        stages = list(pipeline)
        spec = stages.pop(0)["$match"] if stages and set(stages[0]) == {"$match"} else {}
        return aggregate.process_pipeline(list(self.find(spec)), self.database, stages, session)

    def _walk(self, spec, direction: int, fields, most: int) -> list | None:
        """The first `most` documents matching `spec` in `_id` order; None when no kept order serves it."""
        store = self._store
        with _lock_of(store):
            documents = store._documents
            keys = in_id_order(_kept(store, ValueLookup).candidates(documents, spec), direction < 0)
            if keys is None:  # every key in order (or those with the words asked), each with the whole filter
                ordered = _kept(store).candidates(documents, spec or {}, direction < 0)
                if ordered is None:
                    return None
                keys = ((key, spec) for key in ordered)
            found = []
            for key, left in keys:
                document = documents.get(key)
                if document is not None and filter_applies(left, document):
                    found.append(self._copy_only_fields(document, fields, dict))
                    if len(found) >= most:
                        break
            return found

    def _iter_documents(self, filter):  # noqa: A002 - mongomock's name
        store = self._store
        keys = _pinned_ids(filter)  # then the documents a value lookup names, each with the filter left for it
        keys = _kept(store, ValueLookup).candidates(store._documents, filter) if keys is None else \
            [(key, filter) for key in keys]
        if keys is None:
            return super()._iter_documents(filter)
        found = []
        for key, spec in keys:
            try:
                document = store[key]
            except KeyError:
                continue
            if filter_applies(spec, document):
                found.append(document)
        return iter(found)

    def with_options(self, *args, **kwargs):
        return _indexed(super().with_options(*args, **kwargs))


def _locked(name: str):
    """mongomock's method `name`, holding the stored collection's lock, telling the ordered keys what it
    changed: the inserted ids, or those its filter pins (any other filter drops them)."""
    def method(self, *args, **kwargs):
        store = self._store
        with _lock_of(store):
            result = getattr(super(IdIndexedCollection, self), name)(*args, **kwargs)
            if name == "_insert":
                ids = result if isinstance(result, list) else [result]
            else:
                ids = _pinned_ids(args[0] if args else kwargs.get("spec", kwargs.get("filter", kwargs.get("query"))))
            for kept in (_kept(store), _kept(store, ValueLookup)):
                kept.drop() if ids is None else kept.changed(store._documents, ids)
            return result

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
