"""What the partners service stores, as mongoengine documents in its own database (alias `partners`).

Only `repository.py` (and, in `bootstrap.py`, the seedwork stores it is given) touches these classes.
Field names are those of the stored shape before mongoengine, so stored data and the HTTP contract
stay the same. Days are `DateField`s (stored as midnight UTC, as before).
"""
from __future__ import annotations

from mongoengine import (BooleanField, DateField, DateTimeField, DictField, Document, EmbeddedDocument,
                         EmbeddedDocumentField, EmbeddedDocumentListField, FloatField, IntField, ListField,
                         StringField)

from services.partners.vocabulary import (DECLINE_REASONS, HANDOVER_STATUSES, MESSAGE_STATES, PARTNER_USER_ROLES,
                                          SUPPORT_TYPES)
from shared.mail.outbox import DigestRun, MailRecord
from shared.documents import SCHEMA_VERSION, Aggregate, AuditRecord, IdempotencyRecord, RevocationRecord

ALIAS = "partners"


# --- organisations and credentials ------------------------------------------------------------------

class Contact(EmbeddedDocument):
    name = StringField(max_length=200)
    email = StringField()
    phone = StringField(max_length=50)


class Webhook(EmbeddedDocument):
    """Where a partner is notified; the signing secrets are kept in clear (signing needs them) and never shown.

    After a rotation the previous secret still signs (beside the new one) until its expiry; an endpoint
    failing since `failing_since` for too long is paused (`paused_at`) until an administrator resumes it."""

    url = StringField(required=True)
    secret = StringField(required=True)
    created_at = DateTimeField(required=True)
    previous_secret = StringField()
    previous_secret_expires_at = DateTimeField()
    failing_since = DateTimeField()  # the first failed attempt since the last delivered one
    paused_at = DateTimeField()


class Note(EmbeddedDocument):
    """Something the system tells the administrators about a partner organisation (e.g. its webhook paused)."""

    at = DateTimeField(required=True)
    kind = StringField(required=True)
    text = StringField(required=True)


class Partner(Aggregate):
    """A partner organisation (an NGO that takes cases in some countries); its outbox carries the
    events about the organisation itself (`partner.webhook_paused.v1`)."""

    id = StringField(primary_key=True)  # prt_<ULID>
    name = StringField(required=True, max_length=200)
    countries = ListField(StringField(min_length=2, max_length=2), required=True)
    services = ListField(StringField(choices=SUPPORT_TYPES))
    languages = ListField(StringField())
    contact = EmbeddedDocumentField(Contact)
    network = StringField(max_length=100)
    active = BooleanField(default=True)
    created_at = DateTimeField(required=True)
    updated_at = DateTimeField(required=True)
    webhook = EmbeddedDocumentField(Webhook)
    notes = EmbeddedDocumentListField(Note)  # the newest NOTES_KEPT
    meta = {"db_alias": ALIAS, "collection": "partners", "indexes": ["countries"]}


class Credential(Document):
    """One client id of a partner organisation; the document id is the client id (the token endpoint's key)."""

    id = StringField(primary_key=True)  # hw_<hex>, the OAuth client_id
    partner_id = StringField(required=True)
    secret_hash = StringField(required=True)
    created_at = DateTimeField(required=True)
    revoked_at = DateTimeField()
    schema_version = IntField(default=SCHEMA_VERSION)
    meta = {"db_alias": ALIAS, "collection": "credentials", "indexes": [("partner_id", "created_at")]}


# --- an organisation's people and their sessions (services.partners.people_repository) ----------------

class Invitation(EmbeddedDocument):
    """A one-time code (kept as its SHA-256 only) that lets the person set a password."""

    code_hash = StringField(required=True)
    expires_at = DateTimeField(required=True)
    redeemed_at = DateTimeField()


class PartnerUser(Document):
    """A person of a partner organisation: a field worker or its coordinator."""

    id = StringField(primary_key=True)  # pus_<ULID>, the tokens' `sub`
    partner_id = StringField(required=True)
    username = StringField(required=True, max_length=64)  # lower-case, unique over all organisations
    display_name = StringField(required=True, max_length=200)
    email = StringField()  # required for new people (the API); where the person's mail goes
    language = StringField(default="en", choices=("en", "fr"))  # of the person's mails (the portal's languages)
    mail_preferences = DictField()  # kind -> immediate, digest or none (services.partners.mail)
    role = StringField(required=True, choices=PARTNER_USER_ROLES)
    password_hash = StringField(default="")  # scrypt (shared.passwords); empty until the invitation is redeemed
    active = BooleanField(default=True)
    created_at = DateTimeField(required=True)
    last_sign_in_at = DateTimeField()
    invitation = EmbeddedDocumentField(Invitation)
    schema_version = IntField(default=SCHEMA_VERSION)
    meta = {"db_alias": ALIAS, "collection": "partner_users",
            "indexes": [{"fields": ["username"], "unique": True}, ("partner_id", "id"), "invitation.code_hash"]}


class PartnerSession(Document):
    """One refresh token of a signed-in person, by the SHA-256 of the token. Using it spends it (`spent_at`)
    and makes the next one of the same `session`; a spent one shown again ends the whole session."""

    id = StringField(primary_key=True)  # sha256 hex of the refresh token
    session = StringField(required=True)  # the sign-in it descends from
    user_id = StringField(required=True)
    partner_id = StringField(required=True)
    started_at = DateTimeField(required=True)  # the sign-in: the absolute expiry counts from here
    issued_at = DateTimeField(required=True)  # this token: the idle expiry counts from here
    spent_at = DateTimeField()
    meta = {"db_alias": ALIAS, "collection": "partner_sessions", "indexes": ["user_id", "session", "issued_at"]}


# --- handovers ----------------------------------------------------------------------------------------

class Decline(EmbeddedDocument):
    reason = StringField(required=True, choices=DECLINE_REASONS)
    detail = StringField(default="")


class WebhookEntry(EmbeddedDocument):
    """A webhook queued in the handover's write; the relay moves it into `webhook_messages`."""

    id = StringField(required=True)  # msg_<ULID>, the webhook-id header
    type = StringField(required=True)
    partner_id = StringField(required=True)
    handover_id = StringField(required=True)
    returnee_id = StringField(required=True)
    body = StringField(required=True)


class Handover(Aggregate):
    """One offer of a case to a partner organisation, with its outboxes (events and webhooks).

    Written only by conditional updates: transitions compare-and-set `status`, consumed events are
    applied once (`seen_events`)."""

    id = StringField(primary_key=True)  # hnd_<ULID>, chosen by intake
    returnee_id = StringField(required=True)
    partner_id = StringField(required=True)
    country = StringField(required=True)
    region = StringField()  # exact, from the sealed profile
    coarse_region = StringField()  # the first-level subdivision intake sent in clear; passed on to monitoring
    status = StringField(required=True, choices=HANDOVER_STATUSES)
    offered_at = DateTimeField(required=True)
    answered_at = DateTimeField()
    decline = EmbeddedDocumentField(Decline)
    planned_departure_date = DateField()
    departed_on = DateField()
    arrived_on = DateField()
    arrival_source = StringField()  # partner: confirmed by the partner; import: the old records, at acceptance
    imported = DictField(default=None)  # a caseload import's departed_on, arrived_on, go_live_on (ISO days)
    languages = ListField(StringField())
    household = DictField()
    vulnerabilities = ListField(StringField())
    reintegration_plan = DictField()
    perspective_plan = DictField(default=None)  # the newest fixed perspective plan, from the sealed profile
    personal = DictField(default=None)  # opened personal data, absent when none may be held
    personal_sealed = DictField(default=None)  # still sealed: intake could not be asked yet
    profile_sealed = DictField(default=None)  # the same for the profile (region, languages, household, plan)
    shared = ListField(DictField())  # notes and documents shared by the consultant (handlers/shared_items.py)
    erased = BooleanField()
    monitoring_ended_at = DateTimeField()  # from monitoring.completed.v1: PARTNER_RETENTION_DAYS count from here
    copy_deleted_at = DateTimeField()  # when retention deleted the personal data of this copy
    webhook_outbox = EmbeddedDocumentListField(WebhookEntry)
    mail_outbox = ListField(DictField())  # mails to the partner's people, queued with their cause (shared.mail)
    expiry_warned_at = DateTimeField()  # the partner's people were told the offer expires soon
    meta = {"db_alias": ALIAS, "collection": "handovers",
            "indexes": [("partner_id", "id"), "returnee_id", ("status", "offered_at")]}


# --- webhook messages and their delivery log ----------------------------------------------------------

class WebhookRecord(Document):
    """What a webhook message and each attempt to deliver it have in common: the event and its state."""

    partner_id = StringField(required=True)
    event_type = StringField(required=True)
    handover_id = StringField(required=True)
    returnee_id = StringField(required=True)
    state = StringField(required=True, choices=MESSAGE_STATES)
    next_attempt_at = DateTimeField()  # only while pending
    schema_version = IntField(default=SCHEMA_VERSION)
    meta = {"abstract": True}


class WebhookMessage(WebhookRecord):
    """A message to a partner's webhook, kept for the delivery log and replays."""

    id = StringField(primary_key=True)  # msg_<ULID>
    body = StringField(required=True)  # fixed when queued: every attempt sends the same bytes
    created_at = DateTimeField(required=True)
    attempts = IntField(default=0)
    failures = IntField(default=0)
    last_error = StringField()
    meta = {"db_alias": ALIAS, "collection": "webhook_messages", "indexes": [("partner_id", "id")]}


class DueWebhook(Document):
    """The delivery queue: one small document per pending message, removed once it is delivered or given up.

    The relay asks it every second which messages are due, so that query costs what the pending
    messages cost, not what every message ever sent costs (the embedded store scans)."""

    id = StringField(primary_key=True)  # the message id
    due_at = DateTimeField(required=True)
    partner_id = StringField()  # whose: a paused endpoint's or a busy endpoint's messages are left out
    meta = {"db_alias": ALIAS, "collection": "webhook_queue", "indexes": [("due_at", "id")]}


class WebhookLease(Document):
    """Which worker process is delivering to a partner's endpoint, until when: one at a time, so that
    messages to one endpoint go in order even with several worker replicas."""

    id = StringField(primary_key=True)  # the partner id
    owner = StringField(required=True)
    until = DateTimeField(required=True)
    meta = {"db_alias": ALIAS, "collection": "webhook_leases"}


class WebhookDelivery(WebhookRecord):
    """One attempt to deliver a message; `state` and `next_attempt_at` are the message's right after it."""

    id = StringField(primary_key=True)  # dlv_<ULID>
    message_id = StringField(required=True)
    attempt = IntField(required=True)
    status_code = IntField()
    error = StringField()
    error_kind = StringField()  # webhooks.sender.ERROR_KINDS; absent on attempts logged before it existed
    duration_ms = FloatField(required=True)
    attempted_at = DateTimeField(required=True)
    meta = {"db_alias": ALIAS, "collection": "webhook_deliveries",
            "indexes": [("partner_id", "id"), ("message_id", "id")]}


class Mail(MailRecord):
    """The delivery log of mail to partner people (shared.mail): address, kind, state, attempts, times."""

    meta = {"db_alias": ALIAS, "collection": "mails", "indexes": [("state", "next_attempt_at")]}


class MailDigestRun(DigestRun):
    """The day's digest run of partner people's mail, claimed by one partners worker (shared.mail)."""

    meta = {"db_alias": ALIAS, "collection": "digest_runs"}


class IdempotencyKey(IdempotencyRecord):
    meta = {"db_alias": ALIAS, "collection": "idempotency_keys"}


class AuditEntry(AuditRecord):
    meta = {"db_alias": ALIAS, "collection": "audit"}


class Revocation(RevocationRecord):
    """Tokens ended before their expiry (shared.revocations): checked by this service's verifier."""

    meta = {"db_alias": ALIAS, "collection": "revocations"}
