"""Who is calling: bearer tokens to a Principal, roles per endpoint, within the per-client budget.

Authentication runs before anything looks at the request's input: `authenticate_first` (a
`before_request` hook of every service) finds the roles `require` declared on the endpoint and
checks the token before flask-smorest parses the body or the query, so an unauthenticated caller
learns nothing about a route's fields.
"""
from __future__ import annotations

import copy
import functools

from flask import current_app, g, request

from shared.auth import InvalidToken, Principal
from shared.http.context import runtime
from shared.http.problems import Problem
from shared.http.ratelimit import too_many
from shared.texts import Text


def authenticate(roles: tuple[str, ...]) -> Principal:
    """The bearer token's principal if its role is one of `roles` (401 / 403 / 429 otherwise)."""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Problem(401, "A bearer token is required.", headers={"WWW-Authenticate": "Bearer"})
    try:
        principal = runtime().verifier.verify(token.strip())
    except InvalidToken as exc:
        raise Problem(401, exc.args[0], headers={"WWW-Authenticate": 'Bearer error="invalid_token"'})
    if principal.role not in roles:
        raise Problem(403, Text("The role {role} may not use this endpoint.", role=principal.role))
    limiter = runtime().limiter
    wait = limiter.retry_after(principal.org or principal.sub) if limiter else None
    if wait:
        raise too_many(wait)
    g.principal = principal
    return principal


def require(*roles: str):
    """Authenticate the bearer token and allow only `roles` (401 without a valid token, 403 otherwise)."""

    def decorate(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            if g.get("principal") is None:  # not yet done by authenticate_first
                authenticate(roles)
            return view(*args, **kwargs)

        wrapper._homeward_roles = roles  # read by authenticate_first and by the route tests
        _document_security(wrapper)
        return wrapper

    return decorate


def _document_security(view) -> None:
    """Tell the OpenAPI document what `require` does: the bearer scheme, 401 and 403 answers."""
    apidoc = copy.deepcopy(getattr(view, "_apidoc", {}))
    manual = apidoc.setdefault("manual_doc", {})
    manual.setdefault("security", [{"bearer": []}])
    responses = manual.setdefault("responses", {})
    responses.setdefault(401, "UNAUTHORIZED")
    responses.setdefault(403, "FORBIDDEN")
    responses.setdefault(429, "TOO_MANY_REQUESTS")
    view._apidoc = apidoc


def roles_of(view, method: str) -> tuple[str, ...] | None:
    """The roles `require` declared on a view function or on a MethodView's method."""
    view_class = getattr(view, "view_class", None)
    if view_class is not None:
        view = getattr(view_class, method.lower(), None)
    return getattr(view, "_homeward_roles", None)


def authenticate_first() -> None:
    """before_request: a protected endpoint checks its token before its input is parsed."""
    view = current_app.view_functions.get(request.endpoint) if request.endpoint else None
    roles = roles_of(view, request.method) if view is not None else None
    if roles:
        authenticate(roles)


def audit_resource(resource_id: str | None, returnee_id: str | None = None) -> None:
    """Name the case the current request is about, for the audit log (defaults to the URL's id), and the
    returnee it concerns when the id is not a returnee's (a handover, an alert): `GET /v1/audit?returnee_id=`."""
    if resource_id is not None:
        g.audit_resource = resource_id
    if returnee_id is not None:
        g.audit_returnee = returnee_id
