"""The returnee page's judgement before return and the consultant's contact from the Netherlands: record an
assessment at a decision moment (the five domains on monitoring's rubric, documents, safety, the judgement),
record a phone or video check-in (what the section shows: views/before_after.py). Consultants and administrators
only (a project lead's page shows neither)."""
from __future__ import annotations

import uuid

from flask import Blueprint, request
from flask_babel import gettext as _

from services.web.security import roles, web
from services.web.views.returnee_page import WRITERS, act

bp = Blueprint("assessments", __name__, url_prefix="/returnees")


def _scores(form) -> dict:
    return {domain: int(form[domain]) if form.get(domain, "").isdigit() else None
            for domain in web().vocabularies.codes("monitoring.domains")}


@bp.route("/<returnee_id>/assessments", methods=["POST"])
@roles(*WRITERS)
def add(returnee_id):
    form = request.form
    body = {"assessed_on": form.get("assessed_on") or None, "moment": form.get("moment") or None,
            "scores": _scores({k.removeprefix("score_"): v for k, v in form.items()}),
            "documents": form.get("documents") or None, "safety": form.get("safety") or None,
            "judgement": form.get("judgement", "").strip() or None}
    return act(returnee_id, lambda: web().intake.add_assessment(returnee_id, body),
               _("The assessment before return was recorded."),
               refused=lambda status, context: _("The assessment could not be saved: see the messages at the fields.")
               if status == 422 else None)


@bp.route("/<returnee_id>/contact", methods=["POST"])
@roles(*WRITERS)
def contact(returnee_id):
    """The consultant's phone or video contact, as a check-in recorded by them (monitoring's check-in API)."""
    form = request.form
    slot = form.get("slot", "ad_hoc")
    body = {"returnee_id": returnee_id, "slot": int(slot) if slot.isdigit() else slot,
            "contact_date": form.get("contact_date") or None, "contact_made": True,
            "contact_mode": form.get("contact_mode") or None,
            "scores": {k: v for k, v in _scores({k.removeprefix("c_"): v for k, v in form.items()}).items()
                       if v is not None},
            "safety_concern": form.get("safety_concern") == "1", "status": "in_country",
            "support_delivered": [], "notes": form.get("notes", "").strip()}
    key = form.get("key") or str(uuid.uuid4())  # the form's own key: sent twice, recorded once
    return act(returnee_id, lambda: web().monitoring.record_checkin(body, key), _("The contact was recorded."),
               field_names={f"scores.{d}": f"c_{d}" for d in ("economic", "housing", "social", "health", "resilience")},
               refused=lambda status, context: _("The contact could not be saved: see the messages at the fields.")
               if status == 422 else None)
