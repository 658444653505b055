"""The token endpoint's grants for people (issue 18): `password` (RFC 6749 4.3) and `refresh_token`
(RFC 6749 6), and the error form every grant answers in.

Guessing is slowed per (user name, source address) with the token endpoint's throttle
(`shared.throttle`, without the limit over all addresses): after five wrong passwords
from one address each attempt there waits twice as long; the right password from any other address
is never refused, so nobody can lock a person out. A wrong password, an unknown user name and an
inactive account get the same 400 `invalid_grant`, and an unknown name costs a password check too.
"""
from __future__ import annotations

import json
import re

from flask import Response, request

from services.partners.people import InvalidGrant
from shared.http import problem_response, runtime

TOKEN_ATTEMPTS_PER_MINUTE = 30  # per client id (or user name) and source address, right or wrong
# RFC 6749 appendix A: VSCHARs (printable ASCII); anything else, e.g. a JSON object such as
# {"$in": [...]}, a list or a number, is a malformed request, never a lookup
LONGEST = {"client_id": 128, "client_secret": 512, "username": 64, "refresh_token": 128}
VSCHARS = re.compile(r"[\x20-\x7e]*")
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


def oauth_error(status: int, error: str, detail: str) -> Response:
    """RFC 6749 5.2 error members (`error`, `error_description`) inside the usual problem+json."""
    response = problem_response(status, detail, title=error)
    response.set_data(json.dumps({**response.get_json(), "error": error, "error_description": detail}))
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Basic realm="homeward"'
    return response


def slow_down(wait: int) -> Response:
    response = oauth_error(429, "slow_down", f"Too many token requests; retry in {wait} s.")
    response.headers["Retry-After"] = str(wait)
    return response


def well_formed(value, longest: int) -> bool:
    """Absent, or a plain string of at most `longest` printable ASCII characters."""
    return value is None or (type(value) is str and len(value) <= longest  # noqa: E721 - no str subclasses
                             and VSCHARS.fullmatch(value) is not None)


def _text(value, longest: int) -> bool:
    """A password: absent, or a plain string of at most `longest` characters without control characters."""
    return value is None or (type(value) is str and len(value) <= longest  # noqa: E721 - no str subclasses
                             and value.isprintable())


def source_address() -> str:
    return request.remote_addr or "unknown"  # the peer, or the client behind TRUSTED_PROXY_HOPS proxies


def password_grant(service, form) -> Response | tuple:
    """A person's user name and password for an access token and a refresh token."""
    username, password = form.get("username"), form.get("password")
    malformed = [name for name, ok in (("username", well_formed(username, LONGEST["username"])),
                                       ("password", _text(password, 256))) if not ok]
    if malformed:
        return oauth_error(400, "invalid_request", f"{' and '.join(malformed)} must be text (user name: printable ASCII).")
    if not username or not password:
        return oauth_error(400, "invalid_request", "username and password are required.")
    username, source = username.strip().lower(), source_address()
    throttle = service.people_throttle
    wait = (runtime().limiter.retry_after(f"signin:{username}:{source}", TOKEN_ATTEMPTS_PER_MINUTE)
            or throttle.wait(username, source))
    if wait:
        return slow_down(wait)
    if service.issuer is None:
        return oauth_error(503, "temporarily_unavailable", "This process has no signing key.")
    try:
        tokens = service.people.sign_in(username, password)
    except InvalidGrant as refused:
        throttle.failed(username, source)
        return oauth_error(400, "invalid_grant", refused.detail)
    throttle.succeeded(username, source)
    return tokens, 200, NO_STORE


def refresh_grant(service, form) -> Response | tuple:
    """A refresh token for a new access token and a new refresh token (the old one is spent).

    Not throttled per address: a refresh token is 256 random bits (nothing to guess), and a front end
    refreshing for many people comes from one address."""
    token = form.get("refresh_token")
    if not well_formed(token, LONGEST["refresh_token"]):
        return oauth_error(400, "invalid_request", "refresh_token must be a string of printable ASCII characters.")
    if not token:
        return oauth_error(400, "invalid_request", "refresh_token is required.")
    if service.issuer is None:
        return oauth_error(503, "temporarily_unavailable", "This process has no signing key.")
    try:
        tokens = service.people.refresh(token)
    except InvalidGrant as refused:
        return oauth_error(400, "invalid_grant", refused.detail)
    return tokens, 200, NO_STORE
