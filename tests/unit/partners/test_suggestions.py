"""A declined or expired offer names the other partners that could take the case (item 9, partners' side)."""
from __future__ import annotations

import json

import pytest

from services.partners.api import create_app
from services.partners.bootstrap import PartnersService
from services.partners.handlers import expire_stale_offers, offer_handover
from shared.events import new_event
from tests.unit.partners.stored import stored_handover


@pytest.fixture
def country(build, auth, clock):
    service = build(PartnersService, "partners")
    client = create_app(service=service).test_client()
    admin = auth("admin")

    def register(name, countries, **details):
        return client.post("/v1/partners", json={"name": name, "countries": countries, **details},
                           headers=admin).json["id"]

    orgs = {"own": register("Own", ["NG"]),
            "other": register("Other", ["NG", "GH"], languages=["ha", "en"], services=["housing", "business"]),
            "kenya": register("Kenya only", ["KE"]),
            "inactive": register("Inactive", ["NG"])}
    client.patch(f"/v1/partners/{orgs['inactive']}", json={"active": False}, headers=admin)
    return service, client, orgs, auth


def offer(service, clock, handover_id, partner_id):
    offer_handover(service.deps, new_event("intake", "returnee.handover_requested.v1", "rtn_01M8C64B0WCN70XCSRKNMQBNB8", {
        "returnee_id": "rtn_01M8C64B0WCN70XCSRKNMQBNB8", "handover_id": handover_id, "partner_id": partner_id, "country_of_return": "NG"},
        clock.now()))


def last_event(handover_id):
    return json.loads(stored_handover(handover_id)["outbox"][-1]["value"])


class TestAlternativesInTheAnswer:
    def test_a_decline_names_the_other_active_partners_serving_the_country(self, country, clock):
        service, client, orgs, auth = country
        offer(service, clock, "hnd_01M8C64B0WCN70XCSRKNMQBNB1", orgs["own"])
        client.post("/v1/handovers/hnd_01M8C64B0WCN70XCSRKNMQBNB1/decline", json={"reason": "no_capacity"}, headers=auth("partner", org=orgs["own"]))
        event = last_event("hnd_01M8C64B0WCN70XCSRKNMQBNB1")
        assert event["type"] == "handover.declined.v1"
        assert event["data"]["alternatives"] == [{"partner_id": orgs["other"], "name": "Other",
                                                  "languages": ["ha", "en"], "services": ["housing", "business"]}]

    def test_an_expiry_names_them_too_and_leaves_out_partners_already_tried(self, country, clock):
        service, client, orgs, auth = country
        offer(service, clock, "hnd_01M8C64B0WCN70XCSRKNMQBNB1", orgs["other"])
        client.post("/v1/handovers/hnd_01M8C64B0WCN70XCSRKNMQBNB1/decline", json={"reason": "no_capacity"},
                    headers=auth("partner", org=orgs["other"]))
        offer(service, clock, "hnd_01M8C64B0WCN70XCSRKNMQBNB2", orgs["own"])
        clock.advance(days=14)
        assert expire_stale_offers(service.deps, 14) == 1
        event = last_event("hnd_01M8C64B0WCN70XCSRKNMQBNB2")
        assert event["type"] == "handover.expired.v1" and event["data"]["alternatives"] == []

    def test_an_automatic_decline_names_them(self, country, clock):
        service, _, orgs, _ = country
        offer(service, clock, "hnd_01M8C64B0WCN70XCSRKNMQBNB1", orgs["kenya"])  # does not serve NG
        assert [a["partner_id"] for a in last_event("hnd_01M8C64B0WCN70XCSRKNMQBNB1")["data"]["alternatives"]] == [orgs["own"], orgs["other"]]
