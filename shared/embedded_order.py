"""Ordered indexes for the embedded store: `_id` in order, and the words of one field (see embedded_store).

MongoDB answers a page sorted by `_id` from its `_id` index: it walks the keys in order from the
cursor and stops after `limit` matches. mongomock filters every document and sorts them all. Here each
stored collection keeps its keys sorted (`OrderedKeys`) and a page of a query sorted by `_id` walks them
the same way. A collection named in `index_words` also keeps the words of one list field in order, so
a filter on prefixes of that field (`{field: {"$regex": "^prefix"}}`, and more in `$and`: what a search by
name sends) reads only the documents that have a word for each, as MongoDB intersects a multikey index.

The keys and words are kept as documents are inserted, updated by `_id` and deleted; any other change
(an update or delete by another filter) drops them, and the next ordered read rebuilds them.
"""
from __future__ import annotations

import bisect
import re

_WORD_FIELDS: dict[str, str] = {}  # collection name -> the list-of-strings field whose words are indexed
_HIGHEST = "\U0010ffff"


def index_words(collection: str, field: str) -> None:
    """Keep the words of `field` of the documents of `collection` in order (idempotent)."""
    _WORD_FIELDS[collection] = field


def _sortable(key) -> bool:
    return isinstance(key, str)


class OrderedKeys:
    """The sorted `_id`s of one stored collection, and the sorted (word, `_id`) pairs of its word field."""

    def __init__(self, name: str):
        self.field = _WORD_FIELDS.get(name)
        self.keys: list | None = None
        self.pairs: list | None = None
        self.words: dict = {}

    # --- keeping ---------------------------------------------------------------------------------------

    def drop(self) -> None:
        self.keys = self.pairs = None
        self.words = {}

    def _build(self, documents: dict) -> None:
        if not all(map(_sortable, documents)):
            raise _Unordered
        self.keys = sorted(documents)
        self.words, self.pairs = {}, []
        if self.field:
            for key, document in documents.items():
                self.words[key] = _words_of(document, self.field)
            self.pairs = sorted((word, key) for key, words in self.words.items() for word in words)

    def changed(self, documents: dict, ids) -> None:
        """Documents `ids` were inserted, updated or deleted."""
        if self.keys is None:
            return
        for key in ids:
            if not _sortable(key):
                self.drop()
                return
            present = key in documents
            at = bisect.bisect_left(self.keys, key)
            known = at < len(self.keys) and self.keys[at] == key
            if present and not known:
                self.keys.insert(at, key)
            elif known and not present:
                del self.keys[at]
            if self.field:
                self._rewords(key, _words_of(documents[key], self.field) if present else ())

    def _rewords(self, key, words: tuple) -> None:
        old = self.words.pop(key, ())
        if old == words:
            if words:
                self.words[key] = words
            return
        for word in old:
            at = bisect.bisect_left(self.pairs, (word, key))
            if at < len(self.pairs) and self.pairs[at] == (word, key):
                del self.pairs[at]
        for word in words:
            bisect.insort(self.pairs, (word, key))
        if words:
            self.words[key] = words

    # --- reading ---------------------------------------------------------------------------------------

    def candidates(self, documents: dict, spec: dict, descending: bool):
        """The keys a query sorted by `_id` has to look at, in its order; None when the query is not one
        this index serves."""
        try:
            if self.keys is None:
                self._build(documents)
        except _Unordered:
            self.drop()
            return None
        prefix = _prefix(spec.get(self.field)) if self.field else None
        if prefix is not None:  # the documents with a word for each prefix the query asks (`$and` too)
            prefixes = [prefix] + [_prefix(part.get(self.field)) for part in spec.get("$and") or ()
                                   if isinstance(part, dict) and list(part) == [self.field]]
            found = None
            for each in (p for p in prefixes if p is not None):
                lo = bisect.bisect_left(self.pairs, (each,))
                hi = bisect.bisect_left(self.pairs, (each + _HIGHEST,))
                with_word = {key for _word, key in self.pairs[lo:hi]}
                found = with_word if found is None else found & with_word
            keys = sorted(found)
        else:
            keys = self.keys
        lo, hi = _bounds(spec.get("_id"), keys)
        if lo is None:
            return None if prefix is None else (reversed(keys) if descending else keys)
        keys = keys[lo:hi]
        return reversed(keys) if descending else keys


class _Unordered(Exception):
    """A collection with keys that do not sort as strings (ObjectIds, numbers): mongomock's own way."""


def _words_of(document: dict, field: str) -> tuple:
    value = document.get(field)
    return tuple(sorted({w for w in value if isinstance(w, str)})) if isinstance(value, list) else ()


_LITERAL = re.compile(r"(?:[^\\.^$*+?{}\[\]|()]|\\[^A-Za-z0-9])*")


def _prefix(condition) -> str | None:
    """The literal a `{"$regex": "^literal"}` condition asks words to start with, else None."""
    if not isinstance(condition, dict) or list(condition) != ["$regex"] or not isinstance(condition["$regex"], str):
        return None
    pattern = condition["$regex"]
    if not pattern.startswith("^") or not _LITERAL.fullmatch(pattern[1:]):
        return None
    return re.sub(r"\\(.)", r"\1", pattern[1:])


def _bounds(condition, keys: list) -> tuple:
    """The slice of sorted `keys` an `_id` condition allows (everything without one); (None, None) when the
    condition is not a range of string bounds."""
    if condition is None:
        return 0, len(keys)
    if not isinstance(condition, dict) or not condition or not set(condition) <= {"$gt", "$gte", "$lt", "$lte"} \
            or not all(isinstance(v, str) for v in condition.values()):
        return None, None
    lo, hi = 0, len(keys)
    if "$gt" in condition:
        lo = max(lo, bisect.bisect_right(keys, condition["$gt"]))
    if "$gte" in condition:
        lo = max(lo, bisect.bisect_left(keys, condition["$gte"]))
    if "$lt" in condition:
        hi = min(hi, bisect.bisect_left(keys, condition["$lt"]))
    if "$lte" in condition:
        hi = min(hi, bisect.bisect_right(keys, condition["$lte"]))
    return lo, max(lo, hi)
