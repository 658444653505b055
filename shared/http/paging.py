"""Cursor pagination over `_id` (ULIDs sort by creation time)."""
from __future__ import annotations

import marshmallow as ma

from shared.ids import Id


class PageQuerySchema(ma.Schema):
    limit = ma.fields.Integer(load_default=50, validate=ma.validate.Range(min=1, max=200))
    cursor = Id(load_default=None)  # the last id of the previous page; a list overrides it with its prefix


_PAGES: dict[type, type] = {}


def page_of(item_schema) -> type[ma.Schema]:
    """The schema of a page of `item_schema` as `shared.store.page` answers it: `{items, next_cursor}` (one
    class per item schema, named after it, so the OpenAPI document has one `XPage` component)."""
    item = item_schema if isinstance(item_schema, type) else type(item_schema)
    if item not in _PAGES:
        name = item.__name__.removesuffix("Schema") + "PageSchema"
        _PAGES[item] = type(name, (ma.Schema,), {
            "__doc__": f"A page of {item.__name__.removesuffix('Schema')}: `next_cursor` is null on the last page.",
            "items": ma.fields.List(ma.fields.Nested(item), required=True),
            "next_cursor": ma.fields.String(required=True, allow_none=True,
                                            metadata={"description": "pass as `cursor` for the next page"})})
    return _PAGES[item]
