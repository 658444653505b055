"""What monitoring holds about one returnee, for intake's subject access export (GDPR art. 15/20)."""
from __future__ import annotations

from flask_smorest import Blueprint

from services.monitoring.api.common import _service
from shared.http.openapi import AnswerSchema
from shared.http import require, runtime

subjects_blp = Blueprint("subjects", __name__, url_prefix="/v1/subjects",
                         description="Everything held about one returnee (services and administrators)")


@subjects_blp.route("/<returnee_id>")
@subjects_blp.alt_response(200, schema=AnswerSchema, success=True, description="What monitoring holds about the returnee")
@require("service", "admin")
def subject(returnee_id):
    """The returnee's case (plan, check-ins with notes, scores, alerts) and the audit entries about it."""
    case = _service().deps.repo.get_full(returnee_id)  # every check-in, those moved to the history too
    held = {k: v for k, v in case.items() if k not in ("outbox", "seen_events", "keys")} if case else None
    return {"service": "monitoring", "returnee_id": returnee_id, "case": held,
            "audit": runtime().audit.about(returnee_id)}
