"""Partner users (issue 18): an organisation's people, invited with a one-time code, managed by
Homeward's administrators and by the organisation's coordinator for its field workers."""
from __future__ import annotations

import hashlib
from datetime import timedelta

from services.partners.documents import PartnerSession, PartnerUser
from tests.unit.partners.people_setup import PASSWORD, people  # noqa: F401 - the fixture

__all__ = ["people"]


def stored_user(user_id: str) -> dict:
    return PartnerUser.objects(id=user_id).as_pymongo().first()


class TestAnAdministratorCreatesPeople:
    def test_a_new_user_gets_a_one_time_invitation_code_stored_only_as_a_hash(self, people, clock):
        created = people.create(people.own, "Amina.Field", email="amina@partner.example")
        assert created["id"].startswith("pus_") and created["partner_id"] == people.own
        assert created["username"] == "amina.field" and created["role"] == "field_worker"
        assert created["active"] is True and created["password_set"] is False
        assert created["display_name"] == "Person Amina.Field" and created["email"] == "amina@partner.example"
        code = created["invite_code"]
        assert len(code.replace("-", "")) >= 16
        assert created["invite_expires_at"].startswith((clock.now() + timedelta(days=7)).date().isoformat())
        stored = stored_user(created["id"])
        assert code not in str(stored) and code.replace("-", "") not in str(stored)
        assert stored["invitation"]["code_hash"] == hashlib.sha256(code.replace("-", "").encode()).hexdigest()
        listed = people.client.get(f"/v1/partners/{people.own}/users", headers=people.admin).json
        assert [u["id"] for u in listed["items"]] == [created["id"]]
        assert "invite_code" not in listed["items"][0] and listed["next_cursor"] is None

    def test_administrators_create_coordinators_and_field_workers(self, people):
        assert people.create(people.own, "coord", "coordinator")["role"] == "coordinator"
        assert people.create(people.own, "worker")["role"] == "field_worker"
        people.create(people.own, "boss", "director", expect=422)

    def test_a_user_name_is_taken_once_whatever_its_case(self, people):
        people.create(people.own, "sam")
        taken = people.create(people.other, "SAM", expect=409)
        assert taken["status"] == 409 and "taken" in taken["detail"]

    def test_a_user_name_has_a_safe_shape(self, people):
        refused = people.create(people.own, "no spaces here", expect=422)
        assert "username" in refused["errors"]

    def test_an_unknown_organisation_answers_404(self, people):
        people.create("prt_01JPARTNER0000000000000001", "x1", expect=404)


class TestTheInvitation:
    def test_redeeming_sets_the_password_and_burns_the_code(self, people):
        created = people.create(people.own, "amina")
        redeemed = people.redeem(created["invite_code"].lower())  # typed on a phone: case does not matter
        assert redeemed["id"] == created["id"] and redeemed["password_set"] is True
        assert redeemed["invite_expires_at"] is None
        assert people.sign_in("amina").status_code == 200
        again = people.redeem(created["invite_code"], "another long password", expect=410)
        assert "used" in again["detail"]
        assert people.sign_in("amina", "another long password").status_code == 400

    def test_an_expired_code_answers_410(self, people, clock):
        created = people.create(people.own, "late")
        clock.advance(days=7, seconds=1)
        expired = people.redeem(created["invite_code"], expect=410)
        assert "expired" in expired["detail"] and expired["type"]

    def test_an_unknown_code_answers_400(self, people):
        unknown = people.redeem("ABCD-EFGH-JKMN-PQRS", expect=400)
        assert "not valid" in unknown["detail"]

    def test_the_password_has_at_least_twelve_characters(self, people):
        created = people.create(people.own, "short")
        refused = people.redeem(created["invite_code"], "elevenchars", expect=422)
        assert "password" in refused["errors"]
        people.redeem(created["invite_code"], "twelve chars")  # the code still works

    def test_guessing_codes_from_one_address_is_slowed(self, people):
        for _ in range(5):
            people.redeem("ABCD-EFGH-JKMN-PQRS", expect=400)
        slowed = people.client.post("/v1/partner-users/invitations/redeem",
                                    json={"code": "ABCD-EFGH-JKMN-PQRT", "password": PASSWORD})
        assert slowed.status_code == 429 and int(slowed.headers["Retry-After"]) >= 1

    def test_a_new_invitation_replaces_the_old_one_and_ends_the_sessions(self, people):
        created = people.person(people.own, "forgetful")
        session = people.sign_in("forgetful").json
        fresh = people.client.post(f"/v1/partners/{people.own}/users/{created['id']}/invitation", headers=people.admin)
        assert fresh.status_code == 201 and fresh.json["invite_code"] != created["invite_code"]
        people.redeem(created["invite_code"], expect=400)  # replaced: no longer a code of anyone's
        people.redeem(fresh.json["invite_code"], "a brand new password")
        assert people.sign_in("forgetful").status_code == 400
        assert people.refresh(session["refresh_token"]).status_code == 400
        assert people.sign_in("forgetful", "a brand new password").status_code == 200


class TestTheCoordinator:
    def test_a_coordinator_invites_lists_and_deactivates_its_field_workers(self, people):
        coordinator = people.person(people.own, "coord", "coordinator")
        headers = people.headers("coord")
        worker = people.create(people.own, "worker", headers=headers)
        assert worker["role"] == "field_worker" and worker["invite_code"]
        listed = people.client.get(f"/v1/partners/{people.own}/users", headers=headers).json["items"]
        assert {u["id"] for u in listed} == {coordinator["id"], worker["id"]}
        off = people.client.post(f"/v1/partners/{people.own}/users/{worker['id']}/deactivate", headers=headers)
        assert off.status_code == 200 and off.json["active"] is False
        on = people.client.post(f"/v1/partners/{people.own}/users/{worker['id']}/activate", headers=headers)
        assert on.status_code == 200 and on.json["active"] is True

    def test_a_coordinator_appoints_no_coordinators_and_cannot_deactivate_itself(self, people):
        coordinator = people.person(people.own, "coord", "coordinator")
        other = people.person(people.own, "coord2", "coordinator")
        headers = people.headers("coord")
        assert people.create(people.own, "boss", "coordinator", headers=headers, expect=403)["status"] == 403
        for target in (coordinator, other):
            refused = people.client.post(f"/v1/partners/{people.own}/users/{target['id']}/deactivate",
                                         headers=headers)
            assert refused.status_code == 403, refused.json
        assert stored_user(coordinator["id"])["active"] is True

    def test_a_field_worker_may_not_manage_people(self, people):
        people.person(people.own, "worker")
        headers = people.headers("worker")
        assert people.client.get(f"/v1/partners/{people.own}/users", headers=headers).status_code == 403
        people.create(people.own, "friend", headers=headers, expect=403)

    def test_an_api_client_of_the_organisation_may_not_manage_people(self, people, auth):
        client_token = auth("partner", org=people.own, sub="hw_0123456789abcdef")
        assert people.client.get(f"/v1/partners/{people.own}/users", headers=client_token).status_code == 403

    def test_another_organisations_coordinator_gets_404(self, people):
        worker = people.person(people.own, "worker")
        people.person(people.other, "stranger", "coordinator")
        headers = people.headers("stranger")
        assert people.client.get(f"/v1/partners/{people.own}/users", headers=headers).status_code == 404
        people.create(people.own, "spy", headers=headers, expect=404)
        moved = people.client.post(f"/v1/partners/{people.own}/users/{worker['id']}/deactivate", headers=headers)
        assert moved.status_code == 404
        # nor through its own organisation's path
        sideways = people.client.post(f"/v1/partners/{people.other}/users/{worker['id']}/deactivate",
                                      headers=headers)
        assert sideways.status_code == 404 and stored_user(worker["id"])["active"] is True

    def test_a_deactivated_coordinator_manages_nothing_even_with_a_live_token(self, people):
        coordinator = people.person(people.own, "coord", "coordinator")
        headers = people.headers("coord")
        people.client.post(f"/v1/partners/{people.own}/users/{coordinator['id']}/deactivate", headers=people.admin)
        assert people.client.get(f"/v1/partners/{people.own}/users", headers=headers).status_code == 401  # revoked
        people.service.verifier._revoked = None  # a token that outlived the revocation (elsewhere): still nothing
        assert people.client.get(f"/v1/partners/{people.own}/users", headers=headers).status_code == 403


class TestDeactivation:
    def test_deactivation_ends_refresh_at_once_and_deletes_the_sessions(self, people):
        worker = people.person(people.own, "worker")
        session = people.sign_in("worker").json
        assert PartnerSession.objects(user_id=worker["id"]).count() == 1
        people.client.post(f"/v1/partners/{people.own}/users/{worker['id']}/deactivate", headers=people.admin)
        refused = people.refresh(session["refresh_token"])
        assert refused.status_code == 400 and refused.json["error"] == "invalid_grant"
        assert PartnerSession.objects(user_id=worker["id"]).count() == 0
        assert people.sign_in("worker").json["error"] == "invalid_grant"
        people.client.post(f"/v1/partners/{people.own}/users/{worker['id']}/activate", headers=people.admin)
        assert people.sign_in("worker").status_code == 200

    def test_refresh_tokens_are_stored_only_as_hashes(self, people):
        people.person(people.own, "worker")
        token = people.sign_in("worker").json["refresh_token"]
        stored = [doc for doc in PartnerSession.objects.as_pymongo()]
        assert token not in str(stored)
        assert stored[0]["_id"] == hashlib.sha256(token.encode()).hexdigest()


class TestWhoAmI:
    def test_a_person_reads_its_own_record(self, people, auth):
        worker = people.person(people.own, "worker")
        me = people.client.get("/v1/partner-users/me", headers=people.headers("worker"))
        assert me.status_code == 200 and me.json["id"] == worker["id"] and me.json["role"] == "field_worker"
        assert "password_hash" not in me.json and "invitation" not in me.json
        client_token = auth("partner", org=people.own, sub="hw_0123456789abcdef")
        assert people.client.get("/v1/partner-users/me", headers=client_token).status_code == 403
