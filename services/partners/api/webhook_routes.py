"""HTTP routes for a partner's webhook and its delivery log (administrators).

The sending itself lives in `services.partners.webhooks`; this module only exposes it.
"""
from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from services.partners import webhooks
from services.partners.api.common import ADMIN, _deps, _dump_page, own_organisation
from services.partners.schemas import (DeliveryQuerySchema, EmptySchema, ReplayedSchema, ResumedWebhookSchema,
                                       WebhookDeliverySchema, WebhookMessageSchema, WebhookRequestSchema, WebhookSchema,
                                       WebhookSecretSchema)
from shared.http import page_of, require, runtime

webhooks_blp = Blueprint("webhooks", __name__, url_prefix="/v1/partners",
                         description="Partner webhooks (Standard Webhooks) and their delivery log (administrators)")


@webhooks_blp.route("/<partner_id>/webhook")
class Webhook(MethodView):
    @webhooks_blp.response(200, WebhookSchema)
    @require(*ADMIN, "partner")
    def get(self, partner_id):
        """Read the partner's webhook URL (the signing secret is never shown again); a partner reads its own."""
        own_organisation(partner_id)
        return webhooks.webhook_of(_deps(), partner_id)

    @webhooks_blp.arguments(WebhookRequestSchema)
    @webhooks_blp.response(200, WebhookSecretSchema)
    @require(*ADMIN)
    def put(self, body, partner_id):
        """Set the webhook URL; the signing secret is in this response only, and each call rotates it (the
        previous secret keeps signing beside it for WEBHOOK_SECRET_OVERLAP_HOURS). Internal addresses: 422."""
        return webhooks.configure_webhook(_deps(), partner_id, body["url"],
                                          allow_http=not runtime().settings.production,
                                          revoke_previous=body["revoke_previous_secret"])

    @webhooks_blp.response(204)
    @require(*ADMIN)
    def delete(self, partner_id):
        """Stop sending webhooks to the partner."""
        webhooks.remove_webhook(_deps(), partner_id)


@webhooks_blp.route("/<partner_id>/webhook/deliveries")
@webhooks_blp.arguments(DeliveryQuerySchema, location="query")
@webhooks_blp.alt_response(200, schema=page_of(WebhookDeliverySchema), success=True)
@require(*ADMIN)
def webhook_deliveries(args, partner_id):
    """Every delivery attempt to the partner, oldest first or `order=newest` first (filter by webhook_id)."""
    page = webhooks.deliveries(_deps(), partner_id, args.get("webhook_id"), args["limit"], args["cursor"],
                               args["order"] == "newest")
    return _dump_page(page, WebhookDeliverySchema())


@webhooks_blp.route("/<partner_id>/webhook/resume", methods=["POST"])
@webhooks_blp.arguments(EmptySchema, required=False)
@webhooks_blp.response(200, ResumedWebhookSchema)
@require(*ADMIN)
def resume_webhook(_body, partner_id):
    """Resume a paused webhook: the messages queued meanwhile go out in order (409 when it is not paused)."""
    return webhooks.resume_webhook(_deps(), partner_id)


@webhooks_blp.route("/<partner_id>/webhook/deliveries/replay", methods=["POST"])
@webhooks_blp.arguments(EmptySchema, required=False)
@webhooks_blp.response(202, ReplayedSchema)
@require(*ADMIN)
def replay_failed_webhooks(_body, partner_id):
    """Send every failed message again, oldest first, each with its webhook-id and a fresh retry schedule."""
    return webhooks.replay_failed(_deps(), partner_id)


# `webhook_id` is the name the delivery log uses (the webhook-id header); the URL is the same as before
@webhooks_blp.route("/<partner_id>/webhook/deliveries/<webhook_id>/replay", methods=["POST"])
@webhooks_blp.arguments(EmptySchema, required=False)
@webhooks_blp.response(202, WebhookMessageSchema)
@webhooks_blp.alt_response(409, response="CONFLICT")
@require(*ADMIN)
def replay_webhook(_body, partner_id, webhook_id):
    """Send a message again (same webhook-id, a fresh retry schedule), e.g. after the partner's outage."""
    return webhooks.replay(_deps(), partner_id, webhook_id)
