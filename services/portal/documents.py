"""The portal's own store (alias "portal"): the signed-in browsers' sessions, with the tokens the partners API
gave the person. Only `repository.py` and `store.py` use these classes.

The tokens stay here, server-side: the browser holds a random cookie (its SHA-256 is the id), never a token.
"""
from __future__ import annotations

from mongoengine import DateTimeField, Document, StringField

ALIAS = "portal"


class PortalSession(Document):
    meta = {"db_alias": ALIAS, "collection": "sessions", "indexes": ["user_id", "last_seen"]}
    id = StringField(primary_key=True)
    user_id = StringField(required=True)  # pus_<ULID>: the `sub` of the person's tokens
    partner_id = StringField(required=True)
    partner_role = StringField(required=True)  # coordinator | field_worker
    username = StringField(default="")
    display_name = StringField(default="")
    org_locale = StringField(default="")  # the organisation's language, when the portal has its catalogue
    csrf_token = StringField(required=True)
    access_token = StringField(required=True)
    access_expires_at = DateTimeField(required=True)
    refresh_token = StringField(required=True)
    refresh_claimed_until = DateTimeField(null=True)  # a request is renewing the tokens (one at a time)
    created_at = DateTimeField(required=True)
    last_seen = DateTimeField(required=True)
