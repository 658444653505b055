"""What partners holds about one returnee, for intake's subject access export (GDPR art. 15/20)."""
from __future__ import annotations

from flask_smorest import Blueprint

from services.partners import handlers
from services.partners.api.common import _deps
from services.partners.shapes import handover_to_dict
from shared.http.openapi import AnswerSchema
from shared.http import require, runtime

subjects_blp = Blueprint("subjects", __name__, url_prefix="/v1/subjects",
                         description="Everything held about one returnee (services and administrators)")


@subjects_blp.route("/<returnee_id>")
@subjects_blp.alt_response(200, schema=AnswerSchema, success=True, description="What partners holds about the returnee")
@require("service", "admin")
def subject(returnee_id):
    """Every handover of the returnee (the partner's copy, with personal data while it may be held, and the notes
    and documents shared on it), the webhook messages about it (ids and types only) and the audit entries about it."""
    deps = _deps()
    repo = deps.repo
    return {"service": "partners", "returnee_id": returnee_id,
            "handovers": [{**handover_to_dict(h), "shared": handlers.shared_items(deps, h)}
                          for h in repo.handovers_of(returnee_id)],
            "webhook_messages": repo.messages_about(returnee_id),
            "audit": runtime().audit.about(returnee_id)}
