"""Alerts carry a message code and its parameters beside the English `detail` (clients write the text)."""
from __future__ import annotations

from datetime import date

import pytest

from services.monitoring.api import create_app
from services.monitoring.bootstrap import MonitoringService
from services.monitoring.handlers import start_monitoring
from shared.events import new_event

ARRIVED = date(2026, 1, 5)  # the clock fixture says 2026-03-02


@pytest.fixture
def monitoring(build, clock, auth):
    service = build(MonitoringService, "monitoring")
    start_monitoring(service.deps, new_event("partners", "returnee.arrived.v1", "rtn_own", {
        "returnee_id": "rtn_own", "partner_id": "prt_own", "country": "NG", "arrived_on": ARRIVED.isoformat(),
        "handover_id": "h"}, clock.now()))
    return create_app(service=service).test_client(), service, auth("partner", org="prt_own"), auth("admin")  # every client's alerts (a consultant: their caseload's)


def checkin(client, partner, key, **fields):
    body = {"returnee_id": "rtn_own", "slot": "ad_hoc", "contact_date": "2026-02-06", "contact_made": True,
            "contact_mode": "phone", "scores": {"economic": 1, "housing": 4, "social": 4, "health": 1, "resilience": 3},
            "safety_concern": True, **fields}
    response = client.post("/v1/checkins", json=body, headers={**partner, "Idempotency-Key": key})
    assert response.status_code == 201, response.json
    return response.json


def alerts(client, consultant):
    return {a["type"]: a for a in client.get("/v1/alerts?returnee_id=rtn_own", headers=consultant).json["items"]}


def test_a_checkins_alerts_have_a_code_and_parameters_beside_the_english_detail(monitoring):
    client, _, partner, consultant = monitoring
    checkin(client, partner, "k-1")
    found = alerts(client, consultant)
    critical, safety = found["critical_domain"], found["safety_concern"]
    assert (critical["code"], critical["params"]) == ("critical_domain", {"domains": ["economic", "health"], "score": 1})
    assert critical["detail"] == "Scored 1 on economic, health."  # kept for API clients
    assert (safety["code"], safety["params"]) == ("safety_concern", {})
    assert safety["detail"] == "The partner reported a safety concern."


def test_an_index_drop_and_a_status_have_theirs(monitoring):
    client, _, partner, consultant = monitoring
    checkin(client, partner, "k-1", scores={"economic": 5, "housing": 5, "social": 5, "health": 5, "resilience": 5},
            safety_concern=False)
    checkin(client, partner, "k-2", scores={"economic": 2, "housing": 2, "social": 2, "health": 2, "resilience": 2},
            safety_concern=False, status="re_migrated", contact_date="2026-02-20")
    found = alerts(client, consultant)
    drop = found["index_drop"]
    assert drop["code"] == "index_drop" and set(drop["params"]) == {"from", "to"}
    assert drop["params"]["from"] > drop["params"]["to"]
    assert (found["re_migrated"]["code"], found["re_migrated"]["params"]) == ("re_migrated", {})


def test_the_case_shows_the_codes_too_and_standing_alerts_have_theirs(monitoring, clock):
    client, service, _, consultant = monitoring
    service.tick()
    overdue = {a["type"]: a for a in client.get("/v1/cases/rtn_own", headers=consultant).json["alerts"]}
    assert overdue["checkin_overdue"]["code"] == "checkin_overdue"
    assert overdue["checkin_overdue"]["params"] == {"slot": 1, "due_on": overdue["checkin_overdue"]["params"]["due_on"]}
    clock.advance(days=120)  # months of silence: one lost-contact alert, the overdue one superseded
    service.tick()
    case = client.get("/v1/cases/rtn_own", headers=consultant).json
    lost = next(a for a in case["alerts"] if a["type"] == "lost_contact")
    assert lost["code"] == "lost_contact" and lost["params"]["months"][:2] == [1, 3]
    closed = next(a for a in case["alerts"] if a["type"] == "checkin_overdue" and a["status"] == "resolved")
    assert closed["resolution_code"] == "superseded"
