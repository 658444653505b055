"""Staff accounts and sessions: scrypt password hashes, expiring sessions (shared/pages/sessions.py through
`repository`; signing in: `signin.py`)."""
from __future__ import annotations

import re
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l

from services.web import repository
from services.web.notifications.rules import PreferenceRefused, check_preferences
from shared.auth import STAFF_ROLES
from shared.passwords import MIN_PASSWORD, hash_password

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._@-]{1,63}$")
EMAIL = re.compile(r"^[^@\s<>,;]{1,64}@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")  # one address, nothing to inject a header with


class AccountError(ValueError):
    """A field of an account is not acceptable: `field` names it, `message` says why (a gettext message:
    the page's language on a page, English in a terminal)."""

    def __init__(self, field: str, message):
        super().__init__(message)
        self.field, self.message = field, message


def check_email(email: str) -> str:
    email = (email or "").strip()
    if not email:
        raise AccountError("email", _l("Fill in an e-mail address."))
    if len(email) > 254 or not EMAIL.match(email):
        raise AccountError("email", _l("Not an e-mail address."))
    return email


def create_account(username: str, role: str, password: str | None, now: datetime, display_name: str = "",
                   email: str | None = None) -> repository.StaffAccount:
    """A new staff account; raises AccountError naming the field that is wrong. `email` is required where a
    person types it (the staff page, the command line); None only for accounts made without one (tests,
    the identity provider's)."""
    username = (username or "").strip().lower()
    if not USERNAME.match(username):
        raise AccountError("username", _l("Use 2-64 lower-case letters, digits, dots, dashes or @."))
    if role not in STAFF_ROLES:
        raise AccountError("role", _l("Choose a role."))
    if password is not None and len(password) < MIN_PASSWORD:
        raise AccountError("password", _l("At least %(num)d characters.", num=MIN_PASSWORD))
    if email is not None:
        email = check_email(email)
    if repository.find_account(username) is not None:
        raise AccountError("username", _l("This user name is taken."))
    return repository.add_account(username=username, role=role, display_name=display_name.strip()[:200],
                                  password_hash=hash_password(password) if password else "", created_at=now,
                                  email=email or "")


def set_mail_settings(username: str, email: str, language: str, preferences: dict) -> None:
    """The person's address, the language of the mails and per kind when a mail comes; raises AccountError."""
    try:
        changes = {"email": check_email(email), "mail_preferences": check_preferences(preferences)}
    except PreferenceRefused as refused:
        raise AccountError(refused.field, refused.message) from refused
    if language not in ("nl", "en"):
        raise AccountError("mail_language", _l("Choose a language."))
    repository.update_account(username, mail_language=language, **changes)


def set_password(username: str, password: str, keep_session: str | None = None) -> None:
    """A new password; every open session of the account ends (whoever signed in with the old one is signed
    out), except `keep_session`: the one an administrator resets their own password in. The addresses it
    signed in from are forgotten (one may be the address of whoever knew the old password); the count of
    failed attempts stays, for the owner to be told at the next sign-in."""
    if len(password) < MIN_PASSWORD:
        raise AccountError("password", _l("At least %(num)d characters.", num=MIN_PASSWORD))
    repository.update_account(username, password_hash=hash_password(password), known_sources=[])
    repository.delete_sessions_of(username, keep=keep_session)


def is_last_active_admin(username: str) -> bool:
    """True when `username` is the only active administrator: deactivating it would lock everyone out."""
    account = repository.find_account(username)
    if account is None or account.role != "admin" or not account.active:
        return False
    return not any(a.active and a.role == "admin" and a.username != username for a in repository.all_accounts())


def set_active(username: str, active: bool) -> None:
    if not active and is_last_active_admin(username):
        raise AccountError("active", _l("The last active administrator cannot be deactivated."))
    repository.update_account(username, active=active)
    if not active:
        repository.delete_sessions_of(username)


def list_accounts() -> list[repository.StaffAccount]:
    return repository.all_accounts()


def start_session(username: str, role: str, display_name: str, now: datetime) -> str:
    """A new session (a fresh id and CSRF token on every sign-in); returns the cookie value."""
    return repository.open_session(now, username=username, role=role, display_name=display_name)


def load_session(token: str | None, now: datetime, idle: timedelta, longest: timedelta) -> repository.WebSession | None:
    """The live session for a cookie, touched; None (and deleted) when idle or too old."""
    return repository.live_session(token, now, idle, longest)


def session_owner(token: str | None) -> str | None:
    """Whose session a cookie names, live or expired (None when there is none)."""
    session = repository.session_named(token)
    return session.username if session is not None else None


def end_session(token: str | None) -> None:
    repository.close_session(token)


def begin_external_login(state: str, code_verifier: str, nonce: str, next_url: str, now: datetime) -> None:
    repository.add_pending_login(state=state, code_verifier=code_verifier, nonce=nonce, next_url=next_url,
                                 created_at=now)


def finish_external_login(state: str, now: datetime) -> repository.PendingLogin | None:
    """The pending sign-in for `state`, used once, at most 10 minutes old."""
    pending = repository.take_pending_login(state)
    if pending is None:
        return None
    return pending if now - pending.created_at <= timedelta(minutes=10) else None


def account(username: str) -> repository.StaffAccount | None:
    return repository.find_account(username)
