"""The managed list of the receiving return organisations that exits name."""
from __future__ import annotations

import re
import unicodedata


from shared.errors import Conflict, NotFound
from shared.texts import Text
from services.intake.handlers.common import Deps


DEFAULT_ORGANISATIONS = ("Bridge to Better", "ROS", "Solid Road", "WereldWijd", "IOM")  # 004_..., "In Nederland"


def slug(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:63] or "organisation"


def add_organisation(deps: Deps, data: dict) -> dict:
    """Add a receiving return organisation (administrators); its id is a slug of the name unless given."""
    organisation = {"id": data.get("id") or slug(data["name"]), "name": data["name"], "active": True,
                    "created_at": deps.clock.now()}
    if not deps.repo.add_organisation(organisation):
        raise Conflict(Text("A return organisation with id {id} exists already.", id=repr(organisation["id"])))
    return deps.repo.organisation(organisation["id"])


def set_organisation_active(deps: Deps, organisation_id: str, active: bool) -> dict:
    """Deactivate (or reactivate) a return organisation; past exits keep naming it."""
    organisation = deps.repo.set_organisation_active(organisation_id, active)
    if organisation is None:
        raise NotFound("No such return organisation.")
    return organisation


def seed_organisations(deps: Deps) -> None:
    """The programme's five Dutch return organisations, added once (an administrator's changes stay)."""
    for name in DEFAULT_ORGANISATIONS:
        deps.repo.add_organisation({"id": slug(name), "name": name, "active": True, "created_at": deps.clock.now()})
