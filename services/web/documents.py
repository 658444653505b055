"""The web service's own store: staff accounts, sessions, pending identity-provider sign-ins, forms
kept for a short while when they were sent after the session had expired, and the staff notifications
(who follows each returnee, the events turned into mail, the mails).

mongoengine Documents on the alias "web" (connected in `store.connect`); queried only in `repository.py`
and `notifications_repository.py`.
"""
from __future__ import annotations

from mongoengine import BinaryField, BooleanField, DateTimeField, DictField, Document, IntField, ListField, StringField

from shared.auth import STAFF_ROLES
from shared.mail.outbox import DigestRun, MailCause, MailRecord

ALIAS = "web"


class StaffAccount(Document):
    meta = {"db_alias": ALIAS, "collection": "staff_accounts", "indexes": ["team"]}  # a team's members
    username = StringField(primary_key=True, max_length=64)
    display_name = StringField(max_length=200, default="")
    role = StringField(required=True, choices=STAFF_ROLES)
    password_hash = StringField(default="")  # empty: signs in through the identity provider only
    active = BooleanField(default=True)
    failed_logins = IntField(default=0)  # wrong passwords since the last sign-in: the owner is told then
    last_failed_at = DateTimeField(null=True)
    known_sources = ListField(StringField(), default=list)  # keyed digests of the last addresses it signed in from
    locked_until = DateTimeField(null=True)  # no longer set (there is no lock-out, issue 22): older records load
    created_at = DateTimeField(required=True)
    last_login_at = DateTimeField(null=True)
    email = StringField(default="")  # where the notifications go (required for new accounts, issue 21)
    mail_language = StringField(default="nl", choices=("nl", "en"))
    mail_preferences = DictField()  # kind -> immediate, digest or none (services.web.notifications.rules)
    mail_link_key = StringField(default="")  # signs the mails' one-click unsubscribe links (made when first needed)
    # need-to-know (services/web/access.py): the offices whose clients the person reads, their team (who read each
    # other's followed clients) and the colleagues they cover for; in the tokens as `offices` and `caseload`
    offices = ListField(StringField(max_length=64), default=list)
    team = StringField(max_length=64, default="")
    covers_for = ListField(StringField(max_length=64), default=list)


class WebSession(Document):
    """A signed-in browser; the cookie holds a random token, the store only its SHA-256."""

    meta = {"db_alias": ALIAS, "collection": "sessions"}
    id = StringField(primary_key=True)
    username = StringField(required=True)
    role = StringField(required=True, choices=STAFF_ROLES)
    display_name = StringField(default="")
    csrf_token = StringField(required=True)
    created_at = DateTimeField(required=True)
    last_seen = DateTimeField(required=True)
    access_reasons = DictField()  # returnee id -> the reason given to open that file outside the caseload


class PendingLogin(Document):
    """An authorization-code sign-in under way: its state and PKCE verifier."""

    meta = {"db_alias": ALIAS, "collection": "pending_logins"}
    state = StringField(primary_key=True)
    code_verifier = StringField(required=True)
    nonce = StringField(required=True)
    next_url = StringField(default="/")
    created_at = DateTimeField(required=True)


class FormDraft(Document):
    """A form sent after its session expired: kept (at most DRAFT_MINUTES) to show it again after sign-in,
    never sent on by itself. Bound to the browser (a cookie holds the random token, this its SHA-256) and,
    when known, to the person whose session it was. Without the CSRF token and passwords."""

    meta = {"db_alias": ALIAS, "collection": "form_drafts", "indexes": ["created_at"]}
    id = StringField(primary_key=True)
    owner = StringField(default="")  # the expired session's user name; empty when it was gone already
    path = StringField(required=True)  # the page to show it on
    action = StringField(required=True)  # where the form was sent
    values = StringField(required=True)  # JSON: [[name, value], ...] in the order sent
    created_at = DateTimeField(required=True)


# --- the staff notifications (services/web/notifications) ------------------------------------------

class Following(Document):
    """Intake's word on a returnee, from its events: the consultant who follows it, its office and country.
    No name: the mails say the country and link to the page."""

    meta = {"db_alias": ALIAS, "collection": "following"}
    id = StringField(primary_key=True)  # rtn_<ULID>
    consultant = StringField()  # as intake records it (`web:<username>`)
    office = StringField()
    country = StringField()
    seen_events = ListField(StringField())
    updated_at = DateTimeField()


class Notification(MailCause):
    """A consumed event and the mails it queued, in one insert (its id the event's: a redelivery adds nothing)."""

    meta = {"db_alias": ALIAS, "collection": "notifications", "indexes": ["received_at"]}


class StaffMail(MailRecord):
    """The delivery log of mail to staff (shared.mail)."""

    meta = {"db_alias": ALIAS, "collection": "mails", "indexes": [("state", "next_attempt_at")]}


class StaffDigestRun(DigestRun):
    """The day's staff digest run, claimed by one web worker (shared.mail)."""

    meta = {"db_alias": ALIAS, "collection": "digest_runs"}


class KeptUpload(Document):
    """A caseload file between its preview and the confirmed import (services/web/views/imports.py): the
    person's own, for at most repository.UPLOAD_MINUTES, deleted when the import starts."""

    meta = {"db_alias": ALIAS, "collection": "kept_uploads", "indexes": ["created_at"]}
    id = StringField(primary_key=True)
    owner = StringField(required=True)
    filename = StringField(default="")
    content = BinaryField(required=True)
    go_live_on = StringField(default="")  # the form's go-live date (an ISO day) the preview was made with
    created_at = DateTimeField(required=True)
