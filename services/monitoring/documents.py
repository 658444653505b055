"""What the monitoring service stores, as mongoengine documents in its own database (alias `monitoring`).

Only `repository.py` (and the seedwork stores it is given) touches these classes.

A case is one document: plan (slots), check-ins, alerts and the handover trail are embedded, because
every rule reads the whole case and one conditional update then writes state and outbox together.
The case keeps the check-ins its rules read (each slot's, the latest ones) and the recent
Idempotency-Keys; older check-ins move to `CheckinRecord`s beside the requests (`domain.history`), so
the document a check-in reads and writes stays small however long the history grows.
Days are `DateField`s and instants `DateTimeField`s here; the domain holds them as ISO strings, and
`shared.document_dicts` (`to_stored` / `to_domain`) converts at the boundary (BSON keeps milliseconds, so instants do too).
"""
from __future__ import annotations


from mongoengine import (BooleanField, DateField, DateTimeField, DictField, Document, EmbeddedDocument,
                         EmbeddedDocumentField, EmbeddedDocumentListField, FileField, FloatField, IntField, ListField,
                         StringField)
from mongoengine.base import BaseField

from services.monitoring.vocabulary import (ALERT_STATUSES, ALERT_TYPES, CASE_STATES, CONTACT_MODES, OUTCOMES,
                                           RETURNEE_STATUSES, SLOT_STATUSES, SUPPORT_TYPES)
from shared.documents import SCHEMA_VERSION, Aggregate, AuditRecord, IdempotencyRecord, RevocationRecord
from shared.glass_breaks import GlassBreakFields

ALIAS = "monitoring"
CASE_SCHEMA_VERSION = 2  # 1: the untyped dicts (days and instants as ISO strings); 2: these classes
ANSWERS = ("accepted", "declined", "expired")  # the handover log's copy of partners' answers (never offered)


class MonthOrAdHoc(BaseField):
    """A scheduled month (1-24) or the string `ad_hoc`."""

    def validate(self, value):
        if value != "ad_hoc" and (isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 24):
            self.error("must be a month from 1 to 24 or 'ad_hoc'")


class Handover(EmbeddedDocument):
    id = StringField(required=True)
    requested_on = DateField(required=True)
    answered = BooleanField(default=False)
    imported = BooleanField(default=False)  # a caseload import's return: the arrival comes with the acceptance


class HandoverLogEntry(EmbeddedDocument):
    id = StringField(required=True)
    partner_id = StringField()
    requested_on = DateField(required=True)
    answered_on = DateField()
    answer = StringField(choices=ANSWERS)


class Slot(EmbeddedDocument):
    slot = MonthOrAdHoc(required=True)
    due_on = DateField(required=True)
    status = StringField(required=True, choices=SLOT_STATUSES)
    checkin_id = StringField()
    reminded = BooleanField()
    _omitted_when_unset = ("reminded",)  # the domain reads it with .get()


class SupportDelivered(EmbeddedDocument):
    type = StringField(required=True, choices=SUPPORT_TYPES)
    amount_eur = FloatField(min_value=0)  # the value in euros (the totals add it up)
    amount = FloatField(min_value=0)  # as paid, in `currency` (ISO 4217); both or neither
    currency = StringField(max_length=3)
    delivered_on = DateField()
    description = StringField(default="")


class ScoreHistoryEntry(EmbeddedDocument):
    """The scores a check-in had under an earlier scheme, kept when history is rescored."""

    scheme_version = StringField()
    index = FloatField()
    rss = DictField()
    replaced_at = DateTimeField(required=True)


class Checkin(EmbeddedDocument):
    id = StringField(required=True)
    returnee_id = StringField(required=True)
    slot = MonthOrAdHoc(required=True)
    contact_date = DateField(required=True)
    contact_made = BooleanField(required=True)
    contact_mode = StringField(choices=CONTACT_MODES)
    reason = StringField()
    scores = DictField()  # domain -> 1..5, only the scored ones
    safety_concern = BooleanField(default=False)
    status = StringField(choices=RETURNEE_STATUSES, default="in_country")
    support_delivered = EmbeddedDocumentListField(SupportDelivered)
    notes = StringField(default="")
    supersedes = StringField()
    superseded_by = StringField()
    index = FloatField()
    rss = DictField()
    scheme_version = StringField(required=True)
    score_history = EmbeddedDocumentListField(ScoreHistoryEntry)
    recorded_at = DateTimeField(required=True)
    recorded_by = DictField()  # {role, org, sub}
    seq = IntField()  # its number in the case (0, 1, ...): its history record is "<returnee id>:<seq>"
    _omitted_when_unset = ("seq",)


class Alert(EmbeddedDocument):
    id = StringField(required=True)  # `alr_<ulid>.<returnee id>`: the case is found from the id alone
    type = StringField(required=True, choices=ALERT_TYPES)
    cause = StringField(required=True)
    status = StringField(required=True, choices=ALERT_STATUSES)
    raised_at = DateTimeField(required=True)
    acknowledged_at = DateTimeField()
    acknowledged_by = StringField()
    acknowledged_note = StringField()  # what the consultant typed on acknowledging ("In behandeling nemen")
    resolved_at = DateTimeField()
    resolved_by = StringField()
    resolution = StringField()
    resolution_code = StringField()  # a system resolution's code (domain.alerts.SYSTEM_RESOLUTIONS)
    detail = StringField()  # English, for API clients; `code` and `params` say the same for any language
    code = StringField()
    params = DictField()
    slot = MonthOrAdHoc()
    checkin_id = StringField()
    _omitted_when_unset = ("acknowledged_by", "acknowledged_note")


class KeyEntry(EmbeddedDocument):
    """An Idempotency-Key with the answer it got, recorded in the same write as the check-in it answered."""

    id = StringField(required=True)  # "<scope>:<key>", the scope being the client (org:... or user:...)
    fingerprint = StringField(required=True)  # of the request body
    status = IntField(required=True)
    answer = StringField(required=True)  # the answer's JSON as first sent: replayed as it is
    at = DateTimeField(required=True)  # when first answered (wall clock): the key is kept at least a day


class PlannedLine(EmbeddedDocument):
    """A support line of intake's plan, as it travels in clear: no description (the support report)."""
    type = StringField(required=True)  # intake's support type
    amount = FloatField(null=True)
    currency = StringField(required=True, max_length=3)
    funding_source = StringField(null=True)  # intake's funding source; null: not known


class Case(Aggregate):
    """One returnee's monitoring year: plan, slots, check-ins, scores and alerts (`_id` = returnee id)."""

    id = StringField(primary_key=True)
    returnee_id = StringField(required=True)
    country = StringField(default="")  # empty until an event names it
    region = StringField()
    partner_id = StringField()
    vulnerabilities = ListField(StringField())  # as intake sent them: intake owns that vocabulary
    planned_support = EmbeddedDocumentListField(PlannedLine)  # the plan's support lines (from intake's events)
    office = StringField()  # the consultant's office at the NGO and its region (intake's offices), for outcomes
    office_region = StringField()
    consultant = StringField()  # who follows the client at the NGO (intake's user name): "my clients' alerts"
    state = StringField(required=True, choices=CASE_STATES)
    handover = EmbeddedDocumentField(Handover)
    handover_log = EmbeddedDocumentListField(HandoverLogEntry)
    departed_on = DateField()
    arrived_on = DateField()
    go_live_on = DateField()  # an imported arrival's go-live date: slots due before it without a check-in, no alert
    slots = EmbeddedDocumentListField(Slot)
    checkins = EmbeddedDocumentListField(Checkin)
    alerts = EmbeddedDocumentListField(Alert)
    latest_index = FloatField()
    next_check_on = DateField()
    next_due_on = DateField()  # the next open check-in's due day (domain.model.summary), kept for the due filter
    completed_at = DateTimeField()
    outcome = StringField(choices=OUTCOMES)
    erased = BooleanField()
    keys = EmbeddedDocumentListField(KeyEntry)  # the recent Idempotency-Keys, newest last (capped)
    checkins_recorded = IntField()  # check-ins ever recorded: the next one's `seq`
    archived = IntField()  # check-ins moved to the history (CheckinRecord) so far
    history = DictField()  # the tally of the moved check-ins that the insights count (domain.history)
    schema_version = IntField(default=CASE_SCHEMA_VERSION)
    _omitted_when_unset = ("erased", "office", "office_region", "consultant", "planned_support", "keys",
                           "checkins_recorded", "archived", "history")
    meta = {"db_alias": ALIAS, "collection": "cases",
            # the alert lists and counts (repository.alerts_page, alert_counts): the cases holding an alert of
            # a status (and type), of a country, consultant or office (multikey: one entry per alert)
            "indexes": [("state", "next_check_on"), ("partner_id", "id"), ("partner_id", "next_due_on"),
                        ("country", "id"), "alerts.id", ("alerts.status", "alerts.type"), "alerts.type",
                        ("consultant", "alerts.status"), ("office", "alerts.status")]}


class CheckinRecord(Document):
    """A check-in its case no longer holds (the history): written beside the requests when the case moves
    older check-ins out, read with the case by GET /v1/cases/{id}, the reports and the export."""

    id = StringField(primary_key=True)  # "<returnee id>:<seq>": a case finds its records by id, without a scan
    returnee_id = StringField(required=True)
    checkin = EmbeddedDocumentField(Checkin, required=True)
    schema_version = IntField(default=1)
    meta = {"db_alias": ALIAS, "collection": "checkins", "indexes": ["returnee_id"]}


class IdempotencyKey(IdempotencyRecord):
    meta = {"db_alias": ALIAS, "collection": "idempotency_keys"}


class AuditEntry(AuditRecord):
    meta = {"db_alias": ALIAS, "collection": "audit"}


class Revocation(RevocationRecord):
    """Partners' tokens ended before their expiry (from partner.access_revoked.v1): checked by the verifier."""

    meta = {"db_alias": ALIAS, "collection": "revocations"}


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


# money beside the cases: the administrator's rate table and the receipts of support delivered (the file
# itself in GridFS, mongoengine's FileField, in monitoring's own database)
class CurrencyRate(Document):
    """One row of the rate table: from `valid_from` on, one euro buys `units_per_eur` of `currency`."""

    id = StringField(primary_key=True)  # "<currency>:<valid_from>"
    currency = StringField(required=True, max_length=3)
    units_per_eur = FloatField(required=True, min_value=0)
    valid_from = DateField(required=True)
    updated_at = DateTimeField(required=True)
    updated_by = StringField()
    meta = {"db_alias": ALIAS, "collection": "currency_rates"}


class Receipt(Document):
    """The receipt of one support line of a check-in (a photo or a PDF), as the partner uploaded it."""

    id = StringField(primary_key=True)  # "<returnee id>:<check-in id>:<index>"
    returnee_id = StringField(required=True)
    partner_id = StringField()
    checkin_id = StringField(required=True)
    index = IntField(required=True)
    content_type = StringField(required=True)
    size = IntField(required=True)
    file = FileField(db_alias=ALIAS, collection_name="receipts")
    uploaded_at = DateTimeField(required=True)
    uploaded_by = StringField()
    meta = {"db_alias": ALIAS, "collection": "receipt_index", "indexes": ["returnee_id"]}


class GlassBreak(GlassBreakFields):
    """A case opened outside the opener's need-to-know with a reason (shared.glass_breaks)."""
    meta = {"db_alias": ALIAS, "collection": "glass_breaks", "indexes": GlassBreakFields.INDEXES}


class BeforeReturn(Document):
    """One returnee's last assessment before return (`_id` = the returnee id; intake's `returnee.assessed.v1`)."""

    id = StringField(primary_key=True)
    assessment_id = StringField(required=True)
    assessed_on = DateTimeField(required=True)  # midnight UTC of the day
    moment = StringField(required=True)  # intake's vocabulary `assessment_moments`
    scores = DictField()  # domain -> 1..5
    documents = StringField()
    safety = StringField()
    schema_version = IntField(default=SCHEMA_VERSION)
    meta = {"db_alias": ALIAS, "collection": "before_return"}
