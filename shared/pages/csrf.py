"""CSRF protection for pages: every state-changing request carries a token the attacker's site cannot read.

After sign-in the token belongs to the server-side session; before it (the sign-in form) it is a
double-submit cookie. Forms send it as the field `csrf_token`, scripts (a JSON `fetch`) as the header
`X-CSRF-Token`. The cookie is HttpOnly: a script reads the token from the page (a form field or
`<meta name="csrf-token">`), never from the cookie.
"""
from __future__ import annotations

import hmac
import secrets

from flask import g, request

FIELD = "csrf_token"
HEADER = "X-CSRF-Token"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def new_token() -> str:
    return secrets.token_urlsafe(32)


def sent_token() -> str:
    """The token the request carries: the form field, else the header."""
    return request.form.get(FIELD, "") if request.form else request.headers.get(HEADER, "")


def matches(expected: str | None, sent: str | None) -> bool:
    return bool(expected) and bool(sent) and hmac.compare_digest(str(expected), str(sent))


class Csrf:
    """One app's CSRF rules: `cookie` names the pre-sign-in cookie; `session_token()` answers the signed-in
    session's token (None before sign-in)."""

    def __init__(self, cookie: str, session_token, exempt: frozenset[str] = frozenset(), secure=lambda: True):
        self.cookie, self.session_token, self.exempt, self.secure = cookie, session_token, exempt, secure

    def token(self) -> str:
        """The token a page's forms carry: the session's, else the browser's cookie (made when missing)."""
        mine = self.session_token()
        if mine:
            return mine
        if "new_csrf" not in g:
            g.new_csrf = request.cookies.get(self.cookie) or new_token()
        return g.new_csrf

    def expected(self) -> str | None:
        return self.session_token() or request.cookies.get(self.cookie)

    def needed(self) -> bool:
        return request.method not in SAFE_METHODS and request.endpoint not in self.exempt

    def valid(self) -> bool:
        """Whether this request may go on (a safe method, an exempt endpoint, or the right token)."""
        return not self.needed() or matches(self.expected(), sent_token())

    def set_cookie(self, response):
        """after_request: the pre-sign-in cookie, when this response made a new token."""
        if "new_csrf" in g and request.cookies.get(self.cookie) != g.new_csrf:
            response.set_cookie(self.cookie, g.new_csrf, httponly=True, samesite="Lax", secure=self.secure())
        return response
