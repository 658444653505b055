"""What several areas' views share: partner names, the pseudonymous view for project leads, and the
confirmation step of irreversible actions."""
from __future__ import annotations

import time

from flask import g, request

from services.web.security import web

PERSONAL = ("given_name", "family_name", "client_ref", "date_of_birth", "gender", "nationality", "contact")
_PARTNER_NAMES_TTL = 60.0


def pseudonymous(returnee: dict) -> dict:
    """Project leads never see names or the client reference, whatever an API sends."""
    if g.user.role != "project_lead":
        return returnee
    return {k: v for k, v in returnee.items() if k not in PERSONAL}


def confirmed() -> bool | None:
    """An irreversible action's confirmation step (macros.html `confirm_box`): True when its form came back
    ticked, False when it came back without the tick (checked here, not only by the browser's `required`),
    None when the step was not shown yet."""
    if request.form.get("confirm") == "yes":
        return True
    return False if request.form.get("confirming") == "1" else None


def partner_names() -> dict:
    """{partner id: name}, cached a minute per process (organisations rarely change)."""
    cache = web().extras.setdefault("partner_names", {})
    if cache.get("at", 0) + _PARTNER_NAMES_TTL < time.monotonic():
        cache["names"] = {p["id"]: p["name"] for p in web().partners.partners()}
        cache["at"] = time.monotonic()
    return cache["names"]
