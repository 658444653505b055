"""Stored shape -> API shape: what the partners API answers for a stored document (the secret stays behind).

The stored field lists live here too: the repository writes what these functions read.
"""
from __future__ import annotations

from shared.store import to_date

DATE_FIELDS = ("planned_departure_date", "departed_on", "arrived_on")
HANDOVER_FIELDS = ("returnee_id", "partner_id", "country", "region", "status", "offered_at", "answered_at",
                   "decline", "planned_departure_date", "departed_on", "arrived_on", "languages", "household",
                   "vulnerabilities", "reintegration_plan", "perspective_plan", "personal", "arrival_source",
                   "imported")
BOOKKEEPING = ("outbox", "webhook_outbox", "mail_outbox", "seen_events")  # never leave the repository on reads


def partner_to_dict(doc: dict) -> dict:
    out = {k: v for k, v in doc.items()
           if k not in ("_id", "webhook", "schema_version", "version", *BOOKKEEPING)}  # the secret stays here
    out["id"] = doc["_id"]
    return out


def handover_to_dict(doc: dict) -> dict:
    out = {name: doc.get(name) for name in HANDOVER_FIELDS}
    out["id"] = doc["_id"]
    for name in DATE_FIELDS:
        out[name] = to_date(doc.get(name))
    return out


def credential_to_dict(doc: dict) -> dict:
    return {"client_id": doc["_id"], "partner_id": doc["partner_id"], "created_at": doc["created_at"],
            "revoked_at": doc.get("revoked_at")}


def message_to_dict(doc: dict) -> dict:
    """A webhook message as the API shows it (the body is not repeated)."""
    return {"webhook_id": doc["_id"], "event_type": doc["event_type"], "handover_id": doc["handover_id"],
            "returnee_id": doc["returnee_id"], "state": doc["state"], "attempts": doc["attempts"],
            "next_attempt_at": doc.get("next_attempt_at")}


def delivery_to_dict(doc: dict) -> dict:
    """A delivery attempt as the API shows it: the message id is the `webhook_id`."""
    return {"id": doc["_id"], "webhook_id": doc["message_id"],
            **{k: doc.get(k) for k in ("event_type", "handover_id", "returnee_id", "attempt", "status_code",
                                       "error", "error_kind", "duration_ms", "attempted_at", "next_attempt_at", "state")}}
