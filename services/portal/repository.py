"""The portal's stored sessions (alias `portal`): the only module that queries them besides the generic
`shared.pages.sessions.SessionStore`, which starts, loads and ends them."""
from __future__ import annotations

from datetime import datetime

from services.portal.documents import PortalSession
from shared.pages.sessions import SessionStore


def session_store(idle, longest) -> SessionStore:
    return SessionStore(PortalSession, idle, longest)


def session_by_id(session_id: str) -> PortalSession | None:
    return PortalSession.objects(id=session_id).first()


def claim_refresh(session_id: str, refresh_token: str, now: datetime, until: datetime) -> bool:
    """Take the right to spend `refresh_token` (one request at a time: a refresh token shown twice ends the
    person's session at the partners API)."""
    free = PortalSession.objects(id=session_id, refresh_token=refresh_token, refresh_claimed_until=None)
    if free.update_one(set__refresh_claimed_until=until):
        return True
    stale = PortalSession.objects(id=session_id, refresh_token=refresh_token, refresh_claimed_until__lt=now)
    return bool(stale.update_one(set__refresh_claimed_until=until))


def release_refresh(session_id: str) -> None:
    PortalSession.objects(id=session_id).update_one(set__refresh_claimed_until=None)


def store_tokens(session_id: str, access_token: str, expires_at: datetime, refresh_token: str) -> None:
    PortalSession.objects(id=session_id).update_one(set__access_token=access_token, set__access_expires_at=expires_at,
                                                    set__refresh_token=refresh_token, set__refresh_claimed_until=None)


def end_session(session_id: str) -> None:
    PortalSession.objects(id=session_id).delete()
