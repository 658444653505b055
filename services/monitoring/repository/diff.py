"""A case as read, and the update that turns the case as read into the case as changed: only the fields
and list elements that differ (so a write of a large case sends little)."""
from __future__ import annotations

from services.monitoring.documents import Case
from shared import document_dicts as dicts

BOOKKEEPING = ("_id", "version", "seen_events")
_EMBEDDED_LISTS = {name for name, field in Case._fields.items() if dicts.element_class(field) is not None}


def case_from_stored(raw: dict) -> dict:
    keys = raw.pop("keys", None)  # as stored: only looked up by id, so not converted on every read
    case = dicts.to_domain(Case, raw)
    case["_id"] = case.pop("id")
    if keys:
        case["keys"] = keys
    for name in ("outbox", "schema_version"):
        case.pop(name, None)
    return case


def _list_changes(name: str, old: list, new: list) -> dict | None:
    """`$set`s of the elements that changed or were appended, or None when the list shrank.

    Appended elements are set by index rather than `$push`ed: a correction changes an old check-in
    and appends one in the same write, and MongoDB refuses `$set checkins.3...` with `$push checkins`."""
    if len(new) < len(old):
        return None
    return {f"{name}.{i}": dicts.element_to_stored(Case, name, item)
            for i, item in enumerate(new) if i >= len(old) or item != old[i]}


def changes(before: dict, after: dict) -> tuple[dict, dict]:
    """The `$set` and `$unset` that turn the stored `before` into `after` (only what differs)."""
    set_, unset = {}, {}
    for name in after.keys() | before.keys():
        if name in BOOKKEEPING:
            continue
        old, new = before.get(name), after.get(name)
        if name == "keys":  # added by `update(key=...)` only; a change may forget them all (erasure)
            if old and not new:
                unset[name] = ""
            continue
        if old == new:
            continue
        if new is None:
            unset[name] = ""
            continue
        elements = _list_changes(name, old or [], new) if name in _EMBEDDED_LISTS else None
        if elements is not None:
            set_.update(elements)
        else:
            set_[name] = dicts.field_to_stored(Case, name, new)
    return set_, unset
