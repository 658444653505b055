"""Who sees whom: the need-to-know rule over clients' files, from the staff token alone (issue 20).

A consultant reads the clients of their own offices (the token's `offices`), the clients they follow
(`consultant` is their `sub`) and the clients followed by the colleagues in their caseload (`caseload`:
their team and those they cover for). The web app puts both claims in the tokens it signs from the staff
account an administrator set (services/web/access.py). Administrators read every client; project leads
read every client pseudonymously (their views hide names and free text), as Homeward services do.
Opening any other client's file is "breaking the glass": allowed with a reason, audited as such
(services/intake/access.py). The rule is the same wherever a list or a page picks clients: call
`visible_filter` with the document's field names.
"""
from __future__ import annotations

from shared.auth import Principal

SEE_ALL = ("admin", "project_lead", "service")


def sees_all(who: Principal) -> bool:
    """True for the roles the rule does not narrow (administrators, project leads, the services)."""
    return who.role in SEE_ALL


def followers(who: Principal) -> tuple[str, ...]:
    """The staff subjects whose followed clients `who` reads: themselves, their team, whom they cover for."""
    return tuple(sorted({who.sub, *who.caseload}))


def may_read(who: Principal, office: str | None, consultant: str | None) -> bool:
    """Whether `who` reads, without breaking the glass, the file of a client of `office` followed by `consultant`."""
    if sees_all(who):
        return True
    return bool(office and office in who.offices) or bool(consultant and consultant in followers(who))


def visible_filter(who: Principal, office: str = "office", consultant: str = "consultant") -> dict | None:
    """A raw MongoDB filter of the documents whose client `who` may read (`office` and `consultant` name the
    document's fields), or None when `who` reads every client. Both fields need an index of their own."""
    if sees_all(who):
        return None
    clauses: list[dict] = [{consultant: {"$in": list(followers(who))}}]
    if who.offices:
        clauses.append({office: {"$in": list(who.offices)}})
    return {"$or": clauses}


def narrowed(query: dict, who: Principal, office: str = "office", consultant: str = "consultant") -> dict:
    """`query` with `visible_filter` added (beside any `$or` it holds already, under `$and`)."""
    visible = visible_filter(who, office, consultant)
    if visible is None:
        return query
    return {**query, "$and": [*query.get("$and", []), visible]}
