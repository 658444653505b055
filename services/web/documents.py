"""The web service's own store: staff accounts, sessions and pending identity-provider sign-ins.

mongoengine Documents on the alias "web" (connected in `store.connect`); only `accounts.py` uses them.
"""
from __future__ import annotations

from mongoengine import BooleanField, DateTimeField, Document, IntField, StringField

from shared.auth import STAFF_ROLES

ALIAS = "web"


class StaffAccount(Document):
    meta = {"db_alias": ALIAS, "collection": "staff_accounts"}
    username = StringField(primary_key=True, max_length=64)
    display_name = StringField(max_length=200, default="")
    role = StringField(required=True, choices=STAFF_ROLES)
    password_hash = StringField(default="")  # empty: signs in through the identity provider only
    active = BooleanField(default=True)
    failed_logins = IntField(default=0)
    locked_until = DateTimeField(null=True)
    created_at = DateTimeField(required=True)
    last_login_at = DateTimeField(null=True)


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


class PendingLogin(Document):
    """An authorization-code sign-in under way: its state and PKCE verifier."""

    meta = {"db_alias": ALIAS, "collection": "pending_logins"}
    state = StringField(primary_key=True)
    code_verifier = StringField(required=True)
    nonce = StringField(required=True)
    next_url = StringField(default="/")
    created_at = DateTimeField(required=True)
