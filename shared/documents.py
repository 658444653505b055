"""Seedwork documents: what every service stores the same way, as abstract mongoengine classes.

A service declares the concrete classes in its own `documents.py`, naming its alias and
collection in `meta`, so each service's data stays in its own database:

    class IdempotencyKey(IdempotencyRecord):
        meta = {"db_alias": ALIAS, "collection": "idempotency_keys"}
"""
from __future__ import annotations

from mongoengine import (DateTimeField, DictField, Document, EmbeddedDocument, EmbeddedDocumentListField,
                         IntField, ListField, StringField)

SCHEMA_VERSION = 1  # bump in a service's document when its stored shape changes; see `shared.migrations`


class OutboxEntry(EmbeddedDocument):
    """An event waiting in its document's outbox until the broker acknowledged it."""

    id = StringField(required=True)
    topic = StringField(required=True)
    key = StringField(required=True)
    type = StringField(required=True)
    value = StringField(required=True)


class Aggregate(Document):
    """A document written only by conditional single-document updates, with its outbox and the
    ids of the events it already applied (`apply_once`)."""

    version = IntField(default=0)
    schema_version = IntField(default=SCHEMA_VERSION)
    outbox = EmbeddedDocumentListField(OutboxEntry)
    seen_events = ListField(StringField())
    meta = {"abstract": True}


class IdempotencyRecord(Document):
    """One Idempotency-Key of one client: its request fingerprint and, once done, the response."""

    id = StringField(primary_key=True)
    fingerprint = StringField(required=True)
    state = StringField(required=True, choices=("in_flight", "done"))
    status = IntField()
    body = DictField()
    created_at = DateTimeField(required=True)
    schema_version = IntField(default=SCHEMA_VERSION)
    meta = {"abstract": True, "indexes": ["created_at"]}


class AuditRecord(Document):
    """Who read or wrote what, when, from which organisation."""

    id = StringField(primary_key=True)
    at = DateTimeField(required=True)
    who = StringField(required=True)
    role = StringField(required=True)
    org = StringField()
    method = StringField(required=True)
    path = StringField(required=True)
    resource_id = StringField()
    returnee_id = StringField()  # the person the request concerns, whatever the URL names (a handover, an alert)
    status = IntField(required=True)
    request_id = StringField()  # the service's own request id, never a client's
    schema_version = IntField(default=SCHEMA_VERSION)
    meta = {"abstract": True, "indexes": [("resource_id", "id"), ("returnee_id", "id"), "at"]}


class ConsumerMarkRecord(Document):
    """When this service's consumer last had read every event there was (`shared.freshness`): its copies of
    other services' state are current as of then. One document, written by whichever process consumes."""

    id = StringField(primary_key=True)
    caught_up_at = DateTimeField(required=True)
    schema_version = IntField(default=SCHEMA_VERSION)
    meta = {"abstract": True}


class RevocationRecord(Document):
    """Tokens that end before their expiry (`shared.revocations`): those of one subject (a partner's client id or
    person) or of a whole organisation, issued at or before `revoked_at`; kept until no such token can be valid."""

    id = StringField(primary_key=True)  # "sub:<token subject>" or "org:<organisation id>"
    revoked_at = DateTimeField(required=True)
    until = DateTimeField(required=True)
    schema_version = IntField(default=SCHEMA_VERSION)
    meta = {"abstract": True, "indexes": ["until"]}
