"""The web app's stored data: staff accounts, sessions and pending external sign-ins (alias `web`).

The only module that queries the documents (the sessions through the page machinery's `SessionStore`);
`accounts.py` and `signin.py` hold the rules (hashes, slowed guessing, expiry).
"""
from __future__ import annotations

from datetime import datetime, timedelta

from services.web.documents import FormDraft, KeptUpload, PendingLogin, StaffAccount, WebSession
from shared.pages.sessions import SessionStore


def find_account(username: str) -> StaffAccount | None:
    return StaffAccount.objects(username=username).first()


def add_account(**fields) -> StaffAccount:
    account = StaffAccount(**fields)
    account.save(force_insert=True)
    return account


def update_account(username: str, **changes) -> None:
    """Set fields of one account (`failed_logins=0`, `last_login_at=now`, ...)."""
    StaffAccount.objects(username=username).update_one(**{f"set__{name}": value for name, value in changes.items()})


def count_failed_sign_in(username: str, now: datetime) -> None:
    """One more failed sign-in on the account `username`, at `now`: the same write whether or not it exists."""
    StaffAccount.objects(username=username).update_one(inc__failed_logins=1, set__last_failed_at=now)


def all_accounts() -> list[StaffAccount]:
    return list(StaffAccount.objects.order_by("username"))


def sessions(idle: timedelta = timedelta.max, longest: timedelta = timedelta.max) -> SessionStore:
    """The staff sessions through the page machinery's store (cookie token, stored digest, expiry)."""
    return SessionStore(WebSession, idle, longest)


def open_session(now: datetime, **fields) -> str:
    """A new staff session; returns the cookie value."""
    return sessions().start(now, **fields)


def live_session(token: str | None, now: datetime, idle: timedelta, longest: timedelta) -> WebSession | None:
    """The live session a cookie names, touched; None (and ended) when idle or too old."""
    return sessions(idle, longest).load(token, now)


def session_named(token: str | None) -> WebSession | None:
    """The session a cookie names, live or expired."""
    return sessions().find(token)


def close_session(token: str | None) -> None:
    sessions().end(token)


def delete_sessions_of(username: str, keep: str | None = None) -> None:
    """End every session of `username` (but `keep`, a session id, when given)."""
    query = WebSession.objects(username=username)
    (query.filter(id__ne=keep) if keep else query).delete()


def add_pending_login(**fields) -> None:
    PendingLogin(**fields).save()


def take_pending_login(state: str) -> PendingLogin | None:
    """The pending external sign-in for `state`, removed as it is read (usable once)."""
    pending = PendingLogin.objects(state=state).first()
    if pending is not None:
        pending.delete()
    return pending


def add_draft(**fields) -> None:
    FormDraft(**fields).save(force_insert=True)


def find_draft(draft_id: str) -> FormDraft | None:
    return FormDraft.objects(id=draft_id).first()


def delete_draft(draft_id: str) -> None:
    FormDraft.objects(id=draft_id).delete()


def delete_drafts_before(moment: datetime) -> None:
    FormDraft.objects(created_at__lt=moment).delete()


def all_drafts() -> list[FormDraft]:
    return list(FormDraft.objects)


UPLOAD_MINUTES = 30  # a kept upload's life; the web worker removes older ones (PRIVACY.md)


def keep_upload(**fields) -> None:
    KeptUpload(**fields).save(force_insert=True)


def take_upload(upload_id: str, owner: str, since: datetime) -> KeptUpload | None:
    """The person's kept file (None when unknown, another's, or older than `since`), and forget it."""
    upload = KeptUpload.objects(id=upload_id, owner=owner, created_at__gte=since).first()
    KeptUpload.objects(id=upload_id, owner=owner).delete()
    KeptUpload.objects(created_at__lt=since).delete()
    return upload


def delete_uploads_before(moment: datetime) -> int:
    """The kept uploads older than `moment` deleted (the web worker's housekeeping); how many."""
    return KeptUpload.objects(created_at__lt=moment).delete()


def team_members(team: str) -> list[str]:
    """The user names of a team's members (need-to-know: services/web/access.py)."""
    return [doc["_id"] for doc in StaffAccount.objects(team=team).only("username").as_pymongo()] if team else []


def keep_access_reason(session_id: str, returnee_id: str, reason: str) -> None:
    """The reason this session gave to open one client's file outside the person's caseload."""
    WebSession.objects(id=session_id).update_one(**{f"set__access_reasons__{returnee_id}": reason})
