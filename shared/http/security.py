"""Who is calling: bearer tokens to a Principal, roles per endpoint, within the per-client budget."""
from __future__ import annotations

import functools

from flask import g, request

from shared.auth import InvalidToken
from shared.http.context import runtime
from shared.http.problems import Problem
from shared.http.ratelimit import too_many


def require(*roles: str):
    """Authenticate the bearer token and allow only `roles` (401 without a valid token, 403 otherwise)."""

    def decorate(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            header = request.headers.get("Authorization", "")
            scheme, _, token = header.partition(" ")
            if scheme.lower() != "bearer" or not token.strip():
                raise Problem(401, "A bearer token is required.", headers={"WWW-Authenticate": "Bearer"})
            try:
                g.principal = runtime().verifier.verify(token.strip())
            except InvalidToken as exc:
                raise Problem(401, str(exc), headers={"WWW-Authenticate": 'Bearer error="invalid_token"'})
            if g.principal.role not in roles:
                raise Problem(403, f"The role {g.principal.role} may not use this endpoint.")
            limiter = runtime().limiter
            wait = limiter.retry_after(g.principal.org or g.principal.sub) if limiter else None
            if wait:
                raise too_many(wait)
            return view(*args, **kwargs)

        wrapper._homeward_roles = roles  # read by tests that check every route is protected
        return wrapper

    return decorate


def audit_resource(resource_id: str) -> None:
    """Name the case the current request is about, for the audit log (defaults to the URL's id)."""
    g.audit_resource = resource_id
