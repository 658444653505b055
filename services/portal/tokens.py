"""The signed-in person's access token, renewed with the refresh token shortly before it expires.

The tokens live in the portal's session store only. A refresh token is good for one use, and one shown
twice ends the person's session at the partners API (it means a copy is in other hands), so only one
request renews at a time: it claims the session's refresh token in the store; any other request uses the
current access token while it lasts, or waits for the renewed one.
"""
from __future__ import annotations

import time
from datetime import datetime, timedelta

from flask import current_app, g

from services.portal import repository
from services.portal.clients import ApiError, ApiUnavailable
from shared.dates import aware

RENEW_BEFORE = timedelta(seconds=60)
CLAIM_FOR = timedelta(seconds=15)
WAIT_SECONDS, WAIT_STEP = 10.0, 0.1


class SignedOut(Exception):
    """The session's tokens cannot be renewed (ended, deactivated, too old): sign in again."""



def expires_at(now: datetime, tokens: dict) -> datetime:
    return now + timedelta(seconds=int(tokens.get("expires_in") or 300))


def current(renew: bool = False) -> str:
    """The access token for the API calls of this request (g.session is the signed-in session)."""
    session = g.get("session")
    if session is None:
        raise SignedOut()
    portal = current_app.extensions["portal"]
    now = portal.clock.now()
    if not renew and aware(session.access_expires_at) - now > RENEW_BEFORE:
        return session.access_token
    return _renewed(portal, session, now, renew)


def _renewed(portal, session, now: datetime, forced: bool) -> str:
    old = session.refresh_token
    if repository.claim_refresh(session.id, old, now, now + CLAIM_FOR):
        try:
            tokens = portal.partners.refresh_grant(old)
        except ApiError as refused:
            repository.end_session(session.id)  # invalid_grant: ended, deactivated or too old
            raise SignedOut() from refused
        except ApiUnavailable:
            repository.release_refresh(session.id)
            if not forced and aware(session.access_expires_at) > now:
                return session.access_token
            raise
        expiry = expires_at(portal.clock.now(), tokens)
        repository.store_tokens(session.id, tokens["access_token"], expiry, tokens["refresh_token"])
        session.access_token, session.access_expires_at = tokens["access_token"], expiry
        session.refresh_token = tokens["refresh_token"]
        return session.access_token
    if not forced and aware(session.access_expires_at) > now:
        return session.access_token  # another request is renewing it; this one still works
    return _wait_for_renewal(portal, session, old)


def _wait_for_renewal(portal, session, old: str) -> str:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        portal.sleep(WAIT_STEP)
        fresh = repository.session_by_id(session.id)
        if fresh is None:
            raise SignedOut()
        if fresh.refresh_token != old:
            g.session = fresh
            return fresh.access_token
    raise ApiUnavailable("the tokens are being renewed by another request")
