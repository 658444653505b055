"""The partners side of a handover: offers from events, automatic declines, expiry, credentials."""
from __future__ import annotations

import json

import pytest

from services.partners import domain
from services.partners.api import create_app
from services.partners.bootstrap import PartnersService
from services.partners.handlers import expire_stale_offers, offer_handover
from shared.events import new_event
from tests.unit.partners.stored import Handover, stored_handover


@pytest.fixture
def partners(build, auth, clock):
    service = build(PartnersService, "partners")
    client = create_app(service=service).test_client()
    org = client.post("/v1/partners", json={"name": "Own", "countries": ["NG"]}, headers=auth("admin")).json["id"]
    return client, service, org


def request_event(clock, org, country="NG", handover_id="hnd_1"):
    return new_event("intake", "returnee.handover_requested.v1", "rtn_1", {
        "returnee_id": "rtn_1", "handover_id": handover_id, "partner_id": org, "country_of_return": country,
        "personal": {"given_name": "Amina"}}, clock.now())


def outbox_types(service, handover_id):
    return [e["type"] for e in stored_handover(handover_id)["outbox"]]


class TestTransitions:
    @pytest.mark.parametrize("current,action,target", [
        ("offered", "accept", "accepted"), ("offered", "decline", "declined"),
        ("accepted", "confirm_arrival", "arrived"), ("offered", "expire", "expired"),
        ("offered", "withdraw", "withdrawn")])
    def test_allowed_moves(self, current, action, target):
        assert domain.next_status(current, action) == target

    @pytest.mark.parametrize("current,action", [("accepted", "accept"), ("declined", "accept"),
                                                ("offered", "confirm_arrival"), ("arrived", "decline")])
    def test_other_moves_conflict(self, current, action):
        with pytest.raises(domain.StateConflict):
            domain.next_status(current, action)

    def test_secrets_are_stored_hashed_and_checked(self):
        fresh = domain.new_client_secret()
        assert fresh.secret not in fresh.hashed
        assert domain.secret_matches(fresh.secret, fresh.hashed)
        assert not domain.secret_matches(fresh.secret + "x", fresh.hashed)


class TestOffers:
    def test_a_redelivered_request_creates_one_handover(self, partners, clock):
        _, service, org = partners
        event = request_event(clock, org)
        offer_handover(service.deps, event)
        offer_handover(service.deps, event)
        assert Handover.objects.count() == 1

    def test_a_partner_outside_the_country_declines_at_once_and_keeps_no_personal_data(self, partners, clock):
        _, service, org = partners
        offer_handover(service.deps, request_event(clock, org, country="ET"))
        stored = stored_handover("hnd_1")
        assert stored["status"] == "declined" and stored.get("personal") is None
        assert stored["decline"]["reason"] == "not_in_coverage_area"
        assert outbox_types(service, "hnd_1") == ["handover.declined.v1"]

    def test_unanswered_offers_expire_after_the_configured_days(self, partners, clock):
        _, service, org = partners
        offer_handover(service.deps, request_event(clock, org))
        clock.advance(days=13)
        assert expire_stale_offers(service.deps, 14) == 0
        clock.advance(days=1)
        assert expire_stale_offers(service.deps, 14) == 1
        assert expire_stale_offers(service.deps, 14) == 0
        assert stored_handover("hnd_1")["status"] == "expired"
        event = json.loads(stored_handover("hnd_1")["outbox"][-1]["value"])
        assert event["type"] == "handover.expired.v1" and event["data"]["reason"] == "expired"


class TestCredentials:
    def test_revoked_credentials_no_longer_give_tokens(self, partners, auth):
        client, _, org = partners
        admin = auth("admin")
        cred = client.post(f"/v1/partners/{org}/credentials", headers=admin).json
        form = {"grant_type": "client_credentials", "client_id": cred["client_id"],
                "client_secret": cred["client_secret"]}
        assert client.post("/v1/oauth/token", data=form).status_code == 200
        assert client.delete(f"/v1/partners/{org}/credentials/{cred['client_id']}", headers=admin).status_code == 204
        refused = client.post("/v1/oauth/token", data=form)
        assert refused.status_code == 401 and refused.json["error"] == "invalid_client"

    def test_revoking_all_credentials_of_a_partner(self, partners, auth):
        client, service, org = partners
        admin = auth("admin")
        creds = [client.post(f"/v1/partners/{org}/credentials", headers=admin).json for _ in range(2)]
        assert client.delete(f"/v1/partners/{org}/credentials", headers=admin).status_code == 204
        listed = client.get(f"/v1/partners/{org}/credentials", headers=admin).json
        assert [c["client_id"] for c in listed] == [c["client_id"] for c in creds]
        assert all(c["revoked_at"] for c in listed) and all("client_secret" not in c for c in listed)

    def test_tokens_last_at_most_fifteen_minutes_and_carry_the_organisation(self, partners, auth):
        import jwt

        client, _, org = partners
        cred = client.post(f"/v1/partners/{org}/credentials", headers=auth("admin")).json
        token = client.post("/v1/oauth/token", data={"grant_type": "client_credentials"},
                            auth=(cred["client_id"], cred["client_secret"])).json
        claims = jwt.decode(token["access_token"], options={"verify_signature": False})
        assert claims["org"] == org and claims["role"] == "partner" and claims["exp"] - claims["iat"] <= 900

    def test_a_json_body_is_accepted_like_the_form(self, partners, auth):
        client, _, org = partners
        cred = client.post(f"/v1/partners/{org}/credentials", headers=auth("admin")).json
        token = client.post("/v1/oauth/token", json={"grant_type": "client_credentials", **{
            k: cred[k] for k in ("client_id", "client_secret")}})
        assert token.status_code == 200 and token.json["token_type"] == "Bearer"

    @pytest.mark.parametrize("form,status,error", [
        ({}, 400, "invalid_request"),
        ({"grant_type": "authorization_code"}, 400, "unsupported_grant_type"),
        ({"grant_type": "password"}, 400, "invalid_request"),  # a person's grant, without user name and password
        ({"grant_type": "refresh_token"}, 400, "invalid_request"),
        ({"grant_type": "client_credentials"}, 401, "invalid_client"),
        ({"grant_type": "client_credentials", "client_id": "hw_x", "client_secret": "nope"}, 401, "invalid_client"),
    ])
    def test_token_errors_follow_rfc_6749(self, partners, form, status, error):
        client, _, _ = partners
        response = client.post("/v1/oauth/token", data=form)
        assert response.status_code == status and response.json["error"] == error


class TestTokenRequestsCarryOnlyStrings:
    """client_id and client_secret reach a query only as plain strings: anything else is a 400, never a match."""

    @pytest.mark.parametrize("client_id,client_secret", [
        ({"$in": ["{id}"]}, "{secret}"), ({"$ne": None}, "{secret}"), ({"$gt": ""}, {"$gt": ""}),
        (["{id}"], "{secret}"), (12345, "{secret}"), (True, "{secret}"),
        ("{id}", {"$ne": ""}), ("{id}", ["{secret}"]), ("{id}", 0.5), ("{id}", 42),
        ("{id}\x00", "{secret}"), ("x" * 129, "{secret}"),
    ])
    def test_operator_objects_arrays_and_numbers_are_invalid_requests(self, partners, auth, client_id, client_secret):
        client, _, org = partners
        cred = client.post(f"/v1/partners/{org}/credentials", headers=auth("admin")).json

        def real(value):  # the placeholders become the real credentials: a match would be possible
            text = json.dumps(value).replace("{id}", cred["client_id"]).replace("{secret}", cred["client_secret"])
            return json.loads(text)

        body = {"grant_type": "client_credentials", "client_id": real(client_id), "client_secret": real(client_secret)}
        response = client.post("/v1/oauth/token", json=body)
        assert response.status_code == 400, response.json
        assert response.content_type == "application/problem+json"
        assert response.json["error"] == "invalid_request" and "access_token" not in response.json

    @pytest.mark.parametrize("grant", [{"$ne": "x"}, ["client_credentials"], 1])
    def test_a_grant_type_that_is_not_a_string_is_an_invalid_request(self, partners, grant):
        client, _, _ = partners
        response = client.post("/v1/oauth/token", json={"grant_type": grant, "client_id": "hw_x", "client_secret": "s"})
        assert response.status_code == 400 and response.json["error"] == "invalid_request"

    def test_a_form_with_bracketed_names_is_just_unknown_fields(self, partners):
        client, _, _ = partners
        response = client.post("/v1/oauth/token", data={"grant_type": "client_credentials",
                                                        "client_id[$ne]": "x", "client_secret[$ne]": "x"})
        assert response.status_code == 401 and response.json["error"] == "invalid_client"
