"""The embedded document store: mongomock with one index it lacks, the primary key.

mongomock answers every query by scanning the whole collection, so reading or updating one
document by `_id` costs more as the collection grows (a check-in got 6x slower between 1,000 and
10,000 stored check-ins). Real MongoDB always has a unique index on `_id`; this client gives the
in-memory store the same: a filter that pins `_id` to one value or a list (`$in`) looks those
documents up directly and then applies the rest of the filter as mongomock would. Everything else is mongomock.
"""
from __future__ import annotations

import mongomock
from mongomock.filtering import filter_applies

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


class IdIndexedCollection(mongomock.Collection):
    """A mongomock collection that finds a document by its primary key without a scan."""

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


class IdIndexedDatabase(mongomock.Database):
    def get_collection(self, *args, **kwargs):
        return _indexed(super().get_collection(*args, **kwargs))


class EmbeddedMongoClient(mongomock.MongoClient):
    """`mongomock.MongoClient` whose collections look documents up by `_id` directly."""

    def get_database(self, *args, **kwargs):
        database = super().get_database(*args, **kwargs)
        if type(database) is mongomock.Database:  # noqa: E721 - exactly the base class, once
            database.__class__ = IdIndexedDatabase
        return database


def _indexed(collection):
    if type(collection) is mongomock.Collection:  # noqa: E721
        collection.__class__ = IdIndexedCollection  # same state, one method more: no copy needed
    return collection
