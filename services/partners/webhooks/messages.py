"""What a webhook says and how it is signed (Standard Webhooks): pure functions, no I/O."""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from datetime import datetime
from typing import Sequence

from ulid import ULID

from shared.http import iso

SECRET_PREFIX = "whsec_"
OFFERED, WITHDRAWN, DEPARTED = "handover.offered", "handover.withdrawn", "returnee.departed"
DUE_SOON = "checkin.due_soon"


def new_signing_secret() -> str:
    """A fresh signing secret, `whsec_` + base64 of 32 random bytes."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def sign(secret: str, message_id: str, timestamp: int, body: str) -> str:
    """One signature: `v1,` + base64 HMAC-SHA256 of `{id}.{timestamp}.{body}`."""
    key = base64.b64decode(secret.removeprefix(SECRET_PREFIX))
    digest = hmac.new(key, f"{message_id}.{timestamp}.{body}".encode(), hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def signature_header(secrets_: Sequence[str], message_id: str, timestamp: int, body: str) -> str:
    """The `webhook-signature` value: one signature per secret, space-separated, newest first
    (Standard Webhooks lets a receiver accept any one of them, which is what makes rotation smooth)."""
    return " ".join(sign(secret, message_id, timestamp, body) for secret in secrets_)


def signing_secrets(webhook: dict, now: datetime) -> list[str]:
    """The secrets a message is signed with now: the current one, and the previous one while it overlaps."""
    previous, until = webhook.get("previous_secret"), webhook.get("previous_secret_expires_at")
    if previous and until is not None and until > now:  # stored times read back aware (tz_aware)
        return [webhook["secret"], previous]
    return [webhook["secret"]]


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
