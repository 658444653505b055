"""What the returnee page's "Voor en na terugkeer" section shows (views/assessments.py records): the last
assessment before return beside the check-ins after it, monitoring's rubric to score with, and whether the
consultant may record a contact."""
from __future__ import annotations

import uuid

from flask import g

from services.web.clients import ApiError, ApiUnavailable
from services.web.security import web
from services.web.tokens import staff_subject

WRITERS = ("consultant", "admin")
STAFF_MODES = ("phone", "video", "message")  # a contact from the Netherlands


def before_after(assessments: list[dict], case: dict | None) -> dict:
    """The last assessment before return and the check-ins after it that scored something, oldest first."""
    after = [c for c in (case or {}).get("checkins") or [] if not c.get("superseded_by") and c.get("scores")]
    after.sort(key=lambda c: (c.get("contact_date") or "", c.get("recorded_at") or ""))
    return {"before": assessments[-1] if assessments else None, "after": after}


def may_contact(returnee: dict) -> bool:
    """Monitoring takes a consultant's check-in only for a client they follow (or one nobody follows yet)."""
    return returnee.get("consultant") in (None, "", staff_subject(g.user.username))


def assessments_context(returnee_id: str, case: dict | None) -> dict:
    """What the section shows: the assessments (none for project leads; a notice when intake cannot say now),
    the comparison, the rubric to score with and the slots a contact may count for."""
    if g.user.role not in WRITERS:
        return {"assessments": None}
    try:
        assessments, unavailable = web().intake.assessments(returnee_id), False
    except (ApiError, ApiUnavailable):
        assessments, unavailable = [], True
    open_slots = [s["slot"] for s in (case or {}).get("slots") or [] if not s.get("checkin")
                  and s.get("status") in ("due", "overdue", "scheduled")]
    return {"assessments": assessments, "assessments_unavailable": unavailable,
            "comparison": before_after(assessments, case), "rubric": rubric(), "open_slots": open_slots,
            "staff_modes": STAFF_MODES, "contact_key": str(uuid.uuid4())}


def rubric() -> dict:
    """domain -> [(score, what it means in the page's language)]: monitoring's rubric, never a copy."""
    from services.web.vocabulary import _locale
    from shared.pages.vocabularies import label_text

    try:
        codes = web().vocabularies.vocabulary("monitoring.domains")["codes"]
    except (ApiError, ApiUnavailable):
        return {}
    return {entry["code"]: [(level["score"], label_text(level["labels"], _locale(), str(level["score"])))
                            for level in entry.get("rubric") or []] for entry in codes}
