"""A client who returned before Homeward (issue 19 part 3): a caseload import offers the handover with the old
records' departure, arrival and go-live dates; when the partner accepts it, partners records the acceptance and
the arrival in one step (`arrival_source` import), and monitoring hears of the arrival with its go-live date.
An ordinary offer is only accepted; its arrival is the partner's to confirm."""
from __future__ import annotations

import json

import pytest

from tests.unit.partners.stored import offered, stored_handover

RTN, HND = "rtn_01JRETVRNEE000000000000009", "hnd_01JHAND0VER000000000000009"


@pytest.fixture
def offer(build, auth, clock):
    def make(imported):
        _, client, org = offered(build, auth, clock, RTN, HND, imported=imported)
        return client.post(f"/v1/handovers/{HND}/accept", headers=auth("partner", org=org)), client, org

    return make


def _events(kind):
    return [json.loads(e["value"])["data"] for e in stored_handover(HND)["outbox"] if e["type"] == kind]


def test_accepting_an_imported_return_records_its_arrival_in_the_same_step(offer):
    response, _, _ = offer({"departed_on": "2025-08-10", "arrived_on": "2025-08-12", "go_live_on": "2026-03-01"})
    assert response.status_code == 200, response.json
    body = response.json
    assert (body["status"], body["arrived_on"], body["arrival_source"]) == ("arrived", "2025-08-12", "import")
    assert body["imported"] == {"departed_on": "2025-08-10", "arrived_on": "2025-08-12", "go_live_on": "2026-03-01"}
    assert len(_events("handover.accepted.v1")) == 1
    [arrived] = _events("returnee.arrived.v1")
    assert (arrived["arrived_on"], arrived["source"], arrived["go_live_on"]) == ("2025-08-12", "import", "2026-03-01")


def test_an_imported_client_still_in_the_netherlands_is_only_accepted(offer, auth):
    response, client, org = offer({"departed_on": None, "arrived_on": None, "go_live_on": None})
    assert response.status_code == 200 and response.json["status"] == "accepted", response.json
    assert _events("returnee.arrived.v1") == []
    arrival = client.post(f"/v1/handovers/{HND}/arrival", json={"arrived_on": "2026-03-01"},
                          headers=auth("partner", org=org))
    assert arrival.status_code == 200 and arrival.json["arrival_source"] == "partner", arrival.json
    [arrived] = _events("returnee.arrived.v1")
    assert arrived["source"] == "partner" and arrived["go_live_on"] is None


def test_an_ordinary_offer_is_only_accepted(offer):
    response, _, _ = offer(None)
    assert response.status_code == 200 and response.json["status"] == "accepted", response.json
    assert response.json["arrival_source"] is None and _events("returnee.arrived.v1") == []
