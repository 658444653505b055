"""HTTP routes for a partner's webhook and its delivery log (administrators).

The sending itself lives in `services.partners.webhooks`; this module only exposes it.
"""
from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from services.partners import webhooks
from services.partners.api.common import ADMIN, _deps, _dump_page
from services.partners.schemas import (DeliveryQuerySchema, EmptySchema, WebhookDeliverySchema, WebhookMessageSchema,
                                       WebhookRequestSchema, WebhookSchema, WebhookSecretSchema)
from shared.http import page_of, require, runtime

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
@webhooks_blp.alt_response(200, schema=page_of(WebhookDeliverySchema), success=True)
@require(*ADMIN)
def webhook_deliveries(args, partner_id):
    """Every delivery attempt to the partner, oldest first (filter by webhook_id)."""
    page = webhooks.deliveries(_deps(), partner_id, args.get("webhook_id"), args["limit"], args["cursor"])
    return _dump_page(page, WebhookDeliverySchema())


@webhooks_blp.route("/<partner_id>/webhook/deliveries/<message_id>/replay", methods=["POST"])
@webhooks_blp.arguments(EmptySchema, required=False)
@webhooks_blp.response(202, WebhookMessageSchema)
@webhooks_blp.alt_response(409, response="CONFLICT")
@require(*ADMIN)
def replay_webhook(_body, partner_id, message_id):
    """Send a message again (same webhook-id, a fresh retry schedule), e.g. after the partner's outage."""
    return webhooks.replay(_deps(), partner_id, message_id)
