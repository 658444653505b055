"""Cursor pagination over `_id` (ULIDs sort by creation time)."""
from __future__ import annotations

from typing import Callable

import marshmallow as ma

from shared.ids import Id


class PageQuerySchema(ma.Schema):
    limit = ma.fields.Integer(load_default=50, validate=ma.validate.Range(min=1, max=200))
    cursor = Id(load_default=None)  # the last id of the previous page; a list overrides it with its prefix


def paginate(collection, selector: dict, limit: int, cursor: str | None, to_dict: Callable) -> dict:
    """Cursor pages over `_id` (ULIDs sort by creation time)."""
    query = dict(selector)
    if cursor:
        query["_id"] = {"$gt": cursor}
    docs = list(collection.find(query).sort("_id", 1).limit(limit + 1))
    more = len(docs) > limit
    docs = docs[:limit]
    return {"items": [to_dict(d) for d in docs], "next_cursor": docs[-1]["_id"] if more and docs else None}
