"""Staff sign-in through the organisation's identity provider: OpenID Connect authorization code + PKCE.

The provider's discovery document (`<OIDC_ISSUER>/.well-known/openid-configuration`) names its
endpoints and key set. The ID token from the token endpoint is verified against that key set
(signature, issuer, audience = our client id, expiry, the nonce we sent); it names the person
(`preferred_username`, else `email`, else `sub`) and their Homeward role (the claim OIDC_ROLE_CLAIM,
default `homeward_role`). Anyone without a staff role is refused.
"""
from __future__ import annotations

import jwt
import requests
from authlib.common.security import generate_token
from authlib.integrations.requests_client import OAuth2Session
from flask import url_for

from services.web import accounts
from services.web.security import web
from shared.auth import STAFF_ROLES

ID_TOKEN_ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "ES256", "ES384"]


class OidcRefused(Exception):
    """The identity provider's answer does not sign anybody in (the reason is for the log)."""


class OidcClient:
    def __init__(self, settings, http=requests):
        self.settings = settings
        self._http = http
        self._metadata = None
        self._keys: dict[str, jwt.PyJWK] = {}

    def metadata(self) -> dict:
        if self._metadata is None:
            response = self._http.get(f"{self.settings.oidc_issuer}/.well-known/openid-configuration", timeout=10)
            response.raise_for_status()
            self._metadata = response.json()
        return self._metadata

    def _session(self, state: str | None = None) -> OAuth2Session:
        secret = self.settings.oidc_client_secret or None
        return OAuth2Session(self.settings.oidc_client_id, secret, scope="openid profile email", state=state,
                             code_challenge_method="S256",
                             token_endpoint_auth_method="client_secret_basic" if secret else "none",
                             redirect_uri=url_for("auth.oidc_callback", _external=True))

    def authorization_url(self, next_url: str) -> tuple[str, str]:
        """(where to send the browser, the state); the state, PKCE verifier and nonce wait in the store."""
        verifier, nonce = generate_token(48), generate_token(20)
        uri, state = self._session().create_authorization_url(self.metadata()["authorization_endpoint"],
                                                              code_verifier=verifier, nonce=nonce)
        accounts.begin_external_login(state, verifier, nonce, next_url, web().clock.now())
        return uri, state

    def finish(self, args, browser_state: str | None) -> dict | None:
        """Exchange the code (with the verifier) and verify the ID token; None when refused."""
        state = args.get("state", "")
        if not state or state != browser_state:  # the state must come back to the browser that asked
            return None
        pending = accounts.finish_external_login(state, web().clock.now())
        if pending is None or "code" not in args:
            return None
        token = self._session(state=pending.state).fetch_token(
            self.metadata()["token_endpoint"], code=args["code"], code_verifier=pending.code_verifier)
        try:
            claims = self.verify_id_token(token.get("id_token", ""), pending.nonce)
        except (OidcRefused, jwt.PyJWTError):
            return None
        role = claims.get(self.settings.oidc_role_claim)
        username = claims.get("preferred_username") or claims.get("email") or claims.get("sub")
        if role not in STAFF_ROLES or not username:
            return None
        return {"username": str(username), "role": role, "name": claims.get("name", ""), "next": pending.next_url}

    def verify_id_token(self, id_token: str, nonce: str) -> dict:
        """The ID token's claims once its signature (the provider's key set), issuer, audience and nonce check out."""
        kid = jwt.get_unverified_header(id_token).get("kid", "")
        key = self._key(kid)
        claims = jwt.decode(id_token, key=key, algorithms=ID_TOKEN_ALGORITHMS, audience=self.settings.oidc_client_id,
                            issuer=self.metadata().get("issuer", self.settings.oidc_issuer), leeway=60,
                            options={"require": ["exp", "iat", "iss", "aud", "sub"]})
        if claims.get("nonce") != nonce:
            raise OidcRefused("nonce")
        return claims

    def _key(self, kid: str):
        if kid not in self._keys:  # unknown: the provider may have rotated its keys, fetch them again
            response = self._http.get(self.metadata()["jwks_uri"], timeout=10)
            response.raise_for_status()
            found = jwt.PyJWKSet.from_dict(response.json())
            self._keys = {k.key_id or "": k for k in found.keys}
        if kid not in self._keys:
            raise OidcRefused(f"no key {kid!r} in the provider's key set")
        return self._keys[kid].key
