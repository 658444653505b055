"""Webhooks to partner organisations, following the Standard Webhooks convention.

- `messages`: what is sent (thin payloads: type and ids) and how it is signed;
- `sender`: one signed POST, to an address checked against internal targets (`services.partners.targets`);
- `relay`: the delivery loop (a bounded pool, one run per endpoint), retries, pausing a failing endpoint;
- `admin`: what administrators do (URL and secret rotation, delivery log, replays, resume).
"""
from services.partners.webhooks.admin import (configure_webhook, deliveries, remove_webhook, replay, replay_failed,
                                              resume_webhook, webhook_of)
from services.partners.webhooks.messages import (DEPARTED, DUE_SOON, OFFERED, WITHDRAWN, configured, message,
                                                 new_signing_secret, sign, signature_header)
from services.partners.webhooks.relay import BACKOFF_SECONDS, CLAIM_SECONDS, PAUSED, WebhookRelay
from services.partners.webhooks.sender import AbstractPartnerNotifier, Outcome, WebhookNotifier

__all__ = ["AbstractPartnerNotifier", "BACKOFF_SECONDS", "CLAIM_SECONDS", "DEPARTED", "DUE_SOON", "OFFERED",
           "Outcome", "PAUSED", "WITHDRAWN", "WebhookNotifier", "WebhookRelay", "configure_webhook", "configured",
           "deliveries", "message", "new_signing_secret", "remove_webhook", "replay", "replay_failed",
           "resume_webhook", "sign", "signature_header", "webhook_of"]
