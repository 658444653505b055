"""Forms sent after the session expired: kept for a short while, shown again after sign-in, never sent on.

The browser sent the form with a session that had expired (or was gone): nothing reaches an API. The
values (without the CSRF token and passwords) are kept under a random token that only this browser holds
(a cookie), bound to the person whose session it was when that is known, for DRAFT_MINUTES. After signing
in again, the page the form was on shows it filled in, once, with a message; the person checks it and
sends it again with the new session's token.
"""
from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from werkzeug.datastructures import MultiDict

from services.web import repository
from shared.pages.sessions import digest as _digest

DRAFT_COOKIE = "homeward_draft"
DRAFT_MINUTES = 30
NEVER_KEPT = ("csrf_token",)  # and any field whose name says password or secret


@dataclass(frozen=True)
class Draft:
    action: str  # where the form had been sent
    values: MultiDict


def keepable(name: str) -> bool:
    lowered = name.lower()
    return name not in NEVER_KEPT and "password" not in lowered and "secret" not in lowered


def keep(form: MultiDict, owner: str | None, path: str, action: str, now: datetime) -> str | None:
    """Keep a form sent without a live session; the token for the browser's cookie (None: nothing to keep)."""
    values = [[name, value] for name, value in form.items(multi=True) if keepable(name)]
    if not values:
        return None
    forget_old(now)
    token = secrets.token_urlsafe(32)
    repository.add_draft(id=_digest(token), owner=owner or "", path=path, action=action,
                         values=json.dumps(values), created_at=now)
    return token


def forget_old(now: datetime) -> None:
    """Remove the kept forms older than DRAFT_MINUTES (at every kept form and every sign-in)."""
    repository.delete_drafts_before(now - timedelta(minutes=DRAFT_MINUTES))


def restore(token: str | None, username: str, path: str, now: datetime) -> tuple[Draft | None, bool]:
    """(the kept form for the page at `path`, whether the browser's cookie is done with).

    Shown once, on its page; thrown away when too old or when someone else signed in."""
    if not token:
        return None, False
    draft = repository.find_draft(_digest(token))
    if draft is None:
        return None, True
    created = draft.created_at if draft.created_at.tzinfo else draft.created_at.replace(tzinfo=now.tzinfo)
    if now - created > timedelta(minutes=DRAFT_MINUTES) or (draft.owner and draft.owner != username):
        repository.delete_draft(draft.id)
        return None, True
    if draft.path != path:
        return None, False  # another page first: it waits for its own
    repository.delete_draft(draft.id)
    return Draft(draft.action, MultiDict([tuple(pair) for pair in json.loads(draft.values)])), True
