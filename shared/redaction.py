"""What project leads get: per-person answers without names, notes, free text or a region below the country.

Project leads follow the programme through aggregates and pseudonymous ids (PRIVACY.md). Each service names,
with dotted paths, the fields of its per-person answers that a project lead never sees, and answers them
`without(answer, paths)`: a copy without those fields. In a path, `*` steps into every item of a list (or
every value of a mapping): `"checkins.*.notes"`. Stdlib only, so domain code and the web app can use it.
"""
from __future__ import annotations

from typing import Any, Iterable

_DROP = None  # a leaf of the tree: the field goes


def _tree(paths: Iterable[str]) -> dict:
    tree: dict = {}
    for path in paths:
        node = tree
        *steps, last = path.split(".")
        for step in steps:
            if step in node and node[step] is _DROP:
                break  # a parent already goes whole
            node = node.setdefault(step, {})
        else:
            node[last] = _DROP
    return tree


def _without(value: Any, tree: dict) -> Any:
    if isinstance(value, list):
        if "*" not in tree:
            return value
        return [] if tree["*"] is _DROP else [_without(item, tree["*"]) for item in value]
    if not isinstance(value, dict):
        return value
    kept = {}
    for key, item in value.items():
        if key not in tree and "*" not in tree:
            kept[key] = item
            continue
        node = tree[key] if key in tree else tree["*"]
        if node is not _DROP:
            kept[key] = _without(item, node)
    return kept


def without(answer: Any, paths: Iterable[str]) -> Any:
    """A copy of `answer` (dicts and lists) without the fields `paths` name; the answer itself is unchanged."""
    return _without(answer, _tree(paths))
