"""What several partners resources use: the handlers' dependencies, a page dump, the admin role."""
from __future__ import annotations

from services.partners import handlers
from shared.errors import NotFound
from shared.http import principal, runtime

ADMIN = ("admin",)


def _deps() -> handlers.Deps:
    return runtime().extras["service"].deps


def _dump_page(page: dict, schema) -> dict:
    return {"items": schema.dump(page["items"], many=True), "next_cursor": page["next_cursor"]}


def own_organisation(partner_id: str) -> None:
    """A partner reads only its own organisation: another one's id answers 404, as an unknown id does."""
    who = principal()
    if who.is_partner and who.org != partner_id:
        raise NotFound("No such partner organisation.")
