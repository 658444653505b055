"""Intake says who follows a client (issue 21): the staff notifications mail that consultant."""
from __future__ import annotations

import json

from tests.unit.intake.returnees import PARTNER_P, register, stored

TEAM = ["web:anna", "web:bram"]  # the acting consultant's team: they read each other's clients (shared.access)


def events(rid) -> list[dict]:
    return [json.loads(e["value"]) for e in stored(rid)["outbox"]]


def test_the_registration_names_the_consultant_and_a_new_one_is_told_before_any_copy(intake, auth):
    client, service, _ = intake
    headers = auth("consultant", caseload=TEAM)
    rid = register(client, headers, consultant="web:anna", office=None).json["id"]
    registered = events(rid)[0]
    assert registered["type"] == "returnee.registered.v1" and registered["data"]["consultant"] == "web:anna"
    assert client.patch(f"/v1/returnees/{rid}", json={"consultant": "web:bram"}, headers=headers).status_code == 200
    updated = events(rid)[-1]
    assert updated["type"] == "returnee.updated.v1"
    assert updated["data"]["consultant"] == "web:bram" and set(updated["data"]["changed"]) == {"consultant", "office"}


def test_a_correction_that_leaves_the_consultant_emits_nothing_for_the_notifications(intake, auth):
    client, service, _ = intake
    headers = auth("consultant", caseload=TEAM)
    rid = register(client, headers, consultant="web:anna").json["id"]
    assert client.patch(f"/v1/returnees/{rid}", json={"given_name": "Yonatan"}, headers=headers).status_code == 200
    assert [e["type"] for e in events(rid)] == ["returnee.registered.v1"]  # no copy yet, no follower change


def test_a_new_consultant_once_the_partner_holds_a_copy_is_told_in_one_event(intake, auth):
    """The copy's update carries the consultant (monitoring's "only my clients", the staff mail): never twice."""
    client, service, _ = intake
    headers = auth("consultant", caseload=TEAM)
    rid = register(client, headers, consultant="web:anna").json["id"]
    assert client.post(f"/v1/returnees/{rid}/handover", json={"partner_id": PARTNER_P},
                       headers=headers).status_code == 202
    before = len(events(rid))
    assert client.patch(f"/v1/returnees/{rid}", json={"consultant": "web:bram", "region": "Lagos"},
                        headers=headers).status_code == 200
    told = [e for e in events(rid)[before:] if e["type"] == "returnee.updated.v1"]
    assert len(told) == 1 and told[0]["data"]["consultant"] == "web:bram", told
