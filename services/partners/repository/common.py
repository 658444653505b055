"""What the partners repository's parts share: the stored fields, and raw updates built the same way."""
from __future__ import annotations

from datetime import datetime
from typing import Iterable

from shared.document_dicts import stored_days

PARTNER_FIELDS = ("name", "countries", "services", "languages", "contact", "network", "active", "created_at",
                  "updated_at")
NOTES_KEPT = 50  # notes on a partner organisation: the newest, so the document stays small


def note_push(now: datetime, kind: str, text: str) -> dict:
    """The raw `$push` clause that adds a note to a partner organisation, keeping the newest NOTES_KEPT."""
    return {"notes": {"$each": [{"at": now, "kind": kind, "text": text}], "$slice": -NOTES_KEPT}}


def present(doc: dict, names: Iterable[str]) -> dict:
    """The named fields that hold a value (mongoengine stores no None)."""
    return {name: doc[name] for name in names if doc.get(name) is not None}


def set_changes(changes: dict) -> dict:
    """A raw update that sets `changes`: None removes the field (as mongoengine stores it), days become
    midnight UTC (raw updates bypass the fields' conversion)."""
    values = stored_days(changes)
    update = {}
    if any(v is not None for v in values.values()):
        update["$set"] = {k: v for k, v in values.items() if v is not None}
    if any(v is None for v in values.values()):
        update["$unset"] = {k: "" for k, v in values.items() if v is None}
    return update


