"""What the monitoring service stores, as mongoengine documents in its own database (alias `monitoring`).

Only `repository.py` (and the seedwork stores it is given) touches these classes.
"""
from __future__ import annotations

from mongoengine import DateTimeField, DictField, IntField, ListField, StringField

from shared.documents import Aggregate, AuditRecord, IdempotencyRecord

ALIAS = "monitoring"


class Case(Aggregate):
    """One returnee's monitoring year: plan, slots, check-ins, scores and alerts."""

    id = StringField(primary_key=True)
    meta = {"db_alias": ALIAS, "collection": "cases", "strict": False}


class IdempotencyKey(IdempotencyRecord):
    meta = {"db_alias": ALIAS, "collection": "idempotency_keys"}


class AuditEntry(AuditRecord):
    meta = {"db_alias": ALIAS, "collection": "audit"}


# country insights

class CountryInsight(Aggregate):
    """One country's running totals (per region, slot and domain), the returnees whose data changed
    since the last publication, the last published insight and the outbox of its publications."""

    id = StringField(primary_key=True)  # ISO 3166-1 alpha-2
    totals = DictField()  # region -> counters, see services.monitoring.domain.insights.increments
    pending = DictField()  # returnee id -> fingerprint of their data at the last publication
    release = IntField(default=0)  # number of publications; the published insight's `version`
    insight = DictField()  # the last published insight (what GET /v1/insights/{country} answers)
    published_at = DateTimeField()
    meta = {"db_alias": ALIAS, "collection": "country_insights", "strict": False}


class InsightContribution(Aggregate):
    """What one returnee adds to their country's totals, and the changes not yet added (a log that a
    later update or the repair finishes, so a crash between the two writes loses nothing)."""

    id = StringField(primary_key=True)  # returnee id
    country = StringField(default="")
    data = DictField(null=True)  # services.monitoring.domain.insights.contribution; absent when none
    case_version = IntField()  # the case version it was computed from: older updates are ignored
    unapplied = ListField(DictField())  # [{country, id, returnee_id, inc, old, new}]
    meta = {"db_alias": ALIAS, "collection": "insight_contributions"}


class ContactCalendar(Aggregate):
    """One calendar page of a country's region: how many returnees' latest contact fell on each day
    of one month (the totals count months; this page says which day is the latest)."""

    id = StringField(primary_key=True)  # "{country}/{region key}/{YYYY-MM}"
    days = DictField()  # "DD" -> returnees
    meta = {"db_alias": ALIAS, "collection": "contact_calendar"}
