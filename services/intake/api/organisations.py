"""Return organisations and offices."""
from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from services.intake import handlers, offices
from services.intake.schemas import OrganisationPatchSchema, OrganisationQuerySchema, OrganisationSchema
from shared.http import require
from shared.http.openapi import AnswerSchema


from services.intake.api.common import READERS, _deps


organisations_blp = Blueprint("return_organisations", __name__, url_prefix="/v1/return-organisations",
                              description="Dutch return organisations clients are referred to (managed list)")


@organisations_blp.route("")
class ReturnOrganisations(MethodView):
    @organisations_blp.arguments(OrganisationQuerySchema, location="query")
    @organisations_blp.alt_response(200, schema=AnswerSchema, success=True, description="The return organisations")
    @require(*READERS)
    def get(self, args):
        """The return organisations (active ones, or all with `include_inactive=true`)."""
        items = _deps().repo.organisations(include_inactive=args["include_inactive"])
        return {"items": OrganisationSchema().dump(items, many=True)}

    @organisations_blp.arguments(OrganisationSchema)
    @organisations_blp.response(201, OrganisationSchema)
    @require("admin")
    def post(self, body):
        """Add a return organisation (administrators)."""
        return handlers.add_organisation(_deps(), body)


@organisations_blp.route("/<organisation_id>", methods=["PATCH"])
@organisations_blp.arguments(OrganisationPatchSchema)
@organisations_blp.response(200, OrganisationSchema)
@require("admin")
def patch_organisation(body, organisation_id):
    """Deactivate or reactivate a return organisation; past exits keep naming it."""
    return handlers.set_organisation_active(_deps(), organisation_id, body["active"])


offices_blp = Blueprint("offices", __name__, url_prefix="/v1/offices",
                        description="The programme's offices (support points) and regions")


@offices_blp.route("")
@offices_blp.alt_response(200, schema=AnswerSchema, success=True, description="The regions with their offices")
@require(*READERS)
def get_offices():
    """The regions with their offices (offices.json)."""
    return offices.listing()

