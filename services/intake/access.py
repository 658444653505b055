"""Need-to-know over intake's client files (issue 20), with "break the glass".

The rule is `shared.access`: a consultant reads the clients of their offices, those they follow and those their
team and the colleagues they cover for follow (the staff token's claims); administrators read every client,
project leads every client pseudonymously. Here it is applied to every route about one client
(`/v1/returnees/<returnee_id>...`: the file, its notes, its progress report, its export, its commands) by one
`before_request` hook (`shared.glass_breaks.client_files_guard`), and to the list and search by `visible_to`.

A consultant opening another client's file gives a reason in the header `X-Access-Reason` (UTF-8,
percent-encoded where it is not ASCII; 1 to 500 characters): the request is then allowed, and the glass break is
recorded (who, whom, why, when: `GET /v1/access/glass-breaks`, administrators) as well as in the audit log as
every request. Without a reason: 403, problem type `access-reason-required`.
"""
from __future__ import annotations

from shared import access
from shared.auth import Principal
from shared.glass_breaks import REASON_HEADER, REASON_LENGTH, ReasonRequired, client_files_guard

__all__ = ["REASON_HEADER", "REASON_LENGTH", "ReasonRequired", "guard_client_files", "visible_to"]


def visible_to(who: Principal) -> dict | None:
    """The raw filter of the returnees `who` reads without breaking the glass (None: every one), for any list of
    intake that names clients by their returnee's fields `office` and `consultant` (the returnees, tasks)."""
    return access.visible_filter(who, "office", "consultant")


guard_client_files = client_files_guard
