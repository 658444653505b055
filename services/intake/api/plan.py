"""The perspective plan (services/intake/plan_versions.py): consultants and administrators only; project leads,
whose pages are pseudonymous, never see it, nor do partners (they get the fixed plan sealed, in the profile)."""
from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from services.intake import plan_versions
from services.intake.api.common import WRITERS, _deps
from services.intake.schemas.plan import PlanFixSchema, PerspectivePlanOutSchema, PerspectivePlanSchema, PerspectivePlanVersionsSchema
from shared.http import audit_resource, principal, require

plan_blp = Blueprint("plan", __name__, url_prefix="/v1/returnees",
                     description="The case file's perspective plan (perspectiefplan): goals, fixing, versions")


@plan_blp.route("/<returnee_id>/plan")
class Plan(MethodView):
    @plan_blp.response(200, PerspectivePlanOutSchema)
    @require(*WRITERS)
    def get(self, returnee_id):
        """The current version of the plan (`version` 0 and no goals: none yet)."""
        audit_resource(f"{returnee_id}:plan", returnee_id=returnee_id)
        return plan_versions.current_plan(_deps(), returnee_id)

    @plan_blp.arguments(PerspectivePlanSchema)
    @plan_blp.response(200, PerspectivePlanOutSchema)
    @plan_blp.alt_response(409, response="CONFLICT")
    @require(*WRITERS)
    def put(self, data, returnee_id):
        """Change the plan: a new version, with what changed and why (`reason`, required once fixed)."""
        audit_resource(f"{returnee_id}:plan", returnee_id=returnee_id)
        return plan_versions.change_plan(_deps(), returnee_id, data, principal().sub)


@plan_blp.route("/<returnee_id>/plan/fix")
class FixPlan(MethodView):
    @plan_blp.arguments(PlanFixSchema)
    @plan_blp.response(200, PerspectivePlanOutSchema)
    @plan_blp.alt_response(409, response="CONFLICT")
    @require(*WRITERS)
    def post(self, data, returnee_id):
        """Fix (vaststellen) the current version on `fixed_on`; the partner holding the case gets it, sealed."""
        audit_resource(f"{returnee_id}:plan", returnee_id=returnee_id)
        return plan_versions.fix_plan(_deps(), returnee_id, data["fixed_on"], principal().sub)


@plan_blp.route("/<returnee_id>/plan/versions")
class PlanVersions(MethodView):
    @plan_blp.response(200, PerspectivePlanVersionsSchema)
    @require(*WRITERS)
    def get(self, returnee_id):
        """Every version of the plan, oldest first, each with what changed and why."""
        audit_resource(f"{returnee_id}:plan", returnee_id=returnee_id)
        return {"items": plan_versions.all_versions(_deps(), returnee_id)}
