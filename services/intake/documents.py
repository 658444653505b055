"""What the intake service stores, as mongoengine documents in its own database (alias `intake`).

Only `repository.py` (and the seedwork stores it is given) touches these classes.
"""
from __future__ import annotations

from mongoengine import StringField

from shared.documents import Aggregate, AuditRecord, IdempotencyRecord

ALIAS = "intake"


class Returnee(Aggregate):
    """One returnee: personal data, plan, consent, status, and the outbox of its events."""

    id = StringField(primary_key=True)
    meta = {"db_alias": ALIAS, "collection": "returnees", "strict": False}


class IdempotencyKey(IdempotencyRecord):
    meta = {"db_alias": ALIAS, "collection": "idempotency_keys"}


class AuditEntry(AuditRecord):
    meta = {"db_alias": ALIAS, "collection": "audit"}
