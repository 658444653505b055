"""Intake says how current its copies of partners' and monitoring's state are (`events_as_of`): the moment its
consumer last had read every event, stored by the process that consumes (shared.freshness; issue 22, item 8)."""
from __future__ import annotations

from datetime import datetime, timezone

from services.intake.api import create_app
from services.intake.bootstrap import IntakeService


def test_reads_carry_the_moment_the_consumer_last_had_read_everything(build, auth):
    service = build(IntakeService, "intake")
    client, consultant = create_app(service=service).test_client(), auth("consultant")
    rid = client.post("/v1/returnees", json={"given_name": "A", "family_name": "B", "country_of_return": "NG"},
                      headers=consultant).json["id"]
    assert client.get(f"/v1/returnees/{rid}", headers=consultant).json["events_as_of"] is None  # not known yet

    (tick,) = [tick for name, _, tick in service.background.periodic if name == "consumer-mark"]
    service.background.consumer.caught_up_at = datetime(2026, 3, 2, 8, 59, 30, tzinfo=timezone.utc).timestamp()
    tick()
    for answer in (client.get(f"/v1/returnees/{rid}", headers=consultant).json,
                   client.get("/v1/returnees", headers=consultant).json["items"][0],
                   client.get(f"/v1/returnees/{rid}", headers=auth("project_lead")).json):
        assert datetime.fromisoformat(answer["events_as_of"]) == datetime(2026, 3, 2, 8, 59, 30, tzinfo=timezone.utc)

    service.background.consumer.caught_up_at += 5  # moves on as the consumer keeps up
    tick()
    assert client.get(f"/v1/returnees/{rid}", headers=consultant).json["events_as_of"].startswith("2026-03-02T08:59:35")
