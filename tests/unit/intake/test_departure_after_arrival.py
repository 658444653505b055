"""A departure recorded after the partner confirmed the arrival: the status stays where it is, the day may not be
after the arrival, and a departure is recorded once."""
from __future__ import annotations

import json

from services.intake.handlers import follow_handover, follow_monitoring
from shared.events import new_event
from tests.unit.intake.returnees import PARTNER_P, arrived_without_departure, outbox_types, register, stored


class TestADepartureRecordedAfterTheArrival:
    def test_the_departure_is_recorded_and_the_status_stays_arrived(self, intake, clock):
        client, service, headers = intake
        rid = arrived_without_departure(client, service, headers, clock)
        response = client.post(f"/v1/returnees/{rid}/departure", json={"departed_on": "2026-02-18"}, headers=headers)
        assert response.status_code == 200, response.json
        assert response.json["status"] == "arrived" and response.json["departed_on"] == "2026-02-18"
        assert [h["status"] for h in service.repo.get(rid)["history"]].count("departed") == 0
        event = json.loads(stored(rid)["outbox"][-1]["value"])
        assert event["type"] == "returnee.departed.v1" and event["data"]["departed_on"] == "2026-02-18"

    def test_the_departure_may_be_on_the_arrival_day(self, intake, clock):
        client, service, headers = intake
        rid = arrived_without_departure(client, service, headers, clock)
        response = client.post(f"/v1/returnees/{rid}/departure", json={"departed_on": "2026-02-20"}, headers=headers)
        assert response.status_code == 200 and response.json["status"] == "arrived"

    def test_a_departure_after_the_arrival_is_422_naming_the_arrival_date(self, intake, clock):
        client, service, headers = intake
        rid = arrived_without_departure(client, service, headers, clock)
        response = client.post(f"/v1/returnees/{rid}/departure", json={"departed_on": "2026-02-21"}, headers=headers)
        assert response.status_code == 422 and response.content_type == "application/problem+json"
        assert response.json["errors"] == {"departed_on": "Must not be after the arrival date (2026-02-20)."}
        assert service.repo.get(rid)["departed_on"] is None

    def test_a_second_departure_is_409(self, intake, clock):
        client, service, headers = intake
        rid = arrived_without_departure(client, service, headers, clock)
        client.post(f"/v1/returnees/{rid}/departure", json={"departed_on": "2026-02-18"}, headers=headers)
        again = client.post(f"/v1/returnees/{rid}/departure", json={"departed_on": "2026-02-17"}, headers=headers)
        assert again.status_code == 409 and "2026-02-18" in again.json["detail"]
        assert outbox_types(service, rid).count("returnee.departed.v1") == 1

    def test_a_departure_recorded_before_the_arrival_is_not_recorded_twice(self, intake, clock):
        client, service, headers = intake
        rid = register(client, headers).json["id"]
        handover = client.post(f"/v1/returnees/{rid}/handover", json={"partner_id": PARTNER_P}, headers=headers).json
        data = {"returnee_id": rid, "handover_id": handover["handover"]["id"], "partner_id": PARTNER_P}
        follow_handover(service.deps, new_event("partners", "handover.accepted.v1", rid, data, clock.now()))
        assert client.post(f"/v1/returnees/{rid}/departure", json={"departed_on": "2026-02-18"},
                           headers=headers).json["status"] == "departed"
        assert client.post(f"/v1/returnees/{rid}/departure", json={"departed_on": "2026-02-18"},
                           headers=headers).status_code == 409
        follow_handover(service.deps, new_event("partners", "returnee.arrived.v1", rid,
                                                {**data, "arrived_on": "2026-02-20"}, clock.now()))
        assert client.post(f"/v1/returnees/{rid}/departure", json={"departed_on": "2026-02-19"},
                           headers=headers).status_code == 409

    def test_after_monitoring_ended_the_missing_departure_can_still_be_recorded(self, intake, clock):
        client, service, headers = intake
        rid = arrived_without_departure(client, service, headers, clock)
        follow_monitoring(service.deps, new_event("monitoring", "monitoring.completed.v1", rid, {
            "returnee_id": rid, "outcome": "completed", "summary": {}}, clock.now()))
        response = client.post(f"/v1/returnees/{rid}/departure", json={"departed_on": "2026-02-19"}, headers=headers)
        assert response.status_code == 200 and response.json["status"] == "monitoring_completed"
