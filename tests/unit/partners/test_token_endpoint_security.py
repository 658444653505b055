"""The token endpoint under attack and in standard use: guessing secrets is slow and eventually refused,
a stranger cannot lock the real partner out, and an OAuth client configures itself from RFC 8414 metadata."""
from __future__ import annotations

import re

import pytest
import responses

from services.partners.api import create_app
from services.partners.bootstrap import PartnersService
from shared import throttle

STRANGER, PARTNER_SITE, OTHER_SITE = "203.0.113.7", "198.51.100.20", "198.51.100.99"


@pytest.fixture
def partners(build, auth):
    service = build(PartnersService, "partners")
    client = create_app(service=service).test_client()
    org = client.post("/v1/partners", json={"name": "Own", "countries": ["NG"]}, headers=auth("admin")).json["id"]
    cred = client.post(f"/v1/partners/{org}/credentials", headers=auth("admin")).json
    return client, service, cred


def attempt(client, cred, secret=None, address=STRANGER, **headers):
    form = {"grant_type": "client_credentials", "client_id": cred["client_id"],
            "client_secret": secret or cred["client_secret"]}
    return client.post("/v1/oauth/token", data=form, environ_base={"REMOTE_ADDR": address}, headers=headers)


def guess(client, cred, address=STRANGER, **headers):
    return attempt(client, cred, "not-the-secret", address, **headers)


class TestGuessingIsSlow:
    def test_after_five_wrong_secrets_each_attempt_waits_twice_as_long(self, partners, clock):
        client, _, cred = partners
        assert [guess(client, cred).status_code for _ in range(throttle.FREE_FAILURES)] == [401] * 5
        waits = []
        for _ in range(6):
            refused = guess(client, cred)
            assert refused.status_code == 429 and refused.json["error"] == "slow_down"
            waits.append(int(refused.headers["Retry-After"]))
            clock.advance(seconds=waits[-1])
            assert guess(client, cred).status_code == 401
        assert waits == [1, 2, 4, 8, 16, 32]

    def test_guessing_is_eventually_refused_for_a_quarter_of_an_hour_at_a_time(self, partners, clock):
        client, _, cred = partners
        service_throttle = partners[1].token_throttle
        for _ in range(30):  # what 30 guesses would earn, without paying scrypt for each
            service_throttle.failed(cred["client_id"], STRANGER)
        refused = guess(client, cred)
        assert refused.status_code == 429 and int(refused.headers["Retry-After"]) == throttle.LONGEST_DELAY

    def test_the_right_secret_is_refused_too_while_the_address_must_wait(self, partners):
        client, _, cred = partners
        for _ in range(throttle.FREE_FAILURES):
            guess(client, cred)
        right = attempt(client, cred)  # a 429 tells the guesser nothing about the secret
        assert right.status_code == 429 and "access_token" not in right.json

    def test_a_partner_that_mistyped_its_secret_starts_afresh_after_a_success(self, partners, clock):
        client, _, cred = partners
        for _ in range(throttle.FREE_FAILURES):
            guess(client, cred, PARTNER_SITE)
        clock.advance(seconds=1)
        assert attempt(client, cred, address=PARTNER_SITE).status_code == 200
        assert [guess(client, cred, PARTNER_SITE).status_code for _ in range(5)] == [401] * 5


class TestAStrangerCannotLockThePartnerOut:
    def test_guessing_from_one_address_does_not_stop_the_partner_at_another(self, partners):
        client, _, cred = partners
        for _ in range(throttle.FREE_FAILURES + 3):
            guess(client, cred)
        assert guess(client, cred).status_code == 429
        assert attempt(client, cred, address=PARTNER_SITE).status_code == 200
        assert attempt(client, cred, address=OTHER_SITE).status_code == 200  # a first-time address too

    def test_forty_guesses_from_anyone_leave_the_partner_working(self, partners, clock):
        """The issue's case: 30 wrong secrets used to lock the real client out for a minute."""
        client, _, cred = partners
        for n in range(40):
            guess(client, cred, address=f"203.0.113.{n}")
        assert attempt(client, cred, address=PARTNER_SITE).status_code == 200

    def test_guessing_from_many_addresses_stops_new_addresses_but_not_the_partners_own(self, partners, clock):
        client, service, cred = partners
        service.token_throttle.spread = (12, throttle.CLIENT_WINDOW)
        assert attempt(client, cred, address=PARTNER_SITE).status_code == 200  # the partner's own system
        for n in range(12):
            assert guess(client, cred, address=f"203.0.113.{n}").status_code == 401
        newcomer = guess(client, cred, address="192.0.2.1")
        assert newcomer.status_code == 429 and 0 < int(newcomer.headers["Retry-After"]) <= throttle.CLIENT_WINDOW
        assert attempt(client, cred, address="192.0.2.2").status_code == 429
        assert attempt(client, cred, address=PARTNER_SITE).status_code == 200
        clock.advance(seconds=throttle.CLIENT_WINDOW)
        assert attempt(client, cred, address="192.0.2.2").status_code == 200

    def test_x_forwarded_for_is_not_believed_by_default(self, partners):
        client, _, cred = partners
        for n in range(throttle.FREE_FAILURES):
            guess(client, cred, **{"X-Forwarded-For": f"192.0.2.{n}"})
        assert guess(client, cred, **{"X-Forwarded-For": "192.0.2.200"}).status_code == 429

    def test_behind_a_known_proxy_the_forwarded_address_counts(self, build, auth):
        service = build(PartnersService, "partners")
        service.trusted_proxy_hops = 1  # TRUSTED_PROXY_HOPS=1
        client = create_app(service=service).test_client()
        org = client.post("/v1/partners", json={"name": "Own", "countries": ["NG"]}, headers=auth("admin")).json["id"]
        cred = client.post(f"/v1/partners/{org}/credentials", headers=auth("admin")).json
        proxy = "10.0.0.5"
        for _ in range(throttle.FREE_FAILURES):
            guess(client, cred, proxy, **{"X-Forwarded-For": STRANGER})
        assert guess(client, cred, proxy, **{"X-Forwarded-For": STRANGER}).status_code == 429
        assert attempt(client, cred, address=proxy, **{"X-Forwarded-For": PARTNER_SITE}).status_code == 200


class TestNothingSaysWhichClientIdsExist:
    """Issue 22, item 7: an unknown client id, a known one with a wrong secret, a revoked one and near misses of a
    real one answer alike (status, body) and cost alike (one scrypt check each: 10 ms against 110 ms before)."""

    def test_unknown_wrong_and_revoked_answer_the_same_after_the_same_work(self, partners, auth, hash_checks):
        client, _, cred = partners
        org = client.post("/v1/partners", json={"name": "Gone", "countries": ["NG"]}, headers=auth("admin")).json["id"]
        revoked = client.post(f"/v1/partners/{org}/credentials", headers=auth("admin")).json
        assert client.delete(f"/v1/partners/{org}/credentials/{revoked['client_id']}",
                             headers=auth("admin")).status_code == 204
        known, wrong = cred["client_id"], "not-the-secret"
        cases = {"unknown": ("hw_0123456789abcdef", wrong), "wrong secret": (known, wrong),
                 "revoked": (revoked["client_id"], wrong),
                 "revoked, right secret": (revoked["client_id"], revoked["client_secret"]),
                 # near misses of a real id, with its real secret: nothing but the exact id matches
                 "upper case": (known.upper(), cred["client_secret"]),
                 "trailing space": (known + " ", cred["client_secret"]), "prefix": (known[:-1], cred["client_secret"])}
        answers, checks = {}, {}
        for n, (name, (client_id, secret)) in enumerate(cases.items()):
            hash_checks.reset()
            answer = attempt(client, {"client_id": client_id}, secret, address=f"192.0.2.{n}")
            checks[name] = hash_checks()
            answers[name] = (answer.status_code, answer.json["error"], answer.json["detail"])
        assert set(answers.values()) == {(401, "invalid_client", "Unknown client or wrong secret.")}, answers
        assert set(checks.values()) == {1}, checks

    def test_an_unknown_client_id_is_slowed_like_a_known_one(self, partners):
        client, _, cred = partners
        unknown = {"client_id": "hw_0123456789abcdef"}
        known = [guess(client, cred).status_code for _ in range(throttle.FREE_FAILURES + 1)]
        stranger = [guess(client, unknown).status_code for _ in range(throttle.FREE_FAILURES + 1)]
        assert known == stranger == [401] * throttle.FREE_FAILURES + [429]


BASE = "https://partners.homeward.test"


class TestStandardClientsConfigureThemselves:
    def test_the_metadata_names_the_token_endpoint_and_keys(self, partners):
        from authlib.oauth2.rfc8414 import AuthorizationServerMetadata

        client, _, _ = partners
        response = client.get("/.well-known/oauth-authorization-server", base_url=BASE)
        assert response.status_code == 200 and response.content_type == "application/json"
        metadata = AuthorizationServerMetadata(response.json)
        metadata.validate()  # RFC 8414 as authlib reads it: https issuer, required members
        assert metadata["issuer"] == BASE and metadata["token_endpoint"] == f"{BASE}/v1/oauth/token"
        assert metadata["jwks_uri"] == f"{BASE}/.well-known/jwks.json"
        assert metadata["grant_types_supported"] == ["client_credentials", "password", "refresh_token"]
        assert set(metadata["token_endpoint_auth_methods_supported"]) == {"client_secret_basic", "client_secret_post"}

    def test_the_issuer_can_be_set_for_a_service_behind_a_proxy(self, partners):
        client, service, _ = partners
        service.public_url = "https://partners.example.org"
        assert client.get("/.well-known/oauth-authorization-server").json["token_endpoint"] == \
            "https://partners.example.org/v1/oauth/token"

    @pytest.mark.parametrize("method", ["client_secret_basic", "client_secret_post"])
    def test_authlib_finds_the_token_endpoint_gets_a_token_and_verifies_it_with_the_published_keys(
            self, partners, method):
        import jwt
        import requests
        from authlib.integrations.requests_client import OAuth2Session

        client, _, cred = partners
        with responses.RequestsMock(assert_all_requests_are_fired=False) as network:
            _serve(network, client)
            metadata = requests.get(f"{BASE}/.well-known/oauth-authorization-server", timeout=5).json()
            assert method in metadata["token_endpoint_auth_methods_supported"]
            session = OAuth2Session(cred["client_id"], cred["client_secret"], token_endpoint_auth_method=method,
                                    scope="handovers checkins")
            token = session.fetch_token(metadata["token_endpoint"], grant_type="client_credentials")
            keys = jwt.PyJWKSet.from_dict(requests.get(metadata["jwks_uri"], timeout=5).json())
        assert token["token_type"] == "Bearer" and token["expires_in"] <= 900
        header = jwt.get_unverified_header(token["access_token"])
        claims = jwt.decode(token["access_token"], keys[header["kid"]], algorithms=[header["alg"]],
                            options={"verify_aud": False})
        assert claims["role"] == "partner" and claims["sub"] == cred["client_id"]


def _serve(network: responses.RequestsMock, client) -> None:
    """Answer requests to BASE from the Flask test client: authlib talks HTTP, nothing leaves the process."""

    def forward(request):
        path = request.url[len(BASE):]
        answer = client.open(path, method=request.method, data=request.body, headers=dict(request.headers),
                             base_url=BASE)
        return answer.status_code, dict(answer.headers), answer.get_data()

    for method in ("GET", "POST"):
        network.add_callback(method, re.compile(re.escape(BASE) + ".*"), callback=forward)
