"""Administering a partner's webhook: its URL and secrets, the delivery log, replays, pause and resume."""
from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

from services.partners.events import WEBHOOK_RESUMED, build_event
from services.partners.shapes import message_to_dict
from services.partners.targets import TargetRefused
from services.partners.webhooks.messages import new_signing_secret
from shared.errors import Conflict, Invalid, NotFound
from shared.texts import Text

NO_PARTNER = Text("No such partner organisation.")


def _partner(deps, partner_id: str) -> dict:
    partner = deps.repo.get_partner(partner_id)
    if partner is None:
        raise NotFound(NO_PARTNER)
    return partner


def configure_webhook(deps, partner_id: str, url: str, allow_http: bool, revoke_previous: bool = False) -> dict:
    """Set the partner's webhook URL with a new signing secret (returned once; a second call rotates it).

    The secret it replaces keeps signing, beside the new one, for `deps.secret_overlap` (unless
    `revoke_previous`, e.g. after a leak), so the partner can switch its receiver without losing a
    message. Refuses (422) a URL whose host is or resolves to an internal address (SSRF).
    The secrets are stored as they are, because signing needs them in clear; production should encrypt
    them at rest (MongoDB client-side field-level encryption or a KMS-wrapped key).
    """
    before = _partner(deps, partner_id).get("webhook") or {}
    if urlsplit(url).scheme != "https" and not allow_http:
        raise Invalid("The webhook URL must use https.", errors={"url": "Must use https."})
    try:
        deps.targets.check_url(url)
    except TargetRefused as refused:
        raise Invalid("Webhooks are not sent to internal addresses.", errors={"url": refused.reason}) from None
    now = deps.clock.now()
    webhook = {"url": url, "secret": new_signing_secret(), "created_at": now}
    overlap = deps.secret_overlap
    if before.get("secret") and overlap > timedelta(0) and not revoke_previous:
        webhook.update(previous_secret=before["secret"], previous_secret_expires_at=now + overlap)
    if deps.repo.set_webhook(partner_id, webhook) is None:
        raise NotFound(NO_PARTNER)
    return {**webhook_of(deps, partner_id), "secret": webhook["secret"]}  # with the pause state it kept


def webhook_of(deps, partner_id: str) -> dict:
    """The partner's webhook URL and state (404 when none is configured); the secrets are never read back."""
    webhook = _partner(deps, partner_id).get("webhook")
    if not webhook:
        raise NotFound("This partner organisation has no webhook.")
    return _shown(webhook)


def _shown(webhook: dict) -> dict:
    return {"url": webhook["url"], "created_at": webhook["created_at"],
            "previous_secret_expires_at": webhook.get("previous_secret_expires_at"),
            "status": "paused" if webhook.get("paused_at") else "active",
            "paused_at": webhook.get("paused_at"), "failing_since": webhook.get("failing_since")}


def remove_webhook(deps, partner_id: str) -> None:
    """Stop notifying the partner; messages still pending fail at their next attempt."""
    if not deps.repo.remove_webhook(partner_id):
        raise NotFound(NO_PARTNER)


def resume_webhook(deps, partner_id: str) -> dict:
    """Resume a paused endpoint: its backlog goes out in the order it was queued (409 when not paused)."""
    if not _partner(deps, partner_id).get("webhook"):
        raise Conflict("This partner organisation has no webhook to resume.")
    now = deps.clock.now()
    event = build_event(WEBHOOK_RESUMED, partner_id, {"partner_id": partner_id, "resumed_at": now.isoformat()}, now)
    waiting = deps.repo.resume_endpoint(partner_id, now, "Webhook resumed by an administrator.", event)
    if waiting is None:
        raise Conflict("This partner's webhook is not paused.")
    return {**webhook_of(deps, partner_id), "messages_due": waiting}


def deliveries(deps, partner_id: str, webhook_id: str | None, limit: int, cursor: str | None,
               newest_first: bool = False) -> dict:
    """One page of delivery attempts to the partner, oldest first (or newest first); with `webhook_id`, of that
    message only."""
    _partner(deps, partner_id)
    return deps.repo.deliveries_page(partner_id, webhook_id, limit, cursor, newest_first)


def replay(deps, partner_id: str, webhook_id: str) -> dict:
    """Schedule a message again now, with a fresh retry schedule and the same webhook-id."""
    if not _partner(deps, partner_id).get("webhook"):
        raise Conflict("This partner organisation has no webhook to send to.")
    msg = deps.repo.replay_message(partner_id, webhook_id, deps.clock.now())
    if msg is None:
        raise NotFound("No such webhook message for this partner organisation.")
    return message_to_dict(msg)


def replay_failed(deps, partner_id: str) -> dict:
    """Schedule every failed message of the partner again now, in the order they were queued."""
    if not _partner(deps, partner_id).get("webhook"):
        raise Conflict("This partner organisation has no webhook to send to.")
    return {"replayed": deps.repo.replay_failed(partner_id, deps.clock.now())}
