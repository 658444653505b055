"""What the partners service stores, as mongoengine documents in its own database (alias `partners`).

Only `repository.py` (and the seedwork stores it is given) touches these classes.
"""
from __future__ import annotations

from mongoengine import StringField

from shared.documents import Aggregate, AuditRecord, IdempotencyRecord

ALIAS = "partners"


class Handover(Aggregate):
    """One offer of a case to a partner organisation, with its outboxes (events and webhooks)."""

    id = StringField(primary_key=True)
    meta = {"db_alias": ALIAS, "collection": "handovers", "strict": False}


class IdempotencyKey(IdempotencyRecord):
    meta = {"db_alias": ALIAS, "collection": "idempotency_keys"}


class AuditEntry(AuditRecord):
    meta = {"db_alias": ALIAS, "collection": "audit"}
