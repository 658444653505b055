"""An arrival is judged against the departure (when recorded) and today: not in the future, not before 2000, not
before the departure; not against the day the partner accepted in Homeward (a returnee who travelled before the
case was entered can be confirmed)."""
from __future__ import annotations

import json
from datetime import date

import pytest

from services.partners.handlers import record_departure
from shared.events import new_event
from tests.unit.partners.stored import offered, stored_handover

RTN, HND = "rtn_01JRETVRNEE000000000000001", "hnd_01JHAND0VER000000000000001"


@pytest.fixture
def accepted(build, auth, clock):
    """An accepted handover: offered and accepted on 2026-03-02 at 09:00 UTC (the test clock)."""
    service, client, org = offered(build, auth, clock, RTN, HND)
    headers = auth("partner", org=org)
    assert client.post(f"/v1/handovers/{HND}/accept", headers=headers).status_code == 200

    def arrive(day: str):
        return client.post(f"/v1/handovers/{HND}/arrival", json={"arrived_on": day}, headers=headers)

    return arrive, service


@pytest.mark.parametrize("day,why", [
    ("0001-01-01", "2000"), ("1999-12-31", "2000"), ("2026-03-03", "future"), ("9999-12-31", "future")])
def test_an_impossible_arrival_is_422_and_starts_nothing(accepted, day, why):
    arrive, service = accepted
    response = arrive(day)
    assert response.status_code == 422 and why in response.json["errors"]["arrived_on"], response.json
    assert service.repo.get_handover(HND)["status"] == "accepted"


def test_an_arrival_200_days_before_the_handover_was_accepted_is_confirmed_and_starts_monitoring(accepted, clock):
    arrive, service = accepted  # accepted on 2026-03-02: the returnee travelled before the case was entered
    response = arrive("2025-08-14")
    assert response.status_code == 200, response.json
    assert response.json["status"] == "arrived" and response.json["arrived_on"] == "2025-08-14"
    arrived = [json.loads(e["value"]) for e in stored_handover(HND)["outbox"] if e["type"] == "returnee.arrived.v1"]
    assert [event["data"]["arrived_on"] for event in arrived] == ["2025-08-14"]  # monitoring starts from that day


def test_tomorrow_in_utc_is_already_today_east_of_greenwich(accepted, clock):
    arrive, _ = accepted
    clock.set(clock.now().replace(hour=23))  # 23:00 UTC: 3 March in Baghdad (UTC+3)
    assert arrive("2026-03-03").status_code == 200


def test_an_arrival_before_the_departure_is_422(accepted, clock):
    arrive, service = accepted
    record_departure(service.deps, new_event("intake", "returnee.departed.v1", RTN, {
        "returnee_id": RTN, "departed_on": date(2026, 3, 2).isoformat()}, clock.now()))
    response = arrive("2026-03-01")
    assert response.status_code == 422 and "departure" in response.json["errors"]["arrived_on"]
    assert arrive("2026-03-02").status_code == 200
