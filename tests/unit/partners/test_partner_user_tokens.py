"""The token endpoint for people (issue 18): the password grant (RFC 6749 4.3) and refresh tokens
(RFC 6749 6), slowed per account and source without ever turning a stranger's guesses into a
lock-out of the right password (issue 22)."""
from __future__ import annotations

import jwt
import pytest

from services.partners.handlers import offer_handover
from shared import throttle
from shared.events import new_event
from tests.unit.partners.people_setup import FIELD_SITE, PASSWORD, STRANGER, people  # noqa: F401 - the fixture

__all__ = ["people"]
RTN_OWN, HND_OWN = "rtn_01JRETVRNEE000000000000001", "hnd_01JHAND0VER000000000000001"
RTN_OTHER, HND_OTHER = "rtn_01JRETVRNEE000000000000002", "hnd_01JHAND0VER000000000000002"


def claims_of(token: str) -> dict:
    return jwt.decode(token, options={"verify_signature": False})


class TestThePasswordGrant:
    def test_a_person_gets_a_short_lived_token_naming_itself_and_its_organisation(self, people):
        worker = people.person(people.own, "amina.k")
        answer = people.sign_in("Amina.K")  # the user name in any case
        assert answer.status_code == 200 and answer.headers["Cache-Control"] == "no-store"
        body = answer.json
        assert body["token_type"] == "Bearer" and 0 < body["expires_in"] <= 900
        assert body["scope"] == "handovers checkins" and body["refresh_token"]
        assert body["refresh_expires_in"] == 12 * 3600
        claims = claims_of(body["access_token"])
        assert claims["sub"] == worker["id"] and claims["org"] == people.own and claims["role"] == "partner"
        assert claims["partner_role"] == "field_worker" and claims["scope"] == "handovers checkins"
        assert "amina" not in str(claims).lower() and "Person" not in str(claims)  # ids only, no names

    def test_a_wrong_password_and_an_unknown_user_get_the_same_answer(self, people):
        people.person(people.own, "worker")
        wrong, unknown = people.sign_in("worker", "not the password"), people.sign_in("nobody", "not the password")
        assert wrong.status_code == unknown.status_code == 400
        strip = ("request_id",)
        assert {k: v for k, v in wrong.json.items() if k not in strip} == \
               {k: v for k, v in unknown.json.items() if k not in strip}
        assert wrong.json["error"] == "invalid_grant"

    def test_nothing_says_which_user_names_exist(self, people, hash_checks):
        """Issue 22, item 7: the same status and text after the same work (one scrypt check) for an unknown
        name, a wrong password, a deactivated person, a person of a deactivated organisation, and a person
        who has not set a password yet."""
        people.person(people.own, "worker")
        gone = people.person(people.own, "gone")
        people.client.post(f"/v1/partners/{people.own}/users/{gone['id']}/deactivate", headers=people.admin)
        people.person(people.other, "elsewhere")
        people.client.patch(f"/v1/partners/{people.other}", json={"active": False}, headers=people.admin)
        people.create(people.own, "invited")
        answers, checks = {}, {}
        for n, (name, password) in enumerate([("nobody", "not the password"), ("worker", "not the password"),
                                              ("gone", PASSWORD), ("elsewhere", PASSWORD), ("invited", PASSWORD)]):
            hash_checks.reset()
            answer = people.sign_in(name, password, f"192.0.2.{n}")
            checks[name] = hash_checks()
            answers[name] = (answer.status_code, answer.json["error"], answer.json["detail"])
        assert set(answers.values()) == {(400, "invalid_grant", "Wrong user name or password, or the account is "
                                                                "not active.")}, answers
        assert set(checks.values()) == {1}, checks

    def test_an_unknown_user_name_is_slowed_like_a_known_one(self, people):
        people.person(people.own, "worker")
        known = [people.sign_in("worker", "wrong password!", STRANGER).status_code for _ in range(6)]
        unknown = [people.sign_in("nobody", "wrong password!", STRANGER).status_code for _ in range(6)]
        assert known == unknown == [400] * 5 + [429]

    def test_an_unknown_user_costs_a_password_hash_as_a_known_one_does(self, people, monkeypatch):
        import shared.passwords

        calls = []
        real = shared.passwords.hashlib.scrypt
        monkeypatch.setattr(shared.passwords.hashlib, "scrypt", lambda *a, **k: calls.append(1) or real(*a, **k))
        people.sign_in("nobody", "not the password")
        assert calls  # verified against a dummy hash: the answer takes as long

    def test_a_person_who_has_not_redeemed_the_invitation_cannot_sign_in(self, people):
        people.create(people.own, "newcomer")
        assert people.sign_in("newcomer", "").json["error"] == "invalid_request"
        assert people.sign_in("newcomer").json["error"] == "invalid_grant"

    def test_an_inactive_organisation_signs_nobody_in(self, people):
        people.person(people.own, "worker")
        people.client.patch(f"/v1/partners/{people.own}", json={"active": False}, headers=people.admin)
        assert people.sign_in("worker").json["error"] == "invalid_grant"

    @pytest.mark.parametrize("field,value", [("username", {"$ne": None}), ("password", ["x"]), ("username", 7)])
    def test_anything_but_text_is_a_malformed_request(self, people, field, value):
        body = {"grant_type": "password", "username": "worker", "password": PASSWORD, field: value}
        answer = people.client.post("/v1/oauth/token", json=body)
        assert answer.status_code == 400 and answer.json["error"] == "invalid_request"

    def test_the_metadata_names_the_three_grants(self, people):
        metadata = people.client.get("/.well-known/oauth-authorization-server").json
        assert metadata["grant_types_supported"] == ["client_credentials", "password", "refresh_token"]

    def test_the_organisations_client_credentials_keep_working_beside_its_people(self, people):
        people.person(people.own, "worker")
        cred = people.client.post(f"/v1/partners/{people.own}/credentials", headers=people.admin).json
        answer = people.client.post("/v1/oauth/token", data={
            "grant_type": "client_credentials", "client_id": cred["client_id"], "client_secret": cred["client_secret"]})
        assert answer.status_code == 200 and "refresh_token" not in answer.json
        assert claims_of(answer.json["access_token"])["org"] == people.own


class TestRefreshTokens:
    def test_a_refresh_token_is_exchanged_once_for_a_new_pair(self, people, clock):
        worker = people.person(people.own, "worker")
        first = people.sign_in("worker").json
        clock.advance(hours=1)
        second = people.refresh(first["refresh_token"])
        assert second.status_code == 200 and second.headers["Cache-Control"] == "no-store"
        assert second.json["refresh_token"] != first["refresh_token"]
        assert claims_of(second.json["access_token"])["sub"] == worker["id"]
        assert people.refresh(second.json["refresh_token"]).status_code == 200

    def test_a_used_refresh_token_presented_again_ends_the_whole_session(self, people):
        people.person(people.own, "worker")
        first = people.sign_in("worker").json
        second = people.refresh(first["refresh_token"]).json
        replayed = people.refresh(first["refresh_token"])
        assert replayed.status_code == 400 and replayed.json["error"] == "invalid_grant"
        assert people.refresh(second["refresh_token"]).status_code == 400  # a copy was stolen: both end

    def test_a_session_idle_for_twelve_hours_ends(self, people, clock):
        people.person(people.own, "worker")
        token = people.sign_in("worker").json["refresh_token"]
        clock.advance(hours=12, seconds=1)
        assert people.refresh(token).json["error"] == "invalid_grant"

    def test_a_session_ends_after_seven_days_however_often_it_is_refreshed(self, people, clock):
        people.person(people.own, "worker")
        token = people.sign_in("worker").json["refresh_token"]
        for _ in range(15):  # every 11 hours: never idle for 12
            clock.advance(hours=11)
            answer = people.refresh(token)
            assert answer.status_code == 200
            token = answer.json["refresh_token"]
            assert answer.json["refresh_expires_in"] <= 12 * 3600
        clock.advance(hours=11)  # 176 h > 7 days since sign-in
        assert people.refresh(token).json["error"] == "invalid_grant"

    def test_an_unknown_refresh_token_is_invalid_grant(self, people):
        answer = people.refresh("not-a-token")
        assert answer.status_code == 400 and answer.json["error"] == "invalid_grant"


class TestGuessingPasswordsIsSlowNeverALockOut:
    def test_after_five_wrong_passwords_from_one_address_each_attempt_waits_twice_as_long(self, people, clock):
        people.person(people.own, "worker")
        assert [people.sign_in("worker", "wrong password!", STRANGER).status_code for _ in range(5)] == [400] * 5
        waits = []
        for _ in range(3):
            refused = people.sign_in("worker", "wrong password!", STRANGER)
            assert refused.status_code == 429 and refused.json["error"] == "slow_down"
            waits.append(int(refused.headers["Retry-After"]))
            clock.advance(seconds=waits[-1])
            assert people.sign_in("worker", "wrong password!", STRANGER).status_code == 400
        assert waits == [1, 2, 4]
        assert people.sign_in("worker", PASSWORD, STRANGER).status_code == 429  # says nothing about the password

    def test_the_right_password_from_elsewhere_is_accepted_after_anyone_elses_failures(self, people):
        people.person(people.own, "worker")
        for n in range(6):
            people.sign_in("worker", "wrong password!", STRANGER)
        signin_throttle = people.service.people_throttle
        for n in range(throttle.CLIENT_FAILURES + 50):  # a stranger spread over many addresses
            signin_throttle.failed("worker", f"10.{n // 250}.{n % 250}.1")
        assert people.sign_in("worker", "wrong password!", STRANGER).status_code == 429
        assert people.sign_in("worker", PASSWORD, FIELD_SITE).status_code == 200  # known or not, never refused
        assert people.sign_in("worker", PASSWORD, "198.51.100.77").status_code == 200  # a first-time address

    def test_a_success_starts_the_count_again(self, people, clock):
        people.person(people.own, "worker")
        for _ in range(5):
            people.sign_in("worker", "wrong password!")
        clock.advance(seconds=1)
        assert people.sign_in("worker").status_code == 200
        assert [people.sign_in("worker", "wrong password!").status_code for _ in range(5)] == [400] * 5

    def test_one_accounts_failures_do_not_slow_another_account_from_the_same_address(self, people):
        people.person(people.own, "worker")
        people.person(people.own, "colleague")
        for _ in range(6):
            people.sign_in("worker", "wrong password!")
        assert people.sign_in("worker", "wrong password!").status_code == 429
        assert people.sign_in("colleague").status_code == 200


@pytest.fixture
def handovers(people, clock):
    for rtn, hnd, org in ((RTN_OWN, HND_OWN, people.own), (RTN_OTHER, HND_OTHER, people.other)):
        offer_handover(people.service.deps, new_event("intake", "returnee.handover_requested.v1", rtn, {
            "returnee_id": rtn, "handover_id": hnd, "partner_id": org, "country_of_return": "NG"}, clock.now()))
    return people


class TestAPersonsTokenWorksAsTheOrganisationsDoes:
    def test_a_field_worker_sees_and_writes_only_its_organisations_handovers(self, handovers):
        people = handovers
        people.person(people.own, "worker")
        headers = people.headers("worker")
        listed = people.client.get("/v1/handovers", headers=headers).json["items"]
        assert [h["id"] for h in listed] == [HND_OWN]
        assert people.client.get(f"/v1/handovers/{HND_OWN}", headers=headers).status_code == 200
        assert people.client.get(f"/v1/handovers/{HND_OTHER}", headers=headers).status_code == 404
        assert people.client.post(f"/v1/handovers/{HND_OTHER}/accept", headers=headers).status_code == 404
        accepted = people.client.post(f"/v1/handovers/{HND_OWN}/accept", headers=headers)
        assert accepted.status_code == 200 and accepted.json["status"] == "accepted"

    def test_the_audit_log_names_the_person(self, handovers):
        people = handovers
        worker = people.person(people.own, "worker")
        people.client.get(f"/v1/handovers/{HND_OWN}", headers=people.headers("worker"))
        entries = people.client.get(f"/v1/audit?resource_id={HND_OWN}", headers=people.admin).json["items"]
        assert [(e["who"], e["org"], e["role"]) for e in entries] == [(worker["id"], people.own, "partner")]


def test_expired_sessions_are_removed_by_housekeeping(people, clock):
    from services.partners.documents import PartnerSession

    people.person(people.own, "worker")
    people.sign_in("worker")
    clock.advance(hours=12, seconds=1)
    assert people.service.people.forget_expired_sessions() == 1
    assert PartnerSession.objects.count() == 0
