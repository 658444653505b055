"""Webhooks to partner organisations, following the Standard Webhooks convention.

A handover change that a partner should hear about queues a message in the handover document's
`webhook_outbox`, in the same write as the change. The worker's periodic tick (`WebhookRelay.tick`)
moves queued messages into `webhook_messages`, then posts the due ones, signed, to the partner's
URL: 2xx means delivered, anything else is retried on the `BACKOFF_SECONDS` schedule and then
given up (`failed`). Every attempt is a row in `webhook_deliveries`. Payloads are thin (type and
ids): the partner fetches the details through the API with its own token.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from abc import ABC, abstractmethod
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlsplit

import requests
from ulid import ULID

from services.partners.repository import message_to_dict
from shared.errors import Conflict, Invalid, NotFound
from shared.http import iso

BACKOFF_SECONDS = (5, 30, 120, 600, 3600, 21600)  # waits after each failure; one more failure gives up
TIMEOUT_SECONDS = 10
CLAIM_SECONDS = 60  # an attempt in progress hides its message from other worker replicas this long
SECRET_PREFIX = "whsec_"
OFFERED, WITHDRAWN, DEPARTED = "handover.offered", "handover.withdrawn", "returnee.departed"
DUE_SOON = "checkin.due_soon"


# --- signing ----------------------------------------------------------------------------------------

def new_signing_secret() -> str:
    """A fresh signing secret, `whsec_` + base64 of 32 random bytes."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def sign(secret: str, message_id: str, timestamp: int, body: str) -> str:
    """The `webhook-signature` value: `v1,` + base64 HMAC-SHA256 of `{id}.{timestamp}.{body}`."""
    key = base64.b64decode(secret.removeprefix(SECRET_PREFIX))
    digest = hmac.new(key, f"{message_id}.{timestamp}.{body}".encode(), hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


# --- queuing (called by the handlers, inside the state change's write) ------------------------------

def configured(partner: dict | None) -> bool:
    """Whether the partner organisation has a webhook to notify."""
    return bool(partner and partner.get("webhook"))


def message(event_type: str, handover: dict, now, **extra) -> dict:
    """A webhook outbox entry; the body is fixed now so that every attempt sends the same bytes."""
    payload = {"type": event_type, "timestamp": iso(now),
               "data": {"handover_id": handover["_id"], "returnee_id": handover["returnee_id"], **extra}}
    return {"id": f"msg_{ULID()}", "type": event_type, "partner_id": handover["partner_id"],
            "handover_id": handover["_id"], "returnee_id": handover["returnee_id"],
            "body": json.dumps(payload, separators=(",", ":"))}


# --- the port and its adapter -----------------------------------------------------------------------

@dataclass(frozen=True)
class Outcome:
    """What one delivery attempt got: an HTTP status, or no status and the error that prevented one."""

    status_code: int | None
    error: str | None
    duration_ms: float

    @property
    def delivered(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


class AbstractPartnerNotifier(ABC):
    @abstractmethod
    def send(self, url: str, secret: str, message_id: str, timestamp: int, body: str) -> Outcome:
        """Deliver one signed message; report what happened, never raise for a failed delivery."""


class WebhookNotifier(AbstractPartnerNotifier):
    """Posts over HTTP with `requests`, signed the Standard Webhooks way."""

    def __init__(self, timeout: float = TIMEOUT_SECONDS):
        self.session = requests.Session()
        self.timeout = timeout

    def send(self, url: str, secret: str, message_id: str, timestamp: int, body: str) -> Outcome:
        headers = {"content-type": "application/json", "user-agent": "Homeward-Webhooks/1",
                   "webhook-id": message_id, "webhook-timestamp": str(timestamp),
                   "webhook-signature": sign(secret, message_id, timestamp, body)}
        started = time.perf_counter()
        try:
            # no redirects: the signed request goes to the configured URL or nowhere
            response = self.session.post(url, data=body.encode(), headers=headers, timeout=self.timeout,
                                         allow_redirects=False)
        except requests.RequestException as exc:
            return Outcome(None, f"{type(exc).__name__}: {exc}"[:500], _ms_since(started))
        error = None if 200 <= response.status_code < 300 else f"HTTP {response.status_code}"
        return Outcome(response.status_code, error, _ms_since(started))


def _ms_since(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 1)


# --- the delivery loop ------------------------------------------------------------------------------

class WebhookRelay:
    """Moves queued messages out of the handovers and delivers the due ones, with backoff.

    Handovers that queued a webhook in this process are looked up by id; a full sweep for the
    others (written before a restart or by another replica) runs every `sweep_seconds`."""

    def __init__(self, repo, clock, notifier: AbstractPartnerNotifier, batch: int = 100, sweep_seconds: float = 0.0):
        self.repo = repo
        self.clock = clock
        self.notifier = notifier
        self.batch = batch
        self.sweep_seconds = sweep_seconds
        self._last_sweep = float("-inf")

    def tick(self) -> int:
        """One run of the loop: collect queued messages, attempt the due ones; returns attempts made."""
        self.collect()
        return self.deliver_due()

    def collect(self, sweep: bool | None = None) -> int:
        """Turn queued entries into pending messages (idempotent by id), pulling them from their handover."""
        if sweep is None:
            sweep = time.monotonic() - self._last_sweep >= self.sweep_seconds
        if sweep:
            self._last_sweep = time.monotonic()
        return sum(self.repo.enqueue_webhook(handover_id, entry, self.clock.now())
                   for handover_id, entry in self.repo.queued_webhooks(sweep, self.batch))

    def deliver_due(self) -> int:
        """Attempt every pending message whose time has come, oldest due first."""
        return sum(self._attempt(message_id) for message_id in self.repo.due_messages(self.clock.now(), self.batch))

    def _attempt(self, message_id: str) -> int:
        now = self.clock.now()
        # claim first, so that two worker replicas never post the same attempt
        msg = self.repo.claim_message(message_id, now, now + timedelta(seconds=CLAIM_SECONDS))
        if msg is None:
            return 0
        webhook = (self.repo.get_partner(msg["partner_id"]) or {}).get("webhook")
        if webhook:
            outcome = self.notifier.send(webhook["url"], webhook["secret"], msg["_id"], int(now.timestamp()),
                                         msg["body"])
        else:  # removed since the message was queued: give up now; a replay can send it once there is one
            outcome = Outcome(None, "no webhook configured", 0.0)
        failures = 0 if outcome.delivered else msg["failures"] + 1
        if outcome.delivered:
            state, next_at = "delivered", None
        elif webhook and failures <= len(BACKOFF_SECONDS):
            state, next_at = "pending", now + timedelta(seconds=BACKOFF_SECONDS[failures - 1])
        else:
            state, next_at = "failed", None
        self.repo.record_attempt({
            "_id": f"dlv_{ULID()}", "partner_id": msg["partner_id"], "message_id": msg["_id"],
            "event_type": msg["event_type"], "handover_id": msg["handover_id"], "returnee_id": msg["returnee_id"],
            "attempt": msg["attempts"] + 1, "status_code": outcome.status_code, "error": outcome.error,
            "duration_ms": outcome.duration_ms, "attempted_at": now, "next_attempt_at": next_at, "state": state},
            failures)
        return 1


# --- administration ---------------------------------------------------------------------------------

def _partner(deps, partner_id: str) -> dict:
    partner = deps.repo.get_partner(partner_id)
    if partner is None:
        raise NotFound("No such partner organisation.")
    return partner


def configure_webhook(deps, partner_id: str, url: str, allow_http: bool) -> dict:
    """Set the partner's webhook URL with a new signing secret (returned once; a second call rotates it).

    The secret is stored as it is, because signing needs it in clear; production should encrypt it
    at rest (MongoDB client-side field-level encryption or a KMS-wrapped key).
    """
    _partner(deps, partner_id)
    if urlsplit(url).scheme != "https" and not allow_http:
        raise Invalid("The webhook URL must use https.", errors={"url": "Must use https."})
    webhook = {"url": url, "secret": new_signing_secret(), "created_at": deps.clock.now()}
    if not deps.repo.set_webhook(partner_id, webhook):
        raise NotFound("No such partner organisation.")
    return webhook


def webhook_of(deps, partner_id: str) -> dict:
    """The partner's webhook URL (404 when none is configured); the secret is never read back."""
    webhook = _partner(deps, partner_id).get("webhook")
    if not webhook:
        raise NotFound("This partner organisation has no webhook.")
    return {"url": webhook["url"], "created_at": webhook["created_at"]}


def remove_webhook(deps, partner_id: str) -> None:
    """Stop notifying the partner; messages still pending fail at their next attempt."""
    if not deps.repo.remove_webhook(partner_id):
        raise NotFound("No such partner organisation.")


def deliveries(deps, partner_id: str, webhook_id: str | None, limit: int, cursor: str | None) -> dict:
    """One page of delivery attempts to the partner, oldest first; with `webhook_id`, of that message only."""
    _partner(deps, partner_id)
    return deps.repo.deliveries_page(partner_id, webhook_id, limit, cursor)


def replay(deps, partner_id: str, message_id: str) -> dict:
    """Schedule a message again now, with a fresh retry schedule and the same webhook-id."""
    if not configured(_partner(deps, partner_id)):
        raise Conflict("This partner organisation has no webhook to send to.")
    msg = deps.repo.replay_message(partner_id, message_id, deps.clock.now())
    if msg is None:
        raise NotFound("No such webhook message for this partner organisation.")
    return message_to_dict(msg)
