"""Need-to-know over intake's client files (issue 20), with "break the glass".

The rule is `shared.access`: a consultant reads the clients of their offices, those they follow and those their
team and the colleagues they cover for follow (the staff token's claims); administrators read every client,
project leads every client pseudonymously. Here it is applied to every route about one client
(`/v1/returnees/<returnee_id>...`: the file, its notes, its progress report, its export, its commands) by one
`before_request` hook, and to the list and search by `visible_to`.

A consultant opening another client's file gives a reason in the header `X-Access-Reason` (UTF-8,
percent-encoded where it is not ASCII; 1 to 500 characters): the request is then allowed, and the glass break is
recorded (who, whom, why, when: `GET /v1/access/glass-breaks`, administrators) as well as in the audit log as
every request. Without a reason: 403, problem type `access-reason-required`.
"""
from __future__ import annotations

from urllib.parse import unquote

from flask import g, request

from shared import access
from shared.auth import Principal
from shared.errors import Forbidden
from shared.http import runtime

REASON_HEADER = "X-Access-Reason"
REASON_LENGTH = 500


class ReasonRequired(Forbidden):
    problem = "access-reason-required"


def visible_to(who: Principal) -> dict | None:
    """The raw filter of the returnees `who` reads without breaking the glass (None: every one), for any list of
    intake that names clients by their returnee's fields `office` and `consultant` (the returnees, tasks)."""
    return access.visible_filter(who, "office", "consultant")


def access_reason() -> str | None:
    """The reason the request gives for opening a file outside the caller's need-to-know (None: none given)."""
    raw = request.headers.get(REASON_HEADER)
    if raw is None:
        return None
    reason = " ".join(unquote(raw, errors="replace").split())
    return reason or None


def guard_client_files() -> None:
    """The `before_request` hook: a route about one client (`returnee_id` in its path) is answered to a caller who
    may read the client, or who gives a reason (then recorded as a glass break); 403 otherwise."""
    who = g.get("principal")
    returnee_id = (request.view_args or {}).get("returnee_id")
    if who is None or returnee_id is None or access.sees_all(who):
        return
    service = runtime().extras["service"]
    owner = service.access.owner(returnee_id)
    if owner is None or access.may_read(who, *owner):
        return  # an unknown client answers 404 in its view, as before
    reason = access_reason()
    if reason is None or len(reason) > REASON_LENGTH:
        raise ReasonRequired("This client is not in your caseload: say why you open the file (X-Access-Reason).",
                             errors={REASON_HEADER: "Give the reason for opening this file (at most 500 characters)."})
    service.access.record(who.sub, who.role, returnee_id, reason, request.path, service.clock.now())
