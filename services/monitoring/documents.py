"""What the monitoring service stores, as mongoengine documents in its own database (alias `monitoring`).

Only `repository.py` (and the seedwork stores it is given) touches these classes.
"""
from __future__ import annotations

from mongoengine import StringField

from shared.documents import Aggregate, AuditRecord, IdempotencyRecord

ALIAS = "monitoring"


class Case(Aggregate):
    """One returnee's monitoring year: plan, slots, check-ins, scores and alerts."""

    id = StringField(primary_key=True)
    meta = {"db_alias": ALIAS, "collection": "cases", "strict": False}


class CountryInsight(Aggregate):
    """The figures of one country and the outbox of their publications."""

    id = StringField(primary_key=True)
    meta = {"db_alias": ALIAS, "collection": "country_insights", "strict": False}


class IdempotencyKey(IdempotencyRecord):
    meta = {"db_alias": ALIAS, "collection": "idempotency_keys"}


class AuditEntry(AuditRecord):
    meta = {"db_alias": ALIAS, "collection": "audit"}
