"""A partner organisation's people (`services.partners.people`): administrators and the organisation's
coordinator manage them; anyone with a one-time code redeems it (public, slowed per address)."""
from __future__ import annotations

from flask_smorest import Blueprint

from services.partners.api.common import _dump_page
from services.partners.api.token_grants import source_address
from services.partners.people import People
from services.partners.people_schemas import (InvitedUserSchema, MailSettingsSchema, PartnerUserQuerySchema,
                                              PartnerUserSchema, RedeemSchema)
from services.partners.schemas import EmptySchema
from shared.errors import DomainError
from shared.http import page_of, principal, require, runtime, too_many

MANAGERS = ("admin", "partner")  # a partner: only the organisation's coordinator (services.partners.people)
INVITATIONS = "#invitation"  # the throttle's key for codes: no user name has a '#'

people_blp = Blueprint("people", __name__, url_prefix="/v1",
                       description="A partner organisation's people: field workers and coordinators (issue 18)")


def _people() -> People:
    return runtime().extras["service"].people


@people_blp.route("/partners/<partner_id>/users", methods=["GET"])
@people_blp.arguments(PartnerUserQuerySchema, location="query")
@people_blp.alt_response(200, schema=page_of(PartnerUserSchema), success=True)
@require(*MANAGERS)
def list_users(args, partner_id):
    """The organisation's people (administrators; the organisation's coordinator)."""
    page = _people().list(principal(), partner_id, args["limit"], args["cursor"])
    return _dump_page(page, PartnerUserSchema())


@people_blp.route("/partners/<partner_id>/users", methods=["POST"])
@people_blp.arguments(PartnerUserSchema)
@people_blp.response(201, InvitedUserSchema)
@people_blp.alt_response(409, response="CONFLICT", description="the user name is taken")
@require(*MANAGERS)
def create_user(data, partner_id):
    """Add a person with a one-time invitation code (shown in this answer only, valid 7 days). A coordinator
    adds field workers; administrators also coordinators."""
    return _people().create(principal(), partner_id, data)


@people_blp.route("/partners/<partner_id>/users/<user_id>/invitation", methods=["POST"])
@people_blp.arguments(EmptySchema, required=False)
@people_blp.response(201, InvitedUserSchema)
@require(*MANAGERS)
def reinvite(_body, partner_id, user_id):
    """A new one-time code for the person (lost code, forgotten password); the previous code stops working, and
    redeeming the new one ends the person's sessions."""
    return _people().reinvite(principal(), partner_id, user_id)


@people_blp.route("/partners/<partner_id>/users/<user_id>/deactivate", methods=["POST"])
@people_blp.arguments(EmptySchema, required=False)
@people_blp.response(200, PartnerUserSchema)
@require(*MANAGERS)
def deactivate(_body, partner_id, user_id):
    """The person can no longer sign in; its refresh tokens are deleted at once (a coordinator cannot deactivate
    itself or another coordinator)."""
    return _people().set_active(principal(), partner_id, user_id, False)


@people_blp.route("/partners/<partner_id>/users/<user_id>/activate", methods=["POST"])
@people_blp.arguments(EmptySchema, required=False)
@people_blp.response(200, PartnerUserSchema)
@require(*MANAGERS)
def activate(_body, partner_id, user_id):
    """The person may sign in again."""
    return _people().set_active(principal(), partner_id, user_id, True)


@people_blp.route("/partner-users/me", methods=["GET"])
@people_blp.response(200, PartnerUserSchema)
@require("partner")
def me():
    """The signed-in person's own record (the tokens name only ids): 403 for an organisation's API client."""
    return _people().me(principal())


@people_blp.route("/partner-users/me/mail-settings", methods=["PUT"])
@people_blp.arguments(MailSettingsSchema)
@people_blp.response(200, PartnerUserSchema)
@require("partner")
def put_mail_settings(body):
    """The signed-in person's mail: address, language (en, fr) and per kind immediate, digest or none."""
    return _people().set_mail_settings(principal(), body)


@people_blp.route("/partner-users/invitations/redeem", methods=["POST"])
@people_blp.doc(security=[])
@people_blp.arguments(RedeemSchema)
@people_blp.response(200, PartnerUserSchema)
@people_blp.alt_response(410, response="GONE", description="the code was used already or expired")
@people_blp.alt_response(429, response="TOO_MANY_REQUESTS", description="too many wrong codes: see Retry-After")
def redeem(body):
    """Set one's password (at least 12 characters) with the one-time invitation code. No token: the code is the
    proof. An unknown code answers 400; after five from one address, each further attempt waits longer."""
    service, source = runtime().extras["service"], source_address()
    wait = service.people_throttle.wait(INVITATIONS, source)
    if wait:
        raise too_many(wait)
    try:
        user = _people().redeem(body["code"], body["password"])
    except DomainError as refused:
        if refused.status == 400:
            service.people_throttle.failed(INVITATIONS, source)
        raise
    service.people_throttle.succeeded(INVITATIONS, source)
    return user
