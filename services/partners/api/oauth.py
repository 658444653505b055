"""OAuth2: the token endpoint (client credentials, RFC 6749 4.4, for organisations' systems; password
and refresh token, RFC 6749 4.3 and 6, for their people: `token_grants`), the JWKS document and the
server's metadata (RFC 8414), from which standard OAuth clients configure themselves."""
from __future__ import annotations

from flask import request
from flask_smorest import Blueprint

from services.partners import handlers
from services.partners.api.common import _deps
from services.partners.api.token_grants import (LONGEST, NO_STORE, TOKEN_ATTEMPTS_PER_MINUTE, oauth_error,
                                                password_grant, refresh_grant, slow_down, source_address, well_formed)
from services.partners.bootstrap import PartnersService
from services.partners.oauth_schemas import JwksSchema, OAuthErrorSchema, TokenSchema
from shared.auth import jwks
from shared.http import PROBLEM, runtime

__all__ = ["TOKEN_ATTEMPTS_PER_MINUTE", "oauth_blp"]
GRANTS = ("client_credentials", "password", "refresh_token")

oauth_blp = Blueprint("oauth", __name__, description="OAuth2 tokens (RFC 6749: client credentials, password, "
                                                     "refresh token) and keys")
TOKEN_FORM = {"type": "object", "required": ["grant_type"], "properties": {
    "grant_type": {"type": "string", "enum": list(GRANTS)},
    "client_id": {"type": "string", "maxLength": 128, "description": "client_credentials: or the HTTP Basic user name"},
    "client_secret": {"type": "string", "maxLength": 512,
                      "description": "client_credentials: or the HTTP Basic password"},
    "username": {"type": "string", "maxLength": 64, "description": "password: a partner user's name"},
    "password": {"type": "string", "maxLength": 256, "description": "password: the partner user's password"},
    "refresh_token": {"type": "string", "maxLength": 128, "description": "refresh_token: the last one answered"}}}


@oauth_blp.route("/v1/oauth/token", methods=["POST"])
@oauth_blp.doc(security=[], requestBody={"required": True, "description": "a JSON object with these fields is accepted too",
                                         "content": {"application/x-www-form-urlencoded": {"schema": TOKEN_FORM}}})
@oauth_blp.response(200, TokenSchema)
@oauth_blp.alt_response(400, schema=OAuthErrorSchema, content_type=PROBLEM,
                        description="invalid_request, invalid_grant or unsupported_grant_type (RFC 6749 5.2)")
@oauth_blp.alt_response(401, schema=OAuthErrorSchema, content_type=PROBLEM, description="invalid_client",
                        headers={"WWW-Authenticate": {"schema": {"type": "string"}}})
@oauth_blp.alt_response(429, schema=OAuthErrorSchema, content_type=PROBLEM, description="slow_down",
                        headers={"Retry-After": {"schema": {"type": "integer"}}})
@oauth_blp.alt_response(503, schema=OAuthErrorSchema, content_type=PROBLEM, description="temporarily_unavailable")
def token():
    """Exchange client credentials (form fields or HTTP Basic), a partner user's name and password, or a refresh
    token, for a JWT of at most 15 minutes (and, for a person, a new refresh token)."""
    # RFC 6749 asks for a form; a JSON object with the same fields is accepted too, being tolerant
    body = request.get_json(silent=True) if request.is_json else None
    form = body if isinstance(body, dict) else request.form
    grant = form.get("grant_type")
    if not grant:
        return oauth_error(400, "invalid_request", "grant_type is required (form-encoded body).")
    if not isinstance(grant, str):
        return oauth_error(400, "invalid_request", "grant_type must be a string.")
    if grant not in GRANTS:
        return oauth_error(400, "unsupported_grant_type", f"The grants are {', '.join(GRANTS)}.")
    if grant == "password":
        return password_grant(_service(), form)
    if grant == "refresh_token":
        return refresh_grant(_service(), form)
    client_id, client_secret = form.get("client_id"), form.get("client_secret")
    if request.authorization and request.authorization.type == "basic":
        client_id, client_secret = request.authorization.username, request.authorization.password
    malformed = [name for name, value in (("client_id", client_id), ("client_secret", client_secret))
                 if not well_formed(value, LONGEST[name])]
    if malformed:
        return oauth_error(400, "invalid_request",
                           f"{' and '.join(malformed)} must be a string of printable ASCII characters.")
    if not client_id or not client_secret:
        return oauth_error(401, "invalid_client", "client_id and client_secret are required.")
    source = source_address()
    throttle = _service().token_throttle
    wait = (runtime().limiter.retry_after(f"token:{client_id}:{source}", TOKEN_ATTEMPTS_PER_MINUTE)
            or throttle.wait(client_id, source))
    if wait:
        return slow_down(wait)
    if _deps().issuer is None:
        return oauth_error(503, "temporarily_unavailable", "This process has no signing key.")
    try:
        result = handlers.exchange_token(_deps(), client_id, client_secret)
    except handlers.InvalidClient as refused:
        throttle.failed(client_id, source)
        return oauth_error(401, "invalid_client", refused.detail)
    throttle.succeeded(client_id, source)
    response = TokenSchema().dump(result)
    return response, 200, NO_STORE


def _service() -> PartnersService:
    return runtime().extras["service"]


@oauth_blp.route("/.well-known/oauth-authorization-server")
@oauth_blp.doc(security=[], responses={"200": {"description": "Authorization server metadata (RFC 8414)",
                                               "content": {"application/json": {"schema": {"type": "object"}}}}})
def authorization_server_metadata():
    """RFC 8414 metadata: the issuer, the token endpoint, the key set, what grants and client authentication it takes."""
    # PARTNERS_PUBLIC_URL when a proxy changes the scheme or host; otherwise the URL this request came to
    issuer = _service().public_url or request.url_root.rstrip("/")
    return {
        "issuer": issuer,
        "token_endpoint": f"{issuer}/v1/oauth/token",
        "jwks_uri": f"{issuer}/.well-known/jwks.json",
        "grant_types_supported": list(GRANTS),
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        # REQUIRED by RFC 8414 and non-empty for validating clients; there is no authorization endpoint,
        # so the one honest entry is "none" (nothing is ever returned from one)
        "response_types_supported": ["none"],
        "scopes_supported": ["handovers", "checkins"],
        "service_documentation": f"{issuer}/docs",
    }, 200, {"Cache-Control": "public, max-age=300"}


@oauth_blp.route("/.well-known/jwks.json")
@oauth_blp.doc(security=[])
@oauth_blp.alt_response(200, schema=JwksSchema, success=True)
def jwks_document():
    """The public keys that verify tokens issued here."""
    return jwks(_service().public_keys), 200, {"Cache-Control": "public, max-age=300"}
