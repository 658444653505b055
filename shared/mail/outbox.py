"""What a write queues: a mail entry in its document's `mail_outbox`, and the documents that keep mail.

A state change and the mails it causes are one update: `{"$set": ..., "$push": mail_push(*entries)}` (or
the entries in the inserted document), as the event outbox (`shared.outbox`). The sender moves each entry
into the service's delivery log (a `MailRecord` document, the same id: moving twice keeps one) and pulls
it from its cause; only then is it sent.

An entry holds the recipient's address, the kind, the language and the rendered texts (`texts.render`):
fixed when queued, so every attempt sends the same words. `digest` entries wait for the daily digest.
"""
from __future__ import annotations

from mongoengine import DateTimeField, DictField, Document, IntField, ListField, StringField
from ulid import ULID

from shared.ids import MAIL
from shared.mail.texts import Rendered

MODES = ("immediate", "digest", "none")
STATES = ("pending", "sending", "sent", "failed", "digest", "digested")
FIELD = "mail_outbox"


def mail_entry(to: str, kind: str, lang: str, rendered: Rendered, digest: bool = False,
               line: str = "", unsubscribe: str = "", one_click: str = "") -> dict:
    """One mail to queue; `line` is the entry's line in a digest (kind, country, due date, link);
    `unsubscribe` the recipient's settings page (List-Unsubscribe), `one_click` the URL that turns this kind
    off with one POST (List-Unsubscribe-Post), empty where there is none."""
    return {"id": f"{MAIL}{ULID()}", "to": to, "kind": kind, "lang": lang, "subject": rendered.subject,
            "text": rendered.text, "html": rendered.html, "digest": bool(digest), "line": line,
            "unsubscribe": unsubscribe, "one_click": one_click}


def mail_push(*entries: dict) -> dict:
    """The raw `$push` clause that adds mail entries to a document's outbox."""
    return {FIELD: {"$each": list(entries)}}


class MailCause(Document):
    """A document that records a consumed event and the mails it queued in one insert (`_id` the event id):
    for a consumer whose event changes nothing else (the staff notifications)."""

    id = StringField(primary_key=True)
    type = StringField(required=True)
    received_at = DateTimeField(required=True)
    mail_outbox = ListField(DictField())
    meta = {"abstract": True}


class MailRecord(Document):
    """A mail in the delivery log: who (address), what kind, its state and attempts; the texts until sent."""

    id = StringField(primary_key=True)  # mail_<ULID>, from the entry
    to = StringField(required=True)
    kind = StringField(required=True)
    lang = StringField(required=True)
    subject = StringField(required=True)
    text = StringField(default="")
    html = StringField(default="")
    line = StringField(default="")
    state = StringField(required=True, choices=STATES)
    attempts = IntField(default=0)
    created_at = DateTimeField(required=True)
    next_attempt_at = DateTimeField()  # while pending
    claimed_until = DateTimeField()  # while sending: another sender takes it only after this
    sent_at = DateTimeField()
    last_error = StringField()
    digest_id = StringField()  # digested: the digest mail it went out in
    unsubscribe = StringField(default="")  # List-Unsubscribe: the recipient's mail settings page
    one_click = StringField(default="")  # List-Unsubscribe-Post's target (RFC 8058), where one exists
    meta = {"abstract": True}


class DigestRun(Document):
    """One day's digest run, claimed by inserting it (`_id` the day, `YYYY-MM-DD` in the digest's time zone)
    before anything is sent: of two sender replicas, the second finds the day taken and sends none."""

    id = StringField(primary_key=True)
    started_at = DateTimeField(required=True)
    digests = IntField(default=0)
    meta = {"abstract": True}
