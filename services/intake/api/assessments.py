"""The judgement before return: consultants and administrators only (project leads see the scores only in
monitoring's outcome tables, pseudonymous and in aggregate; never the judgement's text). Every call is in the
audit log by person, as every /v1 call."""
from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from services.intake import assessments
from services.intake.api.common import WRITERS, _deps
from services.intake.schemas.assessments import AssessmentListSchema, AssessmentOutSchema, AssessmentSchema
from shared.http import audit_resource, principal, require

assessments_blp = Blueprint("assessments", __name__, url_prefix="/v1/returnees",
                            description="The judgement before return at the decision moments")


@assessments_blp.route("/<returnee_id>/assessments")
class Assessments(MethodView):
    @assessments_blp.response(200, AssessmentListSchema)
    @require(*WRITERS)
    def get(self, returnee_id):
        """The client's assessments before return, oldest first (the last is the one the client left with)."""
        return {"items": assessments.list_assessments(_deps(), returnee_id)}

    @assessments_blp.arguments(AssessmentSchema)
    @assessments_blp.response(201, AssessmentOutSchema)
    @assessments_blp.alt_response(409, response="CONFLICT")
    @require(*WRITERS)
    def post(self, data, returnee_id):
        """Record an assessment (`assessed_by` is the caller); its scores and codes go to monitoring."""
        assessment = assessments.add_assessment(_deps(), returnee_id, data, principal().sub)
        audit_resource(assessment["id"], returnee_id=returnee_id)
        return assessment
