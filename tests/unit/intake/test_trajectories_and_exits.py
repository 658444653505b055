"""Trajectories, decisions, exits and the managed list of return organisations, through the HTTP API."""
from __future__ import annotations

import json

import pytest

from services.intake.documents import Returnee
from services.intake.handlers import follow_handover
from shared.events import new_event

# the unit tests' clock stands at 2026-03-02


def register(client, headers, **fields):
    body = {"client_ref": "F-7", "given_name": "Hana", "family_name": "Bekele", "country_of_return": "ET",
            "consent": {"share_with_partner": True, "given_on": "2026-01-05"}, **fields}
    response = client.post("/v1/returnees", json=body, headers=headers)
    assert response.status_code == 201, response.json
    return response.json


def outbox(rid):
    return [json.loads(e["value"]) for e in Returnee.objects(id=rid).as_pymongo().first()["outbox"]]


def accept(service, clock, returnee):
    follow_handover(service.deps, new_event("partners", "handover.accepted.v1", returnee["id"], {
        "returnee_id": returnee["id"], "handover_id": returnee["handover"]["id"], "partner_id": "prt_01M8C64B0WCN70XCSRKNMQBNB3"}, clock.now()))


class TestTrajectories:
    def test_a_client_registered_without_a_trajectory_is_in_return_guidance(self, intake):
        client, _, headers = intake
        returnee = register(client, headers)
        assert returnee["trajectory"] == "return_guidance" and returnee["decided_on"] is None
        assert returnee["trajectory_history"][0]["trajectory"] == "return_guidance"
        assert returnee["trajectory_history"][0]["started_on"] == "2026-03-02"

    def test_a_returnee_stored_before_trajectories_reads_as_return_guidance_and_can_be_handed_over(self, intake):
        client, _, headers = intake
        rid = register(client, headers)["id"]
        Returnee.objects(id=rid).update_one(unset__trajectory=True, unset__trajectory_history=True,
                                            unset__decided_on=True, unset__exit=True)
        seen = client.get(f"/v1/returnees/{rid}", headers=headers).json
        assert seen["trajectory"] == "return_guidance"
        assert [s["trajectory"] for s in seen["trajectory_history"]] == ["return_guidance"]
        assert client.post(f"/v1/returnees/{rid}/handover", json={"partner_id": "prt_01M8C64B0WCN70XCSRKNMQBNB3"}, headers=headers).status_code == 202

    def test_a_client_in_future_orientation_cannot_be_handed_over_until_the_decision(self, intake):
        client, _, headers = intake
        rid = register(client, headers, trajectory="future_orientation")["id"]
        assert client.post(f"/v1/returnees/{rid}/handover", json={"partner_id": "prt_01M8C64B0WCN70XCSRKNMQBNB3"}, headers=headers).status_code == 409
        decided = client.post(f"/v1/returnees/{rid}/trajectory", headers=headers,
                              json={"trajectory": "return_guidance", "decided_on": "2026-03-02"})
        assert decided.status_code == 200, decided.json
        assert decided.json["trajectory"] == "return_guidance" and decided.json["decided_on"] == "2026-03-02"
        assert [s["trajectory"] for s in decided.json["trajectory_history"]] == ["future_orientation",
                                                                                 "return_guidance"]
        assert client.post(f"/v1/returnees/{rid}/handover", json={"partner_id": "prt_01M8C64B0WCN70XCSRKNMQBNB3"}, headers=headers).status_code == 202

    def test_the_same_trajectory_twice_is_409(self, intake):
        client, _, headers = intake
        rid = register(client, headers)["id"]
        response = client.post(f"/v1/returnees/{rid}/trajectory", headers=headers,
                               json={"trajectory": "return_guidance", "decided_on": "2026-03-02"})
        assert response.status_code == 409

    def test_going_back_to_future_orientation_is_refused_while_a_partner_considers_the_case(self, intake):
        client, _, headers = intake
        rid = register(client, headers)["id"]
        client.post(f"/v1/returnees/{rid}/handover", json={"partner_id": "prt_01M8C64B0WCN70XCSRKNMQBNB3"}, headers=headers)
        response = client.post(f"/v1/returnees/{rid}/trajectory", headers=headers,
                               json={"trajectory": "future_orientation", "decided_on": "2026-03-02"})
        assert response.status_code == 409

    @pytest.mark.parametrize("decided_on,message", [("2026-03-03", "future"), ("2026-03-01", "registration")])
    def test_a_decision_in_the_future_or_before_registration_is_422_at_the_field(self, intake, decided_on, message):
        client, _, headers = intake
        rid = register(client, headers, trajectory="future_orientation")["id"]
        response = client.post(f"/v1/returnees/{rid}/trajectory", headers=headers,
                               json={"trajectory": "return_guidance", "decided_on": decided_on})
        assert response.status_code == 422 and message in response.json["errors"]["decided_on"]
        assert client.get(f"/v1/returnees/{rid}", headers=headers).json["trajectory"] == "future_orientation"

    @pytest.mark.parametrize("body,field", [({"trajectory": "holiday", "decided_on": "2026-03-02"}, "trajectory"),
                                            ({"trajectory": "return_guidance"}, "decided_on"),
                                            ({"trajectory": "return_guidance", "decided_on": "soon"}, "decided_on")])
    def test_a_bad_decision_body_is_422_at_the_field(self, intake, body, field):
        client, _, headers = intake
        rid = register(client, headers, trajectory="future_orientation")["id"]
        response = client.post(f"/v1/returnees/{rid}/trajectory", headers=headers, json=body)
        assert response.status_code == 422 and field in response.json["errors"]

    def test_the_trajectory_is_not_patched(self, intake):
        client, _, headers = intake
        rid = register(client, headers, trajectory="future_orientation")["id"]
        response = client.patch(f"/v1/returnees/{rid}", json={"trajectory": "return_guidance"}, headers=headers)
        assert response.status_code == 422 and "trajectory" in response.json["errors"]

    def test_the_list_filters_by_trajectory_counting_old_returnees_as_return_guidance(self, intake):
        client, _, headers = intake
        oriented = register(client, headers, trajectory="future_orientation")["id"]
        old = register(client, headers)["id"]
        Returnee.objects(id=old).update_one(unset__trajectory=True)
        listed = client.get("/v1/returnees?trajectory=return_guidance", headers=headers).json["items"]
        assert [r["id"] for r in listed] == [old]
        listed = client.get("/v1/returnees?trajectory=future_orientation", headers=headers).json["items"]
        assert [r["id"] for r in listed] == [oriented]


class TestExits:
    def test_an_exit_to_another_return_organisation_closes_the_case_and_is_an_event(self, intake):
        client, _, headers = intake
        returnee = register(client, headers, trajectory="future_orientation", office="utrecht")
        response = client.post(f"/v1/returnees/{returnee['id']}/exit", headers=headers, json={
            "reason": "other_return_organisation", "organisation": "iom", "exited_on": "2026-03-02",
            "note": "Wants to travel with IOM"})
        assert response.status_code == 200, response.json
        assert response.json["status"] == "exited"
        assert response.json["exit"]["reason"] == "other_return_organisation"
        assert response.json["exit"]["organisation"] == "iom" and response.json["exit"]["exited_on"] == "2026-03-02"
        event = outbox(returnee["id"])[-1]
        assert event["type"] == "returnee.exited.v1"
        assert event["data"] == {"returnee_id": returnee["id"], "reason": "other_return_organisation",
                                 "exited_on": "2026-03-02", "organisation": "iom", "trajectory": "future_orientation",
                                 "handover_id": None, "partner_id": None, "handover_status": None,
                                 "office": "utrecht", "office_region": "midden"}
        assert "Wants" not in json.dumps(event)

    def test_an_exit_withdraws_an_open_offer_and_tells_the_partner_side(self, intake):
        client, service, headers = intake
        rid = register(client, headers)["id"]
        offered = client.post(f"/v1/returnees/{rid}/handover", json={"partner_id": "prt_01M8C64B0WCN70XCSRKNMQBNB3"}, headers=headers).json
        response = client.post(f"/v1/returnees/{rid}/exit", headers=headers,
                               json={"reason": "irregular", "exited_on": "2026-03-02"})
        assert response.json["handover"]["status"] == "withdrawn"
        data = outbox(rid)[-1]["data"]
        assert (data["handover_id"], data["partner_id"], data["handover_status"]) == (
            offered["handover"]["id"], "prt_01M8C64B0WCN70XCSRKNMQBNB3", "offered")
        # the partner's late acceptance of the withdrawn offer changes nothing
        accept(service, service.clock, offered)
        assert client.get(f"/v1/returnees/{rid}", headers=headers).json["status"] == "exited"

    def test_an_exit_after_departure_is_409(self, intake, clock):
        client, service, headers = intake
        rid = register(client, headers)["id"]
        accept(service, clock, client.post(f"/v1/returnees/{rid}/handover", json={"partner_id": "prt_01M8C64B0WCN70XCSRKNMQBNB3"},
                                           headers=headers).json)
        client.post(f"/v1/returnees/{rid}/departure", json={"departed_on": "2026-03-02"}, headers=headers)
        response = client.post(f"/v1/returnees/{rid}/exit", headers=headers,
                               json={"reason": "lso", "exited_on": "2026-03-02"})
        assert response.status_code == 409 and "monitoring" in response.json["detail"]

    def test_an_exit_twice_is_409_and_nothing_follows_an_exit(self, intake):
        client, _, headers = intake
        rid = register(client, headers)["id"]
        client.post(f"/v1/returnees/{rid}/exit", headers=headers, json={"reason": "lso", "exited_on": "2026-03-02"})
        again = client.post(f"/v1/returnees/{rid}/exit", headers=headers,
                            json={"reason": "other", "exited_on": "2026-03-02"})
        assert again.status_code == 409
        assert client.post(f"/v1/returnees/{rid}/handover", json={"partner_id": "prt_01M8C64B0WCN70XCSRKNMQBNB3"}, headers=headers).status_code == 409
        assert client.post(f"/v1/returnees/{rid}/trajectory", headers=headers, json={
            "trajectory": "future_orientation", "decided_on": "2026-03-02"}).status_code == 409

    @pytest.mark.parametrize("body,field,message", [
        ({"reason": "lso", "exited_on": "2026-03-03"}, "exited_on", "future"),
        ({"reason": "lso", "exited_on": "2026-03-01"}, "exited_on", "registration"),
        ({"reason": "holiday", "exited_on": "2026-03-02"}, "reason", ""),
        ({"reason": "lso"}, "exited_on", ""),
        ({"reason": "other_return_organisation", "exited_on": "2026-03-02"}, "organisation", "Name"),
        ({"reason": "irregular", "organisation": "iom", "exited_on": "2026-03-02"}, "organisation", "Only"),
        ({"reason": "other_return_organisation", "organisation": "nobody", "exited_on": "2026-03-02"},
         "organisation", "active"),
        ({"reason": "lso", "exited_on": "2026-03-02", "status": "closed"}, "status", ""),
    ])
    def test_a_bad_exit_is_422_at_the_field_and_changes_nothing(self, intake, body, field, message):
        client, _, headers = intake
        rid = register(client, headers)["id"]
        response = client.post(f"/v1/returnees/{rid}/exit", headers=headers, json=body)
        assert response.status_code == 422, response.json
        assert message in response.json["errors"][field]
        assert client.get(f"/v1/returnees/{rid}", headers=headers).json["status"] == "registered"

    def test_erasure_removes_the_exit_note_and_keeps_the_exit_for_the_counts(self, intake):
        client, _, headers = intake
        rid = register(client, headers)["id"]
        client.post(f"/v1/returnees/{rid}/exit", headers=headers,
                    json={"reason": "lso", "exited_on": "2026-03-02", "note": "Stays with Ms Bekele's aunt"})
        assert client.delete(f"/v1/returnees/{rid}", headers=headers).status_code == 204
        stored = Returnee.objects(id=rid).as_pymongo().first()
        assert stored["exit"]["reason"] == "lso" and "note" not in stored["exit"]

    def test_project_leads_cannot_record_exits(self, intake, auth):
        client, _, headers = intake
        rid = register(client, headers)["id"]
        response = client.post(f"/v1/returnees/{rid}/exit", headers=auth("project_lead"),
                               json={"reason": "lso", "exited_on": "2026-03-02"})
        assert response.status_code == 403


class TestReturnOrganisations:
    def test_the_five_organisations_of_the_programme_are_there_from_the_start(self, intake):
        client, _, headers = intake
        items = client.get("/v1/return-organisations", headers=headers).json["items"]
        assert [(o["id"], o["name"]) for o in items] == [
            ("bridge-to-better", "Bridge to Better"), ("iom", "IOM"), ("ros", "ROS"), ("solid-road", "Solid Road"),
            ("wereldwijd", "WereldWijd")]

    def test_an_administrator_adds_one_and_consultants_can_refer_to_it(self, intake, auth):
        client, _, headers = intake
        admin = auth("admin")
        assert client.post("/v1/return-organisations", json={"name": "Goedwerk"}, headers=headers).status_code == 403
        added = client.post("/v1/return-organisations", json={"name": "Goedwerk"}, headers=admin)
        assert added.status_code == 201 and added.json["id"] == "goedwerk" and added.json["active"] is True
        assert client.post("/v1/return-organisations", json={"name": "goedwerk"}, headers=admin).status_code == 409
        rid = register(client, headers)["id"]
        response = client.post(f"/v1/returnees/{rid}/exit", headers=headers, json={
            "reason": "other_return_organisation", "organisation": "goedwerk", "exited_on": "2026-03-02"})
        assert response.status_code == 200

    def test_a_deactivated_organisation_takes_no_new_referrals_but_is_still_listed_on_request(self, intake, auth):
        client, _, headers = intake
        assert client.patch("/v1/return-organisations/ros", json={"active": False},
                            headers=auth("admin")).json["active"] is False
        assert "ros" not in [o["id"] for o in client.get("/v1/return-organisations", headers=headers).json["items"]]
        every = client.get("/v1/return-organisations?include_inactive=true", headers=headers).json["items"]
        assert "ros" in [o["id"] for o in every]
        rid = register(client, headers)["id"]
        response = client.post(f"/v1/returnees/{rid}/exit", headers=headers, json={
            "reason": "other_return_organisation", "organisation": "ros", "exited_on": "2026-03-02"})
        assert response.status_code == 422
        assert client.patch("/v1/return-organisations/nobody", json={"active": False},
                            headers=auth("admin")).status_code == 404

    @pytest.mark.parametrize("body,field", [({"name": " "}, "name"), ({}, "name"),
                                            ({"name": "X", "id": "Not A Slug"}, "id"), ({"name": "X", "x": 1}, "x")])
    def test_a_bad_organisation_is_422(self, intake, auth, body, field):
        client, _, _ = intake
        response = client.post("/v1/return-organisations", json=body, headers=auth("admin"))
        assert response.status_code == 422 and field in response.json["errors"]


class TestOffices:
    def test_there_are_21_offices_in_5_regions(self, intake):
        client, _, headers = intake
        regions = client.get("/v1/offices", headers=headers).json["regions"]
        assert len(regions) == 5 and sum(len(r["offices"]) for r in regions) == 21

    def test_a_client_belongs_to_a_known_office_and_shows_its_region(self, intake):
        client, _, headers = intake
        returnee = register(client, headers, office="maastricht")
        assert (returnee["office"], returnee["office_region"]) == ("maastricht", "zuid")
        response = client.post("/v1/returnees", headers=headers, json={
            "given_name": "A", "family_name": "B", "country_of_return": "ET", "office": "atlantis"})
        assert response.status_code == 422 and "office" in response.json["errors"]
        moved = client.patch(f"/v1/returnees/{returnee['id']}", json={"office": "breda"}, headers=headers)
        assert moved.json["office"] == "breda"
        listed = client.get("/v1/returnees?office=breda", headers=headers).json["items"]
        assert [r["id"] for r in listed] == [returnee["id"]]
