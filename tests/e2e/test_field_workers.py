"""A partner organisation's field worker (issue 18) signs in with a password and works with the token
it gets exactly as the organisation's API client does: its own organisation's handovers and cases,
404 for another organisation's, and the audit logs name the person."""
from __future__ import annotations

import requests

PASSWORD = "a field worker's passphrase"


def field_worker(network, partner: dict, username: str) -> dict:
    """An administrator creates the person, who redeems the one-time code and signs in: its token headers."""
    created = network.call("POST", "partners", f"/v1/partners/{partner['id']}/users", 201, role="admin",
                           json={"username": username, "display_name": "Field worker", "role": "field_worker",
                                 "email": f"{username}@partner.example"})
    network.call("POST", "partners", "/v1/partner-users/invitations/redeem", 200, headers={},
                 json={"code": created["invite_code"], "password": PASSWORD})
    token = requests.post(network.urls["partners"] + "/v1/oauth/token", timeout=10, data={
        "grant_type": "password", "username": username, "password": PASSWORD})
    assert token.status_code == 200, token.text
    return {"id": created["id"], "headers": {"Authorization": "Bearer " + token.json()["access_token"]},
            "refresh_token": token.json()["refresh_token"]}


def test_a_field_worker_reads_its_own_partners_handover_and_case_and_nothing_of_another(network):
    own, other = network.add_partner("NG"), network.add_partner("NG")
    worker = field_worker(network, own, "e2e.field.worker")
    as_worker = {"id": own["id"], "headers": worker["headers"]}
    mine, theirs = network.register("NG")["id"], network.register("NG")["id"]

    handover = network.arrive(as_worker, mine)  # the field worker accepts and confirms the arrival
    assert network.call("GET", "partners", f"/v1/handovers/{handover['id']}", 200,
                        headers=worker["headers"])["partner_id"] == own["id"]
    case = network.call("GET", "monitoring", f"/v1/cases/{mine}", 200, headers=worker["headers"])  # arrive waited for it
    assert case["partner_id"] == own["id"]

    elsewhere = network.arrive(other, theirs)
    network.call("GET", "partners", f"/v1/handovers/{elsewhere['id']}", 404, headers=worker["headers"])
    network.call("POST", "partners", f"/v1/handovers/{elsewhere['id']}/decline", 404, headers=worker["headers"],
                 json={"reason": "no_capacity"})
    network.call("GET", "monitoring", f"/v1/cases/{theirs}", 404, headers=worker["headers"])
    listed = network.call("GET", "partners", "/v1/handovers", 200, headers=worker["headers"])["items"]
    assert [h["id"] for h in listed] == [handover["id"]]

    for service in ("partners", "monitoring"):
        entries = network.call("GET", service, f"/v1/audit?returnee_id={mine}", 200, role="admin")["items"]
        assert {(e["who"], e["org"]) for e in entries if e["role"] == "partner"} == {(worker["id"], own["id"])}, service


def test_a_deactivated_field_worker_cannot_refresh(network):
    partner = network.add_partner("ET")
    worker = field_worker(network, partner, "e2e.leaving")
    network.call("POST", "partners", f"/v1/partners/{partner['id']}/users/{worker['id']}/deactivate", 200, role="admin")
    refreshed = requests.post(network.urls["partners"] + "/v1/oauth/token", timeout=10, data={
        "grant_type": "refresh_token", "refresh_token": worker["refresh_token"]})
    assert refreshed.status_code == 400 and refreshed.json()["error"] == "invalid_grant"
