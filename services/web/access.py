"""Need-to-know in the staff app (issue 20): what an administrator sets on a staff account, the claims the APIs'
tokens carry from it, and the reasons a session gave to open a file outside its caseload ("break the glass").

The rule itself is `shared.access`, applied by the APIs: a consultant reads the clients of their `offices`, the
clients they follow, and those followed by their `caseload` (the members of their team and the colleagues they cover
for). The claims are read when a token is signed, so a change reaches the APIs with the person's next token (at most
`WEB_API_TOKEN_TTL_SECONDS`; at once in this process, whose tokens are forgotten).
"""
from __future__ import annotations

from urllib.parse import quote

from flask import g

from services.web import repository
from services.web.tokens import staff_subject

REASON_HEADER = "X-Access-Reason"  # the APIs' (shared/glass_breaks.py)
REASON_LENGTH = 500
TEAM_LENGTH = 64


class AccessRefused(ValueError):
    def __init__(self, field: str):
        super().__init__(field)
        self.field = field


def claims(username: str) -> dict:
    """The need-to-know claims of a person's tokens: `offices`, and `caseload` (team members and covered-for
    colleagues, as the APIs record who follows a client: `web:<username>`)."""
    account = repository.find_account(username)
    if account is None:
        return {"offices": (), "caseload": ()}
    colleagues = set(account.covers_for or ()) | set(repository.team_members(account.team or ""))
    colleagues.discard(username)
    return {"offices": tuple(sorted(account.offices or ())),
            "caseload": tuple(sorted(staff_subject(name) for name in colleagues))}


def set_access(username: str, offices: list[str], team: str, covers_for: list[str], known_offices: set[str]) -> None:
    """An administrator's choice of a person's offices, team and whom they cover for; AccessRefused names the field."""
    if set(offices) - known_offices:
        raise AccessRefused("offices")
    team = " ".join(team.split()).lower()
    if len(team) > TEAM_LENGTH:
        raise AccessRefused("team")
    colleagues = sorted(set(covers_for) - {username})
    if any(repository.find_account(name) is None for name in colleagues):
        raise AccessRefused("covers_for")
    repository.update_account(username, offices=sorted(set(offices)), team=team, covers_for=colleagues)


def keep_reason(returnee_id: str, reason: str) -> str | None:
    """Keep, for this session, the reason given to open a client's file; the reason as kept (None: not one)."""
    reason = " ".join((reason or "").split())
    if not reason or len(reason) > REASON_LENGTH:
        return None
    repository.keep_access_reason(g.user.id, returnee_id, reason)
    return reason


def reason_headers(path: str) -> dict:
    """The header that carries the session's reason to intake (`/v1/returnees/<id>...`) and monitoring
    (`/v1/cases/<id>...`), on a call about a client it was given for."""
    user = g.get("user")
    reasons = (getattr(user, "access_reasons", None) or {}) if user is not None else {}
    parts = path.split("/")
    if len(parts) > 3 and parts[1:3] in (["v1", "returnees"], ["v1", "cases"]) and parts[3] in reasons:
        return {REASON_HEADER: quote(reasons[parts[3]], safe=" ")}
    return {}
