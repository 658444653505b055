"""What several areas' views share: partner names, the pseudonymous view for project leads, and the
confirmation step of irreversible actions."""
from __future__ import annotations

import time

from flask import g, request

from services.web.security import web
from shared.redaction import without

PERSONAL = ("given_name", "family_name", "client_ref", "date_of_birth", "gender", "nationality", "contact")
# Nor free text a person wrote or the region as typed, in a returnee, its progress report or its monitoring case
# (the APIs answer project leads without them: services/intake/domain.py LEAD_HIDDEN, monitoring's api/common.py)
LEAD_HIDDEN = ("region", "reintegration_plan.goals", "reintegration_plan.planned_support.*.description", "exit.note",
               "handover.decline.detail", "plan.goals", "plan.planned_support.*.description", "decision.exit.note",
               *(f"{where}.{field}" for where in ("checkins.*", "slots.*.checkin")
                 for field in ("notes", "reason", "support_delivered.*.description")),
               "alerts.*.acknowledged_note", "alerts.*.resolution")
_PARTNER_NAMES_TTL = 60.0


def pseudonymous(returnee: dict | None) -> dict | None:
    """Project leads never see names, the client reference, free text or the region as typed, whatever an API
    sends (a returnee, its progress report, its monitoring case)."""
    if g.user.role != "project_lead" or returnee is None:
        return returnee
    return without({k: v for k, v in returnee.items() if k not in PERSONAL}, LEAD_HIDDEN)


def confirmed() -> bool | None:
    """An irreversible action's confirmation step (macros.html `confirm_box`): True when its form came back
    ticked, False when it came back without the tick (checked here, not only by the browser's `required`),
    None when the step was not shown yet."""
    if request.form.get("confirm") == "yes":
        return True
    return False if request.form.get("confirming") == "1" else None


class PartnerNames(dict):
    """{partner id: name} for one page, from the names cached a minute per process. An id they lack (an
    organisation added since, perhaps through another web process) fetches them again once for the page,
    unless the last fetch lacked it too (then it waits for the next minute: an unknown id costs one call)."""

    def __init__(self):
        super().__init__()
        self._fetched = False
        self._load(None)

    def _load(self, wanted: str | None) -> None:
        cache = web().extras.setdefault("partner_names", {})
        stale = "at" not in cache or cache["at"] + _PARTNER_NAMES_TTL < time.monotonic()
        if stale or (wanted and not self._fetched and wanted not in cache["names"] and wanted not in cache["unknown"]):
            cache.update(names={p["id"]: p["name"] for p in web().partners.names()}, unknown=set(),
                         at=time.monotonic())
            self._fetched = True
        if wanted and wanted not in cache["names"]:
            cache["unknown"].add(wanted)
        self.update(cache["names"])

    def get(self, partner_id, default=None):
        if partner_id and partner_id not in self:
            self._load(partner_id)
        return super().get(partner_id, default)


def partner_names() -> PartnerNames:
    """{partner id: name}, cached a minute per process (organisations rarely change).

    From the partners route every staff role may call, which answers every role the same (names, not the
    contact person): the cache holds nothing that depends on who filled it."""
    return PartnerNames()
