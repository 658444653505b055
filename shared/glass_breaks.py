"""Break the glass (issue 20): the seedwork half of need-to-know over one client's routes.

The rule is `shared.access`. A service installs `client_files_guard` as a `before_request` hook (its service has `access.owner`
and `access.log`): a
route about one client (`returnee_id` in its path) is answered to a caller who may read the client, or who gives a
reason in the header `X-Access-Reason` (UTF-8, percent-encoded where it is not ASCII; 1 to 500 characters); the
request is then allowed and the glass break recorded in the service's own `glass_breaks` collection
(`GlassBreakLog`: one entry per person, client, reason and day, counting its requests; listed to administrators
at the service's `GET /v1/access/glass-breaks`). Without a reason: 403, problem type `access-reason-required`.
"""
from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Callable
from urllib.parse import unquote

from flask import g, request
from mongoengine import DateTimeField, Document, IntField, StringField
from ulid import ULID

from shared import access
from shared.auth import Principal
from shared.errors import Forbidden
from shared.http.context import runtime
from shared.store import page

REASON_HEADER = "X-Access-Reason"
REASON_LENGTH = 500

Owner = Callable[[str], "tuple[str | None, str | None] | None"]  # returnee id -> (office, consultant), None: unknown


class ReasonRequired(Forbidden):
    problem = "access-reason-required"


class GlassBreakFields(Document):
    """A file opened outside the opener's need-to-know with a reason: one per person, client, reason and day
    (`key`, hashed), counting its requests. Each service declares its own subclass with its `db_alias`."""
    id = StringField(primary_key=True)  # a ULID: the first request's moment
    key, who, role = StringField(required=True, unique=True), StringField(required=True), StringField(required=True)
    at, last_at = DateTimeField(required=True), DateTimeField(required=True)
    returnee_id, reason, path = StringField(required=True), StringField(required=True), StringField(required=True)
    requests = IntField(default=1)
    meta = {"abstract": True}

    INDEXES = [("returnee_id", "-id"), ("who", "-id"), "last_at"]


class GlassBreakLog:
    """The only code that queries a service's glass breaks."""

    def __init__(self, document: type[GlassBreakFields]):
        self.document = document

    def record(self, who: str, role: str, returnee_id: str, reason: str, path: str, at: datetime) -> None:
        """One more request of a glass break: the day's entry of this person, client and reason, made once."""
        key = hashlib.sha256("\x1f".join((who, returnee_id, reason, at.date().isoformat())).encode()).hexdigest()
        self.document._get_collection().update_one(
            {"key": key}, {"$setOnInsert": {"_id": str(ULID.from_datetime(at)), "at": at, "who": who, "role": role,
                                            "returnee_id": returnee_id, "reason": reason, "path": path},
                           "$set": {"last_at": at}, "$inc": {"requests": 1}}, upsert=True)

    def page(self, limit: int, cursor: str | None, returnee_id: str | None = None, who: str | None = None) -> dict:
        """The glass breaks, newest first (of one client or one person when asked)."""
        filters = {name: value for name, value in (("returnee_id", returnee_id), ("who", who)) if value}
        return page(self.document.objects(**filters), limit, cursor, _row, newest_first=True)

    def prune(self, before: datetime) -> int:
        """Remove the entries older than the audit log keeps its own (the periodic job)."""
        return self.document.objects(last_at__lt=before).delete()


def _row(doc: dict) -> dict:
    return {"id": doc["_id"], "at": doc["at"], "last_at": doc["last_at"], "who": doc["who"], "role": doc["role"],
            "returnee_id": doc["returnee_id"], "reason": doc["reason"], "path": doc["path"],
            "requests": doc.get("requests", 1)}


def access_reason() -> str | None:
    """The reason the request gives for opening a file outside the caller's need-to-know (None: none given)."""
    raw = request.headers.get(REASON_HEADER)
    if raw is None:
        return None
    reason = " ".join(unquote(raw, errors="replace").split())
    return reason or None


def narrowed(who: Principal | None) -> bool:
    """Whether the rule applies to `who`: staff who do not read every client (partners have their own: their cases)."""
    return who is not None and not who.is_partner and not access.sees_all(who)


def check_file(who: Principal, returnee_id: str, owner: Owner, log: GlassBreakLog, now: datetime) -> None:
    """Allow `who` to open `returnee_id`'s file, or refuse with 403 unless a reason is given (then recorded)."""
    found = owner(returnee_id)
    if found is None or access.may_read(who, *found):
        return  # an unknown client answers 404 in its view
    reason = access_reason()
    if reason is None or len(reason) > REASON_LENGTH:
        raise ReasonRequired("This client is not in your caseload: say why you open the file (X-Access-Reason).",
                             errors={REASON_HEADER: "Give the reason for opening this file (at most 500 characters)."})
    log.record(who.sub, who.role, returnee_id, reason, request.path, now)


def client_files_guard() -> None:
    """The `before_request` hook over every route with `returnee_id` in its path; the service (the runtime's)
    has `access` (with `owner(returnee_id)` and `log`, a GlassBreakLog) and `clock`."""
    who = g.get("principal")
    returnee_id = (request.view_args or {}).get("returnee_id")
    if returnee_id is None or not narrowed(who):
        return
    service = runtime().extras["service"]
    check_file(who, returnee_id, service.access.owner, service.access.log, service.clock.now())
