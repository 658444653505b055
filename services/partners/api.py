"""The partners HTTP API: organisations, credentials and webhooks (admin), OAuth2 tokens, handovers (partners).

Run: `gunicorn 'services.partners.api:create_app()'`
"""
from __future__ import annotations

import json

from flask import Response, request
from flask.views import MethodView
from flask_smorest import Blueprint

from services.partners import handlers, webhooks
from services.partners.bootstrap import PartnersService, bootstrap
from services.partners.repository import handover_to_dict, partner_to_dict
from services.partners.schemas import (ArrivalSchema, CredentialSchema, DeclineSchema, DeliveryQuerySchema,
                                       EmptySchema, HandoverQuerySchema, HandoverSchema, PartnerPatchSchema,
                                       PartnerQuerySchema, PartnerSchema, TokenSchema, WebhookDeliverySchema,
                                       WebhookMessageSchema, WebhookRequestSchema, WebhookSchema,
                                       WebhookSecretSchema)
from shared.auth import jwks
from shared.http import Problem, paginate, principal, problem_response, require, runtime, service_app

ADMIN = ("admin",)
TOKEN_ATTEMPTS_PER_MINUTE = 30  # per client id: slows down guessing secrets
HANDOVER_READERS = ("partner", "admin", "consultant")


def _deps() -> handlers.Deps:
    return runtime().extras["service"].deps


def _dump_page(page: dict, schema) -> dict:
    return {"items": schema.dump(page["items"], many=True), "next_cursor": page["next_cursor"]}


partners_blp = Blueprint("partners", __name__, url_prefix="/v1/partners",
                         description="Partner organisations and their credentials (administrators)")


@partners_blp.route("")
class Partners(MethodView):
    @partners_blp.arguments(PartnerQuerySchema, location="query")
    @require(*ADMIN, "consultant")
    def get(self, args):
        """List partner organisations (filter by country served)."""
        selector = {"countries": args["country"]} if args.get("country") else {}
        page = paginate(_deps().repo.partners, selector, args["limit"], args["cursor"], partner_to_dict)
        return _dump_page(page, PartnerSchema())

    @partners_blp.arguments(PartnerSchema)
    @partners_blp.response(201, PartnerSchema)
    @require(*ADMIN)
    def post(self, data):
        """Register a partner organisation."""
        return partner_to_dict(handlers.register_partner(_deps(), data))


@partners_blp.route("/<partner_id>")
class PartnerById(MethodView):
    @partners_blp.response(200, PartnerSchema)
    @require(*ADMIN, "consultant")
    def get(self, partner_id):
        """Read a partner organisation."""
        doc = _deps().repo.get_partner(partner_id)
        if doc is None:
            raise Problem(404, "No such partner organisation.")
        return partner_to_dict(doc)

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
        if _deps().repo.get_partner(partner_id) is None:
            raise Problem(404, "No such partner organisation.")
        docs = _deps().repo.credentials.find({"partner_id": partner_id}).sort("created_at", 1)
        return [{"client_id": d["_id"], "partner_id": partner_id, "created_at": d["created_at"],
                 "revoked_at": d.get("revoked_at")} for d in docs]

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


webhooks_blp = Blueprint("webhooks", __name__, url_prefix="/v1/partners",
                         description="Partner webhooks (Standard Webhooks) and their delivery log (administrators)")


@webhooks_blp.route("/<partner_id>/webhook")
class Webhook(MethodView):
    @webhooks_blp.response(200, WebhookSchema)
    @require(*ADMIN)
    def get(self, partner_id):
        """Read the partner's webhook URL (the signing secret is never shown again)."""
        return webhooks.webhook_of(_deps(), partner_id)

    @webhooks_blp.arguments(WebhookRequestSchema)
    @webhooks_blp.response(200, WebhookSecretSchema)
    @require(*ADMIN)
    def put(self, body, partner_id):
        """Set the webhook URL; the signing secret is in this response only, and each call rotates it."""
        return webhooks.configure_webhook(_deps(), partner_id, body["url"],
                                          allow_http=not runtime().settings.production)

    @webhooks_blp.response(204)
    @require(*ADMIN)
    def delete(self, partner_id):
        """Stop sending webhooks to the partner."""
        webhooks.remove_webhook(_deps(), partner_id)


@webhooks_blp.route("/<partner_id>/webhook/deliveries")
@webhooks_blp.arguments(DeliveryQuerySchema, location="query")
@require(*ADMIN)
def webhook_deliveries(args, partner_id):
    """Every delivery attempt to the partner, oldest first (filter by webhook_id)."""
    if _deps().repo.get_partner(partner_id) is None:
        raise Problem(404, "No such partner organisation.")
    selector = {"partner_id": partner_id}
    if args.get("webhook_id"):
        selector["message_id"] = args["webhook_id"]
    page = paginate(_deps().repo.webhook_deliveries, selector, args["limit"], args["cursor"],
                    webhooks.delivery_to_dict)
    return _dump_page(page, WebhookDeliverySchema())


@webhooks_blp.route("/<partner_id>/webhook/deliveries/<message_id>/replay", methods=["POST"])
@webhooks_blp.arguments(EmptySchema, required=False)
@webhooks_blp.response(202, WebhookMessageSchema)
@require(*ADMIN)
def replay_webhook(_body, partner_id, message_id):
    """Send a message again (same webhook-id, a fresh retry schedule), e.g. after the partner's outage."""
    return webhooks.replay(_deps(), partner_id, message_id)


oauth_blp = Blueprint("oauth", __name__, description="OAuth2 client credentials (RFC 6749 4.4) and keys")


def _oauth_error(status: int, error: str, detail: str) -> Response:
    """RFC 6749 5.2 error members (`error`, `error_description`) inside the usual problem+json."""
    response = problem_response(status, detail, title=error)
    response.set_data(json.dumps({**response.get_json(), "error": error, "error_description": detail}))
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Basic realm="homeward"'
    return response


@oauth_blp.route("/v1/oauth/token", methods=["POST"])
@oauth_blp.doc(security=[], requestBody={"content": {"application/x-www-form-urlencoded": {
    "schema": {"type": "object", "required": ["grant_type"], "properties": {
        "grant_type": {"type": "string", "enum": ["client_credentials"]},
        "client_id": {"type": "string"}, "client_secret": {"type": "string"}}}}}})
@oauth_blp.response(200, TokenSchema)
def token():
    """Exchange client credentials (form fields or HTTP Basic) for a JWT of at most 15 minutes."""
    form = request.form
    grant = form.get("grant_type")
    if not grant:
        return _oauth_error(400, "invalid_request", "grant_type is required (form-encoded body).")
    if grant != "client_credentials":
        return _oauth_error(400, "unsupported_grant_type", "Only client_credentials is supported.")
    client_id, client_secret = form.get("client_id"), form.get("client_secret")
    if request.authorization and request.authorization.type == "basic":
        client_id, client_secret = request.authorization.username, request.authorization.password
    if not client_id or not client_secret:
        return _oauth_error(401, "invalid_client", "client_id and client_secret are required.")
    wait = runtime().limiter.retry_after(f"token:{client_id}", TOKEN_ATTEMPTS_PER_MINUTE)
    if wait:
        response = _oauth_error(429, "slow_down", f"Too many token requests; retry in {wait} s.")
        response.headers["Retry-After"] = str(wait)
        return response
    if _deps().issuer is None:
        return _oauth_error(503, "temporarily_unavailable", "This process has no signing key.")
    try:
        result = handlers.exchange_token(_deps(), client_id, client_secret)
    except Problem as problem:
        return _oauth_error(401, "invalid_client", problem.detail)
    response = TokenSchema().dump(result)
    return response, 200, {"Cache-Control": "no-store", "Pragma": "no-cache"}


@oauth_blp.route("/.well-known/jwks.json")
@oauth_blp.doc(security=[])
def jwks_document():
    """The public keys that verify tokens issued here."""
    service: PartnersService = runtime().extras["service"]
    return jwks(service.public_keys), 200, {"Cache-Control": "public, max-age=300"}


handovers_blp = Blueprint("handovers", __name__, url_prefix="/v1/handovers",
                          description="Handovers offered to partner organisations")


@handovers_blp.route("")
@handovers_blp.arguments(HandoverQuerySchema, location="query")
@require(*HANDOVER_READERS)
def list_handovers(args):
    """List handovers: a partner sees only its own organisation's."""
    who = principal()
    selector = {k: args[k] for k in ("status", "returnee_id") if args.get(k)}
    if who.is_partner:
        selector["partner_id"] = who.org
    page = paginate(_deps().repo.handovers, selector, args["limit"], args["cursor"], handover_to_dict)
    return _dump_page(page, HandoverSchema())


@handovers_blp.route("/<handover_id>")
@handovers_blp.response(200, HandoverSchema)
@require(*HANDOVER_READERS)
def get_handover(handover_id):
    """Read one handover (404 when it belongs to another organisation)."""
    return handover_to_dict(handlers._own_handover(_deps(), principal(), handover_id))


@handovers_blp.route("/<handover_id>/accept", methods=["POST"])
@handovers_blp.arguments(EmptySchema, required=False)
@handovers_blp.response(200, HandoverSchema)
@require("partner")
def accept(_body, handover_id):
    """Accept the case."""
    return handover_to_dict(handlers.accept_handover(_deps(), principal(), handover_id))


@handovers_blp.route("/<handover_id>/decline", methods=["POST"])
@handovers_blp.arguments(DeclineSchema)
@handovers_blp.response(200, HandoverSchema)
@require("partner")
def decline(body, handover_id):
    """Decline the case with a reason."""
    return handover_to_dict(handlers.decline_handover(_deps(), principal(), handover_id,
                                                      body["reason"], body.get("detail", "")))


@handovers_blp.route("/<handover_id>/arrival", methods=["POST"])
@handovers_blp.arguments(ArrivalSchema)
@handovers_blp.response(200, HandoverSchema)
@require("partner")
def arrival(body, handover_id):
    """Confirm the returnee's arrival."""
    return handover_to_dict(handlers.confirm_arrival(_deps(), principal(), handover_id, body["arrived_on"]))


def create_app(settings=None, service: PartnersService | None = None):
    """Build the partners app; in the embedded mode it also runs the worker loops as threads."""
    service = service or bootstrap(settings=settings)
    return service_app(__name__, "Homeward partners", service,
                       (partners_blp, webhooks_blp, oauth_blp, handovers_blp))
