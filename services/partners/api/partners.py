"""Partner organisations and their client credentials (administrators)."""
from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from services.partners import handlers
from services.partners.api.common import ADMIN, _deps, _dump_page, own_organisation
from services.partners.shapes import credential_to_dict, partner_to_dict
from services.partners.schemas import (CredentialSchema, EmptySchema, PartnerNameSchema, PartnerPatchSchema,
                                       PartnerQuerySchema, PartnerSchema)
from shared.http import page_of, require

partners_blp = Blueprint("partners", __name__, url_prefix="/v1/partners",
                         description="Partner organisations and their credentials (administrators)")


@partners_blp.route("")
class Partners(MethodView):
    @partners_blp.arguments(PartnerQuerySchema, location="query")
    @partners_blp.alt_response(200, schema=page_of(PartnerSchema), success=True)
    @require(*ADMIN, "consultant")
    def get(self, args):
        """List partner organisations (filter by country served)."""
        page = handlers.list_partners(_deps(), args.get("country"), args["limit"], args["cursor"])
        return _dump_page(page, PartnerSchema())

    @partners_blp.arguments(PartnerSchema)
    @partners_blp.response(201, PartnerSchema)
    @require(*ADMIN)
    def post(self, data):
        """Register a partner organisation."""
        return partner_to_dict(handlers.register_partner(_deps(), data))


@partners_blp.route("/names", methods=["GET"])
@partners_blp.arguments(PartnerQuerySchema, location="query")
@partners_blp.alt_response(200, schema=page_of(PartnerNameSchema), success=True)
@require(*ADMIN, "consultant", "project_lead")
def names(args):
    """List partner organisations' names, countries and whether active (every staff role; no contact person)."""
    page = handlers.list_partners(_deps(), args.get("country"), args["limit"], args["cursor"])
    return _dump_page(page, PartnerNameSchema())


@partners_blp.route("/<partner_id>")
class PartnerById(MethodView):
    @partners_blp.response(200, PartnerSchema)
    @require(*ADMIN, "consultant", "partner")
    def get(self, partner_id):
        """Read a partner organisation (a partner: only its own, e.g. its languages for its people's pages)."""
        own_organisation(partner_id)
        return partner_to_dict(handlers.get_partner(_deps(), partner_id))

    @partners_blp.arguments(PartnerPatchSchema(partial=True))
    @partners_blp.response(200, PartnerSchema)
    @require(*ADMIN)
    def patch(self, changes, partner_id):
        """Change a partner organisation's details."""
        return partner_to_dict(handlers.update_partner(_deps(), partner_id, changes))


@partners_blp.route("/<partner_id>/credentials")
class Credentials(MethodView):
    @partners_blp.response(200, CredentialSchema(many=True))
    @require(*ADMIN)
    def get(self, partner_id):
        """List a partner's client ids (never the secrets)."""
        return [credential_to_dict(d) for d in handlers.list_credentials(_deps(), partner_id)]

    @partners_blp.arguments(EmptySchema, required=False)
    @partners_blp.response(201, CredentialSchema)
    @require(*ADMIN)
    def post(self, _body, partner_id):
        """Issue client credentials: the secret is shown in this response only."""
        return handlers.issue_credentials(_deps(), partner_id)

    @partners_blp.response(204)
    @require(*ADMIN)
    def delete(self, partner_id):
        """Revoke every client id of the partner organisation."""
        handlers.revoke_all_credentials(_deps(), partner_id)


@partners_blp.route("/<partner_id>/credentials/<client_id>", methods=["DELETE"])
@partners_blp.response(204)
@require(*ADMIN)
def revoke(partner_id, client_id):
    """Revoke client credentials."""
    handlers.revoke_credentials(_deps(), partner_id, client_id)
