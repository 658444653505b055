"""Value lookups for the embedded store: equality and `$in` on a named field (see embedded_store).

MongoDB answers `{field: value}` or `{field: {"$in": [...]}}` from an index on `field`: it reads the keys
of those values and nothing else. mongomock tests every stored document, and an `$in` test walks the
whole list for each one: the caseload import's match of a 5,000-row file on `client_ref` against 5,000
stored returnees made 25 million comparisons. A collection named in `index_values` keeps here, for each
field named, which documents hold each value, and such a query reads only those documents (then the whole
filter is applied to each, as mongomock would, so the answer is the same; the documents stay in stored order).
When a query pins several looked-up fields, the one holding the fewest documents for the values asked is read.

The lookup is kept as documents are inserted, updated by `_id` and deleted; any other change (an update or
delete by another filter) drops it, and the next read that uses it builds it again.
"""
from __future__ import annotations

from collections.abc import Hashable

_VALUE_FIELDS: dict[str, tuple] = {}  # collection name -> the top-level fields whose values are looked up


def index_values(collection: str, field: str) -> None:
    """Answer equality and `$in` on `field` (top-level) of `collection` from a kept lookup (idempotent; a
    collection may name several fields)."""
    if "." in field or field.startswith("$"):
        raise ValueError(f"a top-level field, not {field!r}")
    fields = _VALUE_FIELDS.get(collection, ())
    _VALUE_FIELDS[collection] = fields if field in fields else fields + (field,)


def _plain(value) -> bool:
    """A value the lookup keeps as a key: a string, or an int that is not a bool."""
    return type(value) is str or type(value) is int


def asked(condition) -> list | None:
    """The values a condition on the field pins it to (`v`, `{"$eq": v}`, `{"$in": [...]}`), else None."""
    if isinstance(condition, dict):
        if list(condition) == ["$eq"]:
            condition = condition["$eq"]
        elif list(condition) == ["$in"] and isinstance(condition["$in"], (list, tuple)) \
                and all(map(_plain, condition["$in"])):
            return list(condition["$in"])
        else:
            return None
    return [condition] if _plain(condition) else None


class ValueLookup:
    """The lookups of the fields `index_values` named for one stored collection."""

    def __init__(self, name: str):
        self.fields = [FieldLookup(field) for field in _VALUE_FIELDS.get(name, ())]

    def drop(self) -> None:
        for lookup in self.fields:
            lookup.drop()

    def changed(self, documents: dict, ids) -> None:
        for lookup in self.fields:
            lookup.changed(documents, ids)

    def candidates(self, documents: dict, spec) -> list | None:
        """FieldLookup.candidates of the looked-up field the filter pins to the fewest documents; None when
        it pins none."""
        if not isinstance(spec, dict):
            return None
        served = [(lookup, values) for lookup in self.fields if lookup.field in spec
                  for values in [asked(spec[lookup.field])] if values is not None]
        if not served:
            return None
        lookup, values = min(served, key=lambda pair: pair[0].holding(documents, pair[1]))
        return lookup.candidates(documents, spec, values)


class FieldLookup:
    """{value: ids} of one field of one stored collection, and each document's place in stored order."""

    def __init__(self, field: str):
        self.field = field
        self.ids: dict | None = None  # slot (a plain value, _OTHER or _ABSENT) -> {id: None}
        self.held: dict = {}  # id -> (the value it is kept under, its place)
        self.next = 0

    def drop(self) -> None:
        self.ids = None
        self.held = {}

    def _build(self, documents: dict) -> None:
        self.ids, self.held, self.next = {}, {}, 0
        for key, document in documents.items():
            self._keep(key, document)

    def _keep(self, key, document: dict, place: int | None = None) -> None:
        value = document.get(self.field)
        # a list, a number of another type...: read for every query; none (or no field): never asked
        slot = value if _plain(value) else _ABSENT if value is None else _OTHER
        self.ids.setdefault(slot, {})[key] = None
        if place is None:
            place, self.next = self.next, self.next + 1
        self.held[key] = (slot, place)

    def changed(self, documents: dict, ids) -> None:
        """Documents `ids` were inserted, updated (they keep their place, as in the store) or deleted."""
        if self.ids is None:
            return
        if not all(isinstance(key, Hashable) for key in ids):  # a document as `_id`: mongomock's own way
            self.drop()
            return
        for key in ids:
            before = self.held.pop(key, None)
            if before is not None:
                del self.ids[before[0]][key]
            document = documents.get(key)
            if document is not None:
                self._keep(key, document, before[1] if before is not None else None)

    def holding(self, documents: dict, values: list) -> int:
        """How many documents a query pinning the field to `values` reads."""
        if self.ids is None:
            self._build(documents)
        return len(self.ids.get(_OTHER, ())) + sum(len(self.ids.get(value, ())) for value in set(values))

    def candidates(self, documents: dict, spec: dict, values: list) -> list:
        """[(id, the filter left to apply to it)] of the documents that may match `spec`, which pins the
        field to `values`, in stored order. A document kept under one of the values asked is known to pass
        the field's condition: the rest of the filter is left (mongomock's `$in` walks the whole list for
        each document); any other, the whole filter."""
        if self.ids is None:
            self._build(documents)
        rest = {name: condition for name, condition in spec.items() if name != self.field}
        found = dict.fromkeys(self.ids.get(_OTHER, {}), spec)
        for value in values:
            found.update(dict.fromkeys(self.ids.get(value, {}), rest))
        return sorted(found.items(), key=lambda pair: self.held[pair[0]][1])


def in_id_order(candidates: list | None, descending: bool) -> list | None:
    """A lookup's candidates in `_id` order (None when there are none, or ids that do not sort as strings):
    a page sorted by `_id` then reads the documents holding the values asked, not every document before."""
    if candidates is None or not all(type(key) is str for key, _left in candidates):
        return None
    return sorted(candidates, key=lambda pair: pair[0], reverse=descending)


class _Marker:
    def __repr__(self) -> str:
        return "<other>"


_OTHER = _Marker()  # the slot of documents whose value is not plain (read for every query)
_ABSENT = _Marker()  # the slot of documents without a value (a query asks only plain values: never read)
