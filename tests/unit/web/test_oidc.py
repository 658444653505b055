"""Sign-in through the organisation's identity provider (OIDC_ISSUER): authorization code with PKCE.

The provider is faked with `responses`: its discovery document, token endpoint and key set. Every
registered call must happen (except where a test says it must not).
"""
from __future__ import annotations

import base64
import hashlib
import json
import time
from datetime import datetime, timedelta, timezone
from urllib.parse import parse_qs, urlparse

import jwt
import mongoengine
import pytest
import responses
from cryptography.hazmat.primitives.asymmetric import rsa

from services.web import accounts
from services.web.app import build, create_app
from services.web.config import WebSettings
from services.web.security import SESSION_COOKIE
from services.web.views.auth import OIDC_STATE_COOKIE
from shared.auth import jwks
from shared.clock import ManualClock

ISSUER = "https://idp.test/realms/staff"
CLIENT_ID, CLIENT_SECRET = "homeward-web", "client-secret"
ROLE_CLAIM = "hw_role"  # configured: not the default `homeward_role`
DISCOVERY = {"issuer": ISSUER, "authorization_endpoint": f"{ISSUER}/protocol/openid-connect/auth",
             "token_endpoint": f"{ISSUER}/protocol/openid-connect/token",
             "jwks_uri": f"{ISSUER}/protocol/openid-connect/certs"}
PROVIDER_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
OTHER_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
PROVIDER_KID = jwks([PROVIDER_KEY.public_key()])["keys"][0]["kid"]


@pytest.fixture
def app(tmp_path_factory):
    settings = WebSettings(intake_url="http://intake.test", partners_url="http://partners.test",
                           monitoring_url="http://monitoring.test", mongodb_db="homeward_web_test",
                           jwt_signing_key_file=str(tmp_path_factory.mktemp("webkey") / "key.pem"),
                           oidc_issuer=ISSUER, oidc_client_id=CLIENT_ID, oidc_client_secret=CLIENT_SECRET,
                           oidc_role_claim=ROLE_CLAIM)
    web = build(settings, clock=ManualClock(datetime.now(timezone.utc)))
    yield create_app(web=web)
    mongoengine.get_db("web").client.drop_database("homeward_web_test")


@pytest.fixture
def provider():
    with responses.RequestsMock() as mock:
        mock.get(f"{ISSUER}/.well-known/openid-configuration", json=DISCOVERY)
        yield mock


def id_token(nonce: str, key=PROVIDER_KEY, kid=PROVIDER_KID, **changes) -> str:
    now = int(time.time())
    claims = {"iss": ISSUER, "aud": CLIENT_ID, "sub": "f3c1-77", "iat": now, "exp": now + 300, "nonce": nonce,
              "preferred_username": "p.lead", "name": "Pat Lead", ROLE_CLAIM: "project_lead", **changes}
    return jwt.encode({k: v for k, v in claims.items() if v is not None}, key, algorithm="RS256",
                      headers={"kid": kid})


def start(client, next_url="/countries"):
    """GET /login: the redirect to the provider and the query it carries."""
    response = client.get(f"/login?next={next_url}")
    assert response.status_code == 302
    location = urlparse(response.headers["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == DISCOVERY["authorization_endpoint"]
    return {k: v[0] for k, v in parse_qs(location.query).items()}


def token_endpoint(provider, query, token_changes=None, **id_changes):
    """The provider's token endpoint: checks the code, the PKCE verifier and the client, answers an ID token."""
    seen = {}

    def answer(request):
        form = {k: v[0] for k, v in parse_qs(request.body).items()}
        verifier = form["code_verifier"]
        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
        seen.update(form=form, challenge=challenge, authorization=request.headers.get("Authorization", ""))
        body = {"access_token": "at-1", "token_type": "Bearer", "expires_in": 300,
                "id_token": id_token(query["nonce"], **id_changes), **(token_changes or {})}
        return 200, {"Content-Type": "application/json"}, json.dumps(body)

    provider.add_callback(responses.POST, DISCOVERY["token_endpoint"], callback=answer)
    return seen


class TestOidcSignIn:
    def test_the_code_is_exchanged_with_pkce_the_id_token_verified_and_a_session_made_for_the_claimed_role(
            self, app, provider):
        provider.get(DISCOVERY["jwks_uri"], json=jwks([PROVIDER_KEY.public_key()]))
        client = app.test_client()
        query = start(client)
        assert query["response_type"] == "code" and query["client_id"] == CLIENT_ID
        assert query["redirect_uri"] == "http://localhost/login/callback"
        assert query["code_challenge_method"] == "S256" and len(query["code_challenge"]) == 43
        assert "openid" in query["scope"].split() and query["nonce"] and query["state"]
        assert client.get_cookie(OIDC_STATE_COOKIE, path="/login/callback").value == query["state"]
        seen = token_endpoint(provider, query)

        response = client.get(f"/login/callback?code=code-1&state={query['state']}")

        assert response.status_code == 302 and response.headers["Location"] == "/countries"
        assert seen["form"]["grant_type"] == "authorization_code" and seen["form"]["code"] == "code-1"
        assert seen["form"]["redirect_uri"] == "http://localhost/login/callback"
        assert seen["challenge"] == query["code_challenge"]  # the verifier matches the challenge sent
        assert seen["authorization"] == "Basic " + base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
        cookie = client.get_cookie(SESSION_COOKIE)
        session = accounts.load_session(cookie.value, datetime.now(timezone.utc), idle=timedelta(minutes=30),
                                        longest=timedelta(hours=10))
        assert (session.username, session.role) == ("p.lead", "project_lead")
        assert client.get("/alerts").status_code == 403  # a project lead's session: no consultant pages

    def test_a_callback_with_a_wrong_state_is_refused_without_asking_for_a_token(self, app, provider):
        client = app.test_client()
        start(client)
        response = client.get("/login/callback?code=code-1&state=forged-state")
        assert response.status_code == 403
        assert client.get_cookie(SESSION_COOKIE) is None
        assert [c.request.url for c in provider.calls] == [f"{ISSUER}/.well-known/openid-configuration"]

    def test_a_state_started_in_another_browser_is_refused(self, app, provider):
        query = start(app.test_client())
        other = app.test_client()
        assert other.get(f"/login/callback?code=code-1&state={query['state']}").status_code == 403
        assert other.get_cookie(SESSION_COOKIE) is None

    @pytest.mark.parametrize("id_changes", [
        {"key": OTHER_KEY},                 # not signed by the provider's key
        {"nonce": "another-nonce"},         # not the answer to our request
        {"aud": "someone-else"},            # issued to another client
        {"iss": "https://evil.test"},       # by another issuer
        {ROLE_CLAIM: None},                 # no staff role
        {ROLE_CLAIM: "partner"},            # not a staff role
    ], ids=["key", "nonce", "audience", "issuer", "no-role", "not-staff"])
    def test_an_id_token_that_does_not_check_out_signs_nobody_in(self, app, provider, id_changes):
        provider.get(DISCOVERY["jwks_uri"], json=jwks([PROVIDER_KEY.public_key()]))
        client = app.test_client()
        query = start(client)
        nonce = id_changes.pop("nonce", None)
        if nonce:
            query = {**query, "nonce": nonce}
        token_endpoint(provider, query, **id_changes)
        assert client.get(f"/login/callback?code=code-1&state={query['state']}").status_code == 403
        assert client.get_cookie(SESSION_COOKIE) is None
