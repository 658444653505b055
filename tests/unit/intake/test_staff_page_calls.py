"""Several countries' insights in one call (`GET /v1/countries/insights?country=..`), and who follows a client
in the events monitoring files alerts by: what the staff dashboard and alert list ask instead of walking pages.
A country without an insight yet answers as the single call does."""
from __future__ import annotations

from services.intake.handlers import keep_insights
from shared.events import new_event


def keep(service, clock, code: str, returnees: int) -> None:
    keep_insights(service.deps, new_event("monitoring", "country.insights_updated.v1", code, {
        "country": code, "returnees": returnees, "checkins": returnees, "suppressed": False, "k": 5, "version": 1,
        "updated_at": "2026-03-01T10:00:00Z"}, clock.now()))


def test_several_countries_come_in_one_answer_in_the_order_asked(intake, clock):
    client, service, headers = intake
    keep(service, clock, "ET", 6)
    keep(service, clock, "NG", 9)
    answer = client.get("/v1/countries/insights?country=NG&country=gn&country=ET&country=NG", headers=headers)
    assert answer.status_code == 200, answer.json
    assert [(i["country"], i["returnees"], i["suppressed"]) for i in answer.json["items"]] == [
        ("NG", 9, False), ("GN", 0, True), ("ET", 6, False)]
    assert answer.json["items"][1] == client.get("/v1/countries/GN/insights", headers=headers).json


def test_countries_must_be_named_and_be_countries(intake):
    client, _, headers = intake
    assert client.get("/v1/countries/insights", headers=headers).status_code == 422
    refused = client.get("/v1/countries/insights?country=NG&country=QQ", headers=headers)
    assert refused.status_code == 422 and list(refused.json["errors"]) == ["country.1"]  # the second
    many = "&".join(["country=NG"] * 61)
    assert client.get(f"/v1/countries/insights?{many}", headers=headers).status_code == 422


def test_the_openapi_document_names_the_call(intake):
    client, _, _ = intake
    operation = client.get("/openapi.json").json["paths"]["/v1/countries/insights"]["get"]
    (country,) = [p for p in operation["parameters"] if p.get("name") == "country"]
    assert country["required"] and country["schema"]["type"] == "array"


def test_the_handover_and_a_later_change_name_who_follows_the_client(intake, auth):
    """Monitoring files a client's alerts under the consultant who follows them (its alert list's filter)."""
    import json

    from tests.unit.intake.returnees import PARTNER_P, register, stored

    client, _, _ = intake
    headers = auth("consultant", caseload=["web:alice", "web:bob"])  # their team (shared.access)
    rid = register(client, headers, consultant="web:alice").json["id"]
    client.post(f"/v1/returnees/{rid}/handover", json={"partner_id": PARTNER_P}, headers=headers)
    requested = json.loads(stored(rid)["outbox"][-1]["value"])
    assert requested["type"] == "returnee.handover_requested.v1" and requested["data"]["consultant"] == "web:alice"
    assert client.patch(f"/v1/returnees/{rid}", json={"consultant": "web:bob"}, headers=headers).status_code == 200
    updated = json.loads(stored(rid)["outbox"][-1]["value"])
    assert updated["type"] == "returnee.updated.v1" and updated["data"]["changed"] == ["consultant"]
    assert updated["data"]["consultant"] == "web:bob"


def test_the_list_reads_the_returnees_of_the_ids_asked_in_one_page(intake):
    """`?id=..` (repeated): the returnees of a page of alerts named in one call; erased ones are not listed."""
    from tests.unit.intake.returnees import register

    client, _, headers = intake
    ids = [register(client, headers, client_ref=f"F-{n}").json["id"] for n in range(4)]
    assert client.delete(f"/v1/returnees/{ids[2]}", headers=headers).status_code in (200, 204)
    answer = client.get("/v1/returnees", query_string={"id": [ids[3], ids[0], ids[2]], "limit": 2}, headers=headers)
    assert answer.status_code == 200, answer.json
    assert [r["id"] for r in answer.json["items"]] == [ids[0], ids[3]] and answer.json["next_cursor"] is None
    first = client.get("/v1/returnees", query_string={"id": ids, "limit": 1}, headers=headers).json
    rest = client.get("/v1/returnees", query_string={"id": ids, "limit": 5, "cursor": first["next_cursor"]},
                      headers=headers).json
    assert [r["id"] for r in first["items"] + rest["items"]] == [ids[0], ids[1], ids[3]]
    refused = client.get("/v1/returnees?id=rtn_1", headers=headers)
    assert refused.status_code == 422 and list(refused.json["errors"]) == ["id.0"]
