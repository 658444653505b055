"""Server-side sessions: the browser's cookie holds a random token; the store keeps only its SHA-256, so a
copy of the store opens no session. A session ends when idle for `idle` or older than `longest`.

`SessionStore` works on any mongoengine Document class with the fields `id` (the digest), `csrf_token`,
`created_at` and `last_seen`, plus whatever the app keeps in its sessions.
"""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from shared.dates import aware

TOUCH_EVERY = timedelta(seconds=30)  # not one write per request


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def expired(created_at: datetime, last_seen: datetime, now: datetime, idle: timedelta, longest: timedelta) -> bool:
    return now - last_seen > idle or now - created_at > longest


class SessionStore:
    def __init__(self, document, idle: timedelta, longest: timedelta):
        self.document, self.idle, self.longest = document, idle, longest

    def start(self, now: datetime, **fields) -> str:
        """A new session (a fresh token and CSRF token); returns the cookie value."""
        token = secrets.token_urlsafe(32)
        self.document(id=digest(token), csrf_token=secrets.token_urlsafe(32), created_at=now, last_seen=now,
                      **fields).save(force_insert=True)
        return token

    def find(self, token: str | None):
        """The stored session of a cookie, live or expired (None when there is none)."""
        return self.document.objects(id=digest(token)).first() if token else None

    def load(self, token: str | None, now: datetime):
        """The live session of a cookie, touched; None (and deleted) when idle or too old."""
        session = self.find(token)
        if session is None:
            return None
        if expired(aware(session.created_at), aware(session.last_seen), now, self.idle, self.longest):
            session.delete()
            return None
        if now - aware(session.last_seen) > TOUCH_EVERY:
            self.document.objects(id=session.id).update_one(set__last_seen=now)
        return session

    def update(self, session_id: str, **changes) -> None:
        self.document.objects(id=session_id).update_one(**{f"set__{k}": v for k, v in changes.items()})

    def end(self, token: str | None) -> None:
        if token:
            self.document.objects(id=digest(token)).delete()


