"""What the intake service stores, as mongoengine documents in its own database (alias `intake`).

Only `repository.py` (and the seedwork stores it is given) touches these classes. Field names are the ones
the service stored before it used documents, so existing data reads the same. Fields declared `null=True` are stored as `null` when empty (mongoengine leaves other `None`
fields out), because the API has always shown them as `null` (`handover`, `departed_on`, ...).
Personal fields are not `required`: an erased returnee is a tombstone without them; the API
schema requires them at registration.
"""
from __future__ import annotations

from mongoengine import (BooleanField, DateField, DateTimeField, DictField, Document, EmbeddedDocumentField,
                         EmbeddedDocumentListField, IntField, ListField, StringField)

from services.intake.returnee_parts import (Consent, Contact, Exit, Handover, Household, MonitoringSummary, Outcomes,
                                            Plan, Step, TrajectoryStep)
from services.intake.vocabulary import (GENDERS, IMPORT_STATUSES, NOTE_KINDS, NOTE_MODES, NOTE_WITH, STATUSES,
                                        TRAJECTORIES, VULNERABILITIES)
from shared.documents import SCHEMA_VERSION, Aggregate, AuditRecord, ConsumerMarkRecord, IdempotencyRecord
from shared.embedded_order import index_words
from shared.glass_breaks import GlassBreakFields

ALIAS = "intake"
RETURNEE_SCHEMA = 2  # 2: the search field (migrations.py)
# every query a list or report sends has one of these (tests/unit/intake/test_query_indexes.py); each ends on
# `_id` so that a page of matches is read in the order it is listed
RETURNEE_INDEXES = [("status", "id"), ("country_of_return", "id"), ("office", "id"), ("consultant", "id"),
                    ("trajectory", "id"), ("search", "id"), ("monitoring.open_alerts", "id"),
                    ("monitoring.next_due_on", "id"), ("tally_pending.id",),
                    ("client_ref", "created_at")]  # the caseload import matches its rows on client_ref
index_words("returnees", "search")  # the embedded store keeps the words in order, as MongoDB's multikey index




class Returnee(Aggregate):
    """One returnee: personal data, plan, consent, status, history, handover, monitoring summary,
    and the outbox of its events. Written only by conditional updates on `version` (and `status`)."""

    id = StringField(primary_key=True)  # "rtn_" + ULID
    # personal data (PERSONAL_FIELDS) and the file number (INTERNAL_FIELDS): removed on erasure
    client_ref = StringField(max_length=64)
    given_name = StringField(max_length=200)
    family_name = StringField(max_length=200)
    date_of_birth = DateField()
    gender = StringField(choices=GENDERS)
    nationality = StringField(min_length=2, max_length=2)
    contact = EmbeddedDocumentField(Contact)
    interpreter_needed = BooleanField(default=False)  # for the conversations here; not in the partner's copy
    # what partners and monitoring hold a copy of (SHARED_FIELDS)
    country_of_return = StringField(required=True, min_length=2, max_length=2)
    region = StringField(max_length=200)
    languages = ListField(StringField())
    household = EmbeddedDocumentField(Household)
    vulnerabilities = ListField(StringField(choices=VULNERABILITIES))
    reintegration_plan = EmbeddedDocumentField(Plan)
    planned_departure_date = DateField()
    # intake's own state
    office = StringField(max_length=64)  # an office of offices.json
    consultant = StringField(max_length=64)  # the staff member who follows the client (a user name)
    trajectory = StringField(choices=TRAJECTORIES)  # absent on returnees from before trajectories: return guidance
    trajectory_history = EmbeddedDocumentListField(TrajectoryStep)
    decided_on = DateField(null=True)
    exit = EmbeddedDocumentField(Exit, null=True)
    consent = EmbeddedDocumentField(Consent, null=True)
    status = StringField(required=True, choices=STATUSES)
    history = EmbeddedDocumentListField(Step)
    handover = EmbeddedDocumentField(Handover, null=True)
    handovers_requested = IntField(default=0)
    shared = DictField()  # item id -> {type, partner_id, handover_id, shared_at, shared_by} (services/intake/sharing.py)
    registered_on = DateField(required=True)  # the day the trajectory began (`enrolled_on`): registration or earlier
    eligibility = DictField(null=True)  # the REAN/HRT assessment at registration (eligibility.assess's answer)
    departed_on = DateField(null=True)
    arrived_on = DateField(null=True)
    monitoring = EmbeddedDocumentField(MonitoringSummary)
    outcomes = EmbeddedDocumentField(Outcomes)
    erased = BooleanField(default=False)
    search = ListField(StringField())  # the normalised words of the names and client reference (search.py)
    tally_pending = ListField(DictField())  # changes to the read models not yet added (read_model_repository.py)
    created_at = DateTimeField(required=True)
    updated_at = DateTimeField(required=True)
    schema_version = IntField(default=RETURNEE_SCHEMA)
    meta = {"db_alias": ALIAS, "collection": "returnees", "indexes": RETURNEE_INDEXES}


# a client's notes, newest first, and a search within them (the blind index `words` with the returnee)
NOTE_INDEXES = [("returnee_id", "-id"), ("words", "-id")]


class Note(Document):
    """A conversation or contact note of the case file, in a collection of its own (the returnee document is
    copied by every write). Every text, the current one and the corrected ones, is sealed with the returnee's
    personal key; `words` are keyed hashes of its folded words (notes.py). Erasure deletes them, shreds the key."""

    id = StringField(primary_key=True)  # "not_" + ULID
    returnee_id = StringField(required=True)
    kind = StringField(required=True, choices=NOTE_KINDS)
    with_ = ListField(StringField(choices=NOTE_WITH), db_field="with")
    mode = StringField(required=True, choices=NOTE_MODES)
    interpreter = BooleanField(default=False)
    contact_on = DateField(required=True)
    written_by = StringField(required=True, max_length=200)
    written_at = DateTimeField(required=True)
    version = IntField(default=1)
    corrected_by = StringField(max_length=200, null=True)
    corrected_at = DateTimeField(null=True)
    text = DictField(required=True)  # the current text, sealed (shared.sealing)
    versions = ListField(DictField())  # the earlier versions: {version, text (sealed), written_by, written_at}
    words = ListField(StringField())
    schema_version = IntField(default=SCHEMA_VERSION)
    meta = {"db_alias": ALIAS, "collection": "notes", "indexes": NOTE_INDEXES}


class ReturnOrganisation(Document):
    """A Dutch return organisation a client can be referred to (the managed list of exits)."""

    id = StringField(primary_key=True)  # a slug of the name
    name = StringField(required=True, max_length=200)
    active = BooleanField(default=True)
    created_at = DateTimeField(required=True)
    schema_version = IntField(default=SCHEMA_VERSION)
    meta = {"db_alias": ALIAS, "collection": "return_organisations"}


class EligibilityRuleSet(Document):
    """A year's REAN/HRT rules an administrator loaded (services/intake/rule_sets.py), as uploaded; never changed."""

    id = StringField(primary_key=True)  # the rule set's year
    rules = DictField(required=True)  # the rule set's JSON, in the shape of a rule set of eligibility_rules.json
    valid_from = DateField(required=True)
    loaded_at = DateTimeField(required=True)
    loaded_by = StringField(required=True, max_length=200)
    schema_version = IntField(default=SCHEMA_VERSION)
    meta = {"db_alias": ALIAS, "collection": "eligibility_rule_sets"}


class ReadModel(Document):
    """A read model the returnees' writes keep (read_model_repository.py): `counts` (and `counts:<consultant>`)
    with `cells` per office, trajectory, status and country; `days:<scope>:<year>` (an office, `~<region>`,
    `*` for the whole programme) with each month's and
    each day's counters of entries and exits (`months.MM.<figure>`, `days.MM.DD.<figure>`), and
    `groups:<scope>:<year>-<month>` with the breakdown groups' counters (`<figure>~<dimension>=<group>`) the
    same way."""

    id = StringField(primary_key=True)
    cells = DictField()
    months = DictField()
    days = DictField()
    version = IntField(default=0)
    seen_events = ListField(StringField())  # the changes added (each once)
    schema_version = IntField(default=SCHEMA_VERSION)
    meta = {"db_alias": ALIAS, "collection": "read_models"}


class CountryInsight(Document):
    """The read model of monitoring's `country.insights_updated.v1`: the newest insight per country."""

    id = StringField(primary_key=True)  # ISO 3166-1 alpha-2
    insight = DictField(required=True)  # the event's data, as published
    version = IntField(required=True)
    received_at = DateTimeField(required=True)
    schema_version = IntField(default=SCHEMA_VERSION)
    meta = {"db_alias": ALIAS, "collection": "country_insights"}


class PersonalKey(Document):
    """One sealing key per returnee; destroying it makes every sealed copy unreadable (crypto-shredding)."""

    id = StringField(primary_key=True)  # the returnee id
    key = StringField(required=True)
    schema_version = IntField(default=SCHEMA_VERSION)
    meta = {"db_alias": ALIAS, "collection": "personal_keys"}


class IdempotencyKey(IdempotencyRecord):
    meta = {"db_alias": ALIAS, "collection": "idempotency_keys"}


class AuditEntry(AuditRecord):
    meta = {"db_alias": ALIAS, "collection": "audit"}


class ConsumerMark(ConsumerMarkRecord):
    """When intake last had read every partners and monitoring event (its copies are current as of then)."""

    meta = {"db_alias": ALIAS, "collection": "consumer_mark"}


class ImportRun(Document):
    """A caseload import running or done (services.intake.imports): its progress and, when done, its report."""

    id = StringField(primary_key=True)
    owner = StringField(required=True)  # who started it (a consultant reads only their own)
    status = StringField(required=True, choices=IMPORT_STATUSES)
    total = IntField(required=True)
    done = IntField(default=0)
    report = DictField()
    created_at = DateTimeField(required=True)
    updated_at = DateTimeField(required=True)
    schema_version = IntField(default=SCHEMA_VERSION)
    meta = {"db_alias": ALIAS, "collection": "import_runs", "indexes": ["updated_at"]}  # the housekeeping's


class GlassBreak(GlassBreakFields):
    """A file opened outside the opener's need-to-know with a reason (services.intake.access, shared.glass_breaks)."""
    meta = {"db_alias": ALIAS, "collection": "glass_breaks", "indexes": GlassBreakFields.INDEXES}