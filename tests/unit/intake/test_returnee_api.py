"""Intake's HTTP rules: validation, consent, state conflicts, counts, who follows a client, pseudonymous views,
erasure."""
from __future__ import annotations

import json

import pytest

from services.intake.documents import Returnee
from services.intake.handlers import follow_handover, follow_monitoring
from shared.events import new_event
from tests.unit.intake.returnees import PARTNER_P, PARTNER_Q, outbox_types, register, stored


class TestRegistration:
    def test_a_valid_registration_is_201_with_server_owned_fields(self, intake):
        client, service, headers = intake
        response = register(client, headers)
        assert response.status_code == 201
        assert response.json["status"] == "registered" and response.json["id"].startswith("rtn_")
        assert outbox_types(service, response.json["id"]) == ["returnee.registered.v1"]
        event = json.loads(stored(response.json["id"])["outbox"][0]["value"])
        assert "Yonas" not in json.dumps(event) and "F-1" not in json.dumps(event)

    @pytest.mark.parametrize("change,field", [
        ({"country_of_return": "XX"}, "country_of_return"),
        ({"country_of_return": "ETH"}, "country_of_return"),
        ({"date_of_birth": "2999-01-01"}, "date_of_birth"),
        ({"date_of_birth": "1850-01-01"}, "date_of_birth"),
        ({"gender": "robot"}, "gender"),
        ({"vulnerabilities": ["tired"]}, "vulnerabilities.0"),
        ({"vulnerabilities": ["medical", "medical"]}, "vulnerabilities"),
        ({"household": {"adults": -1}}, "household.adults"),
        ({"reintegration_plan": {"goals": {"wealth": "x"}}}, "reintegration_plan.goals.wealth.key"),
        ({"reintegration_plan": {"planned_support": [{"type": "yacht"}]}}, "reintegration_plan.planned_support.0.type"),
        ({"status": "arrived"}, "status"),
        ({"id": "mine"}, "id"),
        ({"is_admin": True}, "is_admin"),
        ({"given_name": "  "}, "given_name"),
    ])
    def test_invalid_fields_are_422_with_one_message_each(self, intake, change, field):
        client, service, headers = intake
        response = register(client, headers, **change)
        assert response.status_code == 422, response.json
        assert response.content_type == "application/problem+json"
        assert field in response.json["errors"], response.json["errors"]
        assert Returnee.objects.count() == 0

    def test_malformed_json_is_400(self, intake):
        client, _, headers = intake
        response = client.post("/v1/returnees", data="{nope", headers={**headers, "Content-Type": "application/json"})
        assert response.status_code == 400 and response.json["status"] == 400


class TestHandoverRules:
    def test_handover_without_consent_is_409_and_nothing_is_shared(self, intake):
        client, service, headers = intake
        rid = register(client, headers, consent=None).json["id"]
        assert client.post(f"/v1/returnees/{rid}/handover", json={"partner_id": PARTNER_P}, headers=headers).status_code == 409
        assert outbox_types(service, rid) == ["returnee.registered.v1"]

    def test_handover_twice_is_409(self, intake):
        client, _, headers = intake
        rid = register(client, headers).json["id"]
        assert client.post(f"/v1/returnees/{rid}/handover", json={"partner_id": PARTNER_P}, headers=headers).status_code == 202
        assert client.post(f"/v1/returnees/{rid}/handover", json={"partner_id": PARTNER_Q}, headers=headers).status_code == 409

    def test_the_country_of_return_is_fixed_once_a_partner_has_the_case(self, intake):
        client, _, headers = intake
        rid = register(client, headers).json["id"]
        assert client.patch(f"/v1/returnees/{rid}", json={"region": "Tigray"}, headers=headers).json["region"] == "Tigray"
        client.post(f"/v1/returnees/{rid}/handover", json={"partner_id": PARTNER_P}, headers=headers)
        assert client.patch(f"/v1/returnees/{rid}", json={"country_of_return": "NG"}, headers=headers).status_code == 409
        assert client.patch(f"/v1/returnees/{rid}", json={"languages": ["am"]}, headers=headers).status_code == 200

    def test_departure_before_acceptance_is_409(self, intake):
        client, _, headers = intake
        rid = register(client, headers).json["id"]
        response = client.post(f"/v1/returnees/{rid}/departure", json={"departed_on": "2026-03-01"}, headers=headers)
        assert response.status_code == 409

    def test_withdrawing_consent_withdraws_the_open_offer(self, intake):
        client, service, headers = intake
        rid = register(client, headers).json["id"]
        client.post(f"/v1/returnees/{rid}/handover", json={"partner_id": PARTNER_P}, headers=headers)
        response = client.put(f"/v1/returnees/{rid}/consent", headers=headers,
                              json={"share_with_partner": False, "given_on": "2026-02-01"})
        assert response.status_code == 200 and response.json["status"] == "registered"
        assert response.json["handover"]["status"] == "withdrawn"
        assert outbox_types(service, rid)[-1] == "returnee.consent_changed.v1"

    def test_events_about_an_older_handover_are_ignored_and_duplicates_are_no_ops(self, intake, clock):
        client, service, headers = intake
        rid = register(client, headers).json["id"]
        current = client.post(f"/v1/returnees/{rid}/handover", json={"partner_id": PARTNER_P}, headers=headers).json
        stale = new_event("partners", "handover.accepted.v1", rid, {"returnee_id": rid, "handover_id": "hnd_old",
                                                                     "partner_id": PARTNER_P}, clock.now())
        follow_handover(service.deps, stale)
        assert service.repo.get(rid)["status"] == "handover_requested"
        accepted = new_event("partners", "handover.accepted.v1", rid, {
            "returnee_id": rid, "handover_id": current["handover"]["id"], "partner_id": PARTNER_P}, clock.now())
        follow_handover(service.deps, accepted)
        follow_handover(service.deps, accepted)
        doc = service.repo.get(rid)
        assert doc["status"] == "handover_accepted"
        assert [h["status"] for h in doc["history"]].count("handover_accepted") == 1


class TestCounts:
    def test_counts_per_status_and_country_match_the_list_and_leave_out_the_erased(self, intake, auth):
        client, _, headers = intake
        ids = [register(client, headers, country_of_return=c).json["id"] for c in ("ET", "ET", "NG", "NG", "GN")]
        client.post(f"/v1/returnees/{ids[0]}/handover", json={"partner_id": PARTNER_P}, headers=headers)
        client.delete(f"/v1/returnees/{ids[4]}", headers=headers)
        counts = client.get("/v1/returnees/counts", headers=auth("project_lead"))
        assert counts.status_code == 200
        assert counts.json == {"total": 4, "by_status": {"handover_requested": 1, "registered": 3},
                               "by_country": {"ET": 2, "NG": 2}}
        listed = client.get("/v1/returnees", query_string={"limit": 100}, headers=headers).json["items"]
        assert len(listed) == counts.json["total"]

    def test_filters_are_checked_and_unknown_ones_refused(self, intake, auth):
        client, _, headers = intake
        register(client, headers, office="amsterdam")
        assert client.get("/v1/returnees/counts?office=amsterdam", headers=headers).json["total"] == 1
        assert client.get("/v1/returnees/counts?office=utrecht", headers=headers).json["total"] == 0
        assert client.get("/v1/returnees/counts?office=nowhere", headers=headers).status_code == 422
        assert client.get("/v1/returnees/counts?status=x", headers=headers).status_code == 422
        assert client.get("/v1/returnees/counts").status_code == 401


class TestWhoFollowsTheClient:
    def test_the_registering_consultant_follows_the_client_and_the_list_filters_by_them(self, intake, auth):
        client, _, _ = intake
        # alice covers for bob (shared.access): she reads his clients too
        alice, bob = auth("consultant", sub="web:alice", caseload=["web:bob"]), auth("consultant", sub="web:bob")
        mine = register(client, alice).json
        assert mine["consultant"] == "web:alice"
        theirs = register(client, bob).json["id"]
        handed = register(client, alice, consultant="web:bob").json  # registered for a colleague
        assert handed["consultant"] == "web:bob"
        listed = client.get("/v1/returnees?consultant=web:bob", headers=alice).json["items"]
        assert {r["id"] for r in listed} == {theirs, handed["id"]}
        assert client.get("/v1/returnees/counts?consultant=web:alice", headers=alice).json["total"] == 1
        moved = client.patch(f"/v1/returnees/{mine['id']}", json={"consultant": "web:bob"}, headers=alice)
        assert moved.status_code == 200 and moved.json["consultant"] == "web:bob"
        assert client.get("/v1/returnees?consultant=web:alice", headers=alice).json["items"] == []

    @pytest.mark.parametrize("bad", ["", "a b", "x" * 65, "{$ne: null}"])
    def test_a_consultant_that_is_no_user_name_is_refused(self, intake, bad):
        client, _, headers = intake
        assert register(client, headers, consultant=bad).status_code == 422
        assert client.get("/v1/returnees", query_string={"consultant": bad}, headers=headers).status_code == 422


class TestViewsAndErasure:
    def test_project_leads_see_no_names(self, intake, auth):
        client, _, headers = intake
        rid = register(client, headers).json["id"]
        seen = client.get(f"/v1/returnees/{rid}", headers=auth("project_lead")).json
        assert "given_name" not in seen and "client_ref" not in seen and seen["country_of_return"] == "ET"
        listed = client.get("/v1/returnees", headers=auth("project_lead")).json["items"][0]
        assert "family_name" not in listed

    def test_project_leads_cannot_write(self, intake, auth):
        client, _, _ = intake
        assert register(client, auth("project_lead")).status_code == 403

    def test_erasure_removes_personal_data_and_tells_the_others(self, intake):
        client, service, headers = intake
        rid = register(client, headers).json["id"]
        assert client.delete(f"/v1/returnees/{rid}", headers=headers).status_code == 204
        assert client.get(f"/v1/returnees/{rid}", headers=headers).status_code == 404
        assert not {"given_name", "family_name", "date_of_birth", "client_ref"} & set(stored(rid))
        assert outbox_types(service, rid)[-1] == "returnee.erased.v1"

    def test_the_audit_log_records_who_read_a_returnee(self, intake, auth):
        client, _, headers = intake
        rid = register(client, headers).json["id"]
        client.get(f"/v1/returnees/{rid}", headers=headers)
        log = client.get(f"/v1/audit?resource_id={rid}", headers=auth("admin")).json["items"]
        assert [(e["method"], e["who"]) for e in log] == [("POST", "test-consultant"), ("GET", "test-consultant")]


class TestMonitoringFeedback:
    def test_monitoring_summaries_show_on_the_returnee_and_completion_moves_the_status(self, intake, clock):
        client, service, headers = intake
        rid = register(client, headers).json["id"]
        Returnee.objects(id=rid).update_one(set__status="arrived")
        summary = {"next_due_on": "2026-04-01", "latest_index": 0.6, "open_alerts": 2,
                   "latest_scores": None, "latest_scored_on": None}
        follow_monitoring(service.deps, new_event("monitoring", "checkin.recorded.v1", rid,
                                                  {"returnee_id": rid, "summary": summary}, clock.now()))
        assert client.get(f"/v1/returnees/{rid}", headers=headers).json["monitoring"] == summary
        follow_monitoring(service.deps, new_event("monitoring", "monitoring.completed.v1", rid, {
            "returnee_id": rid, "outcome": "completed", "summary": {**summary, "next_due_on": None}}, clock.now()))
        assert client.get(f"/v1/returnees/{rid}", headers=headers).json["status"] == "monitoring_completed"
