"""What the partners service stored, read straight from its documents (for assertions only)."""
from __future__ import annotations

from services.partners.documents import Handover, Partner, WebhookMessage

__all__ = ["Handover", "Partner", "WebhookMessage", "stored_handover"]


def stored_handover(handover_id: str) -> dict | None:
    """The handover document as stored, outboxes included; mongoengine stores no None (use `.get`)."""
    return Handover.objects(id=handover_id).as_pymongo().first()
