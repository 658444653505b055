"""GET /v1/handovers takes several statuses and several returnees in one call (the partner portal's cases page
asks its accepted and followed cases, then the names of one page of cases), each served by an index."""
from __future__ import annotations

import pytest
from ulid import ULID

from services.partners import documents
from services.partners.api import create_app
from services.partners.bootstrap import PartnersService
from services.partners.handlers import offer_handover
from shared.events import new_event
from tests.unit.intake.test_query_indexes import indexed_fields, recorded, served  # noqa: F401 - a fixture
from tests.unit.partners.stored import Handover

RETURNEES = [f"rtn_{ULID()}" for _ in range(4)]


@pytest.fixture
def partners(build, auth, clock):
    service = build(PartnersService, "partners")
    client = create_app(service=service).test_client()
    org = client.post("/v1/partners", json={"name": "Own", "countries": ["NG"]}, headers=auth("admin")).json["id"]
    for n, (rid, status) in enumerate(zip(RETURNEES, ("offered", "accepted", "arrived", "declined"))):
        handover_id = f"hnd_{ULID.from_timestamp(1767225600 + n)}"  # offered one second apart: ids in this order
        offer_handover(service.deps, new_event("intake", "returnee.handover_requested.v1", rid, {
            "returnee_id": rid, "handover_id": handover_id, "partner_id": org, "country_of_return": "NG",
            "personal": {"given_name": "Amina"}}, clock.now()))
        Handover.objects(id=handover_id).update_one(set__status=status)
    return client, auth("partner", org=org)


def listed(client, headers, **query) -> list[str]:
    answer = client.get("/v1/handovers", query_string=query, headers=headers)
    assert answer.status_code == 200, answer.json
    return [h["returnee_id"] for h in answer.json["items"]]


def test_several_statuses_and_several_returnees_in_one_call(partners):
    client, partner = partners
    assert listed(client, partner, status=["accepted", "arrived"]) == RETURNEES[1:3]
    assert listed(client, partner, status="offered") == RETURNEES[:1]  # one value as before
    assert listed(client, partner, returnee_id=[RETURNEES[0], RETURNEES[3]]) == [RETURNEES[0], RETURNEES[3]]
    assert listed(client, partner, returnee_id=RETURNEES[2]) == [RETURNEES[2]]
    assert listed(client, partner, status=["accepted", "arrived"], limit=1) == RETURNEES[1:2]


def test_the_newest_first_and_its_next_page(partners):
    client, partner = partners
    first = client.get("/v1/handovers", query_string={"order": "newest", "limit": 3}, headers=partner).json
    assert [h["returnee_id"] for h in first["items"]] == RETURNEES[::-1][:3]
    rest = listed(client, partner, order="newest", limit=3, cursor=first["next_cursor"])
    assert rest == RETURNEES[:1]
    assert client.get("/v1/handovers", query_string={"order": "latest"}, headers=partner).status_code == 422


def test_bad_filters_are_refused_with_the_field_named(partners):
    client, partner = partners
    answer = client.get("/v1/handovers", query_string={"status": ["accepted", "lost"]}, headers=partner)
    assert answer.status_code == 422 and "status.1" in answer.json["errors"]
    answer = client.get("/v1/handovers", query_string={"returnee_id": [f"rtn_{ULID()}" for _ in range(201)]},
                        headers=partner)
    assert answer.status_code == 422 and "returnee_id" in answer.json["errors"]


def test_each_list_the_portal_sends_has_its_index(partners, recorded):  # noqa: F811 - the fixture
    client, partner = partners
    recorded.clear()
    for query in ({"status": ["accepted", "arrived"]}, {"returnee_id": RETURNEES[:2]}, {"status": "offered"}):
        assert client.get("/v1/handovers", query_string=query, headers=partner).status_code == 200
    reads = [(query, limited) for name, query, limited in recorded if name == "handovers"]
    assert len(reads) >= 3
    assert [q for q, limited in reads if not served(q, indexed_fields(documents.Handover), limited)] == []
