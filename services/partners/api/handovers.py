"""Handovers offered to partner organisations: list, read, accept, decline, confirm arrival."""
from __future__ import annotations

from datetime import timedelta

from flask_smorest import Blueprint

from services.partners import handlers
from services.partners.api.common import _deps, _dump_page
from services.partners.shapes import handover_to_dict
from services.partners.schemas import ArrivalSchema, DeclineSchema, EmptySchema, HandoverQuerySchema, HandoverSchema
from shared.http import audit_resource, page_of, principal, require, runtime

HANDOVER_READERS = ("partner", "admin", "consultant")


def _shown(handover: dict) -> dict:
    """The handover as answered, written to the audit log under its returnee (`?returnee_id=`)."""
    audit_resource(handover["_id"], returnee_id=handover["returnee_id"])
    return _with_expiry(handover_to_dict(handover))


def _with_expiry(handover: dict) -> dict:
    """An open offer says when it expires (HANDOVER_EXPIRY_DAYS after it was made), so a partner sees the days left."""
    offered = handover.get("offered_at")
    days = runtime().extras["service"].offer_expiry_days
    expires = offered + timedelta(days=days) if handover.get("status") == "offered" and offered else None
    return {**handover, "expires_at": expires}

handovers_blp = Blueprint("handovers", __name__, url_prefix="/v1/handovers",
                          description="Handovers offered to partner organisations")


@handovers_blp.route("")
@handovers_blp.arguments(HandoverQuerySchema, location="query")
@handovers_blp.alt_response(200, schema=page_of(HandoverSchema), success=True)
@require(*HANDOVER_READERS)
def list_handovers(args):
    """List handovers: a partner sees only its own organisation's."""
    page = handlers.list_handovers(_deps(), principal(), args, args["limit"], args["cursor"])
    return _dump_page({**page, "items": [_with_expiry(h) for h in page["items"]]}, HandoverSchema())


@handovers_blp.route("/<handover_id>")
@handovers_blp.response(200, HandoverSchema)
@require(*HANDOVER_READERS)
def get_handover(handover_id):
    """Read one handover (404 when it belongs to another organisation)."""
    return _shown(handlers.own_handover(_deps(), principal(), handover_id))


@handovers_blp.route("/<handover_id>/accept", methods=["POST"])
@handovers_blp.arguments(EmptySchema, required=False)
@handovers_blp.response(200, HandoverSchema)
@handovers_blp.alt_response(409, response="CONFLICT")
@require("partner")
def accept(_body, handover_id):
    """Accept the case."""
    return _shown(handlers.accept_handover(_deps(), principal(), handover_id))


@handovers_blp.route("/<handover_id>/decline", methods=["POST"])
@handovers_blp.arguments(DeclineSchema)
@handovers_blp.response(200, HandoverSchema)
@handovers_blp.alt_response(409, response="CONFLICT")
@require("partner")
def decline(body, handover_id):
    """Decline the case with a reason."""
    return _shown(handlers.decline_handover(_deps(), principal(), handover_id,
                                                      body["reason"], body.get("detail", "")))


@handovers_blp.route("/<handover_id>/arrival", methods=["POST"])
@handovers_blp.arguments(ArrivalSchema)
@handovers_blp.response(200, HandoverSchema)
@handovers_blp.alt_response(409, response="CONFLICT")
@require("partner")
def arrival(body, handover_id):
    """Confirm the returnee's arrival."""
    return _shown(handlers.confirm_arrival(_deps(), principal(), handover_id, body["arrived_on"]))
