"""Staff sign-in through the organisation's identity provider: OpenID Connect authorization code + PKCE.

The provider's userinfo answer names the person (`preferred_username` or `email`) and their Homeward
role (the claim OIDC_ROLE_CLAIM, default `homeward_role`); anyone without a staff role is refused.
"""
from __future__ import annotations

import requests
from authlib.common.security import generate_token
from authlib.integrations.requests_client import OAuth2Session
from flask import url_for

from services.web import accounts
from services.web.security import web
from shared.auth import STAFF_ROLES


class OidcClient:
    def __init__(self, settings, http=requests):
        self.settings = settings
        self._http = http
        self._metadata = None

    def metadata(self) -> dict:
        if self._metadata is None:
            response = self._http.get(f"{self.settings.oidc_issuer}/.well-known/openid-configuration", timeout=10)
            response.raise_for_status()
            self._metadata = response.json()
        return self._metadata

    def _session(self, state: str | None = None) -> OAuth2Session:
        return OAuth2Session(self.settings.oidc_client_id, self.settings.oidc_client_secret or None,
                             scope="openid profile email", state=state, code_challenge_method="S256",
                             redirect_uri=url_for("auth.oidc_callback", _external=True))

    def authorization_url(self, next_url: str) -> str:
        """Where to send the browser; the state and PKCE verifier wait in the store for the callback."""
        verifier, nonce = generate_token(48), generate_token(20)
        uri, state = self._session().create_authorization_url(self.metadata()["authorization_endpoint"],
                                                              code_verifier=verifier, nonce=nonce)
        accounts.begin_external_login(state, verifier, nonce, next_url, web().clock.now())
        return uri

    def finish(self, args) -> dict | None:
        """Exchange the code (with the verifier) and read who signed in; None when refused."""
        pending = accounts.finish_external_login(args.get("state", ""), web().clock.now())
        if pending is None or "code" not in args:
            return None
        client = self._session(state=pending.state)
        client.fetch_token(self.metadata()["token_endpoint"], code=args["code"], code_verifier=pending.code_verifier)
        info = client.get(self.metadata()["userinfo_endpoint"], timeout=10).json()
        role = info.get(self.settings.oidc_role_claim)
        username = info.get("preferred_username") or info.get("email") or info.get("sub")
        if role not in STAFF_ROLES or not username:
            return None
        return {"username": str(username), "role": role, "name": info.get("name", ""), "next": pending.next_url}
