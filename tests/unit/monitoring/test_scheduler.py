"""The scheduler's tick: one full pass per day (the due-case query is a scan in the embedded store),
repeated after SCHEDULER_RESCAN_SECONDS, and still judging each slot on the day it changes."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from services.monitoring.bootstrap import MonitoringService
from services.monitoring.handlers import start_monitoring
from shared.events import new_event

RID = "rtn_01M8C64B0WCN70XCSRKNMQBNB8"


@pytest.fixture
def service(build, clock):
    service = build(MonitoringService, "monitoring")
    arrived = clock.today() - timedelta(days=25)  # the first slot (one month) falls due in a few days
    start_monitoring(service.deps, new_event("partners", "returnee.arrived.v1", RID, {
        "returnee_id": RID, "partner_id": "prt_01M8C64B0WCN70XCSRKNMQBNB9", "country": "NG",
        "arrived_on": arrived.isoformat()}, clock.now()))
    return service


@pytest.fixture
def queries(service, monkeypatch):
    asked = []
    real = service.repo.due_for_judgement

    def counted(today: date):
        asked.append(today)
        return real(today)

    monkeypatch.setattr(service.repo, "due_for_judgement", counted)
    return asked


def first_slot(service) -> dict:
    return service.repo.get(RID)["slots"][0]


def test_a_judged_day_is_not_scanned_again_until_the_rescan(service, queries, clock):
    service.tick()
    clock.advance(hours=3)
    service.tick()
    assert queries == [clock.today()]
    service.rescan_seconds = 0.0
    service.tick()
    assert queries == [clock.today(), clock.today()]


def test_each_new_day_has_its_pass_and_a_slot_falls_due_on_its_day(service, queries, clock):
    due_on = date.fromisoformat(first_slot(service)["due_on"])
    service.tick()
    while clock.today() < due_on:
        assert first_slot(service)["status"] == "scheduled"
        clock.advance(days=1)
        service.tick()
    assert first_slot(service)["status"] == "due"
    assert len(queries) == len(set(queries)) == (due_on - queries[0]).days + 1
