"""Issue 18, the partner portal's needs: a partner reads its own organisation (its languages choose the
pages' language; its contact and webhook say where messages go), never another's, and an open offer says
when it expires."""
from __future__ import annotations

from datetime import timedelta

import pytest

from services.partners.api import create_app
from services.partners.bootstrap import PartnersService
from services.partners.handlers import offer_handover
from shared.events import new_event

RTN, HND = "rtn_01JRETVRNEE000000000000001", "hnd_01JHAND0VER000000000000001"


@pytest.fixture
def partners(build, auth, clock):
    service = build(PartnersService, "partners")
    client = create_app(service=service).test_client()
    admin = auth("admin")
    orgs = [client.post("/v1/partners", headers=admin, json={
        "name": name, "countries": ["GN"], "languages": ["fr", "sus"],
        "contact": {"name": "Case desk", "email": f"desk.{name.lower()}@partner.example"}}).json["id"]
        for name in ("Own", "Other")]
    return client, service, orgs


def test_a_partner_reads_its_own_organisation_and_gets_404_for_another(partners, auth):
    client, _, (own, other) = partners
    mine = client.get(f"/v1/partners/{own}", headers=auth("partner", org=own))
    assert mine.status_code == 200 and mine.json["languages"] == ["fr", "sus"]
    assert mine.json["contact"]["email"] == "desk.own@partner.example"
    assert client.get(f"/v1/partners/{other}", headers=auth("partner", org=own)).status_code == 404
    assert client.patch(f"/v1/partners/{own}", json={"name": "Mine"}, headers=auth("partner", org=own)).status_code == 403


def test_a_partner_reads_its_own_webhook_only(partners, auth):
    client, _, (own, other) = partners
    for org in (own, other):
        assert client.put(f"/v1/partners/{org}/webhook", json={"url": "https://hooks.partner.example/in"},
                          headers=auth("admin")).status_code == 200
    mine = client.get(f"/v1/partners/{own}/webhook", headers=auth("partner", org=own))
    assert mine.status_code == 200 and mine.json["url"] == "https://hooks.partner.example/in"
    assert client.get(f"/v1/partners/{other}/webhook", headers=auth("partner", org=own)).status_code == 404
    assert client.put(f"/v1/partners/{own}/webhook", json={"url": "https://elsewhere.example/in"},
                      headers=auth("partner", org=own)).status_code == 403


def test_an_open_offer_says_when_it_expires_and_an_answered_one_does_not(partners, auth, clock):
    client, service, (own, _) = partners
    offer_handover(service.deps, new_event("intake", "returnee.handover_requested.v1", RTN, {
        "returnee_id": RTN, "handover_id": HND, "partner_id": own, "country_of_return": "GN"}, clock.now()))
    headers = auth("partner", org=own)
    offered = client.get(f"/v1/handovers/{HND}", headers=headers).json
    expected = clock.now() + timedelta(days=service.offer_expiry_days)
    assert offered["expires_at"][:16] == expected.isoformat()[:16]
    assert client.get("/v1/handovers", headers=headers).json["items"][0]["expires_at"] == offered["expires_at"]
    accepted = client.post(f"/v1/handovers/{HND}/accept", headers=headers).json
    assert accepted["expires_at"] is None
