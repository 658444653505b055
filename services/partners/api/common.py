"""What several partners resources use: the handlers' dependencies, a page dump, the admin role."""
from __future__ import annotations

from services.partners import handlers
from shared.http import runtime

ADMIN = ("admin",)


def _deps() -> handlers.Deps:
    return runtime().extras["service"].deps


def _dump_page(page: dict, schema) -> dict:
    return {"items": schema.dump(page["items"], many=True), "next_cursor": page["next_cursor"]}
