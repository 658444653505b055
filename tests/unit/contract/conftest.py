"""The three APIs in process, on the in-memory store, each with a little data so that lists, reads and
reports answer real 200s: a returnee (intake), a partner organisation with a handover (partners), a
monitored case with a check-in and an alert (monitoring)."""
from __future__ import annotations

import io

from datetime import date

import pytest

from services.intake.api import create_app as intake_app
from services.intake.bootstrap import IntakeService
from services.monitoring.api import create_app as monitoring_app
from services.monitoring.bootstrap import MonitoringService
from services.monitoring.handlers import start_monitoring
from services.partners.api import create_app as partners_app
from services.partners.bootstrap import PartnersService
from services.partners.handlers import offer_handover
from shared.events import new_event
from shared.http.security import roles_of

SERVICES = ("intake", "partners", "monitoring")
VOCABULARY = "support_types"  # a code list every service serves (GET /v1/vocabularies/{name})
RETURNEE = {"client_ref": "F-1", "given_name": "Yonas", "family_name": "Tesfaye", "date_of_birth": "1988-02-03",
            "country_of_return": "ET", "consent": {"share_with_partner": True, "given_on": "2026-01-05"}}
CHECKIN = {"returnee_id": "rtn_01", "slot": 1, "contact_date": "2026-02-06", "contact_made": True,
           "contact_mode": "in_person", "safety_concern": True,
           "scores": {"economic": 1, "housing": 1, "social": 1, "health": 1, "resilience": 1}}


class Network:
    """One service's app with its seeded data and a token of a role each operation admits."""

    def __init__(self, name, app, auth, org=None, ids=None):
        self.name, self.app, self.auth, self.org, self.ids = name, app, auth, org, ids or {}

    def headers_for(self, method: str, path: str) -> dict:
        """A bearer token of the first role the operation admits ({} for public operations)."""
        adapter = self.app.url_map.bind("homeward.test")
        endpoint, _ = adapter.match(path, method=method.upper())
        roles = roles_of(self.app.view_functions[endpoint], method)
        if not roles:
            return {}
        role = "admin" if "admin" in roles else roles[0]
        return self.auth(role, org=self.org if role == "partner" else None)


def _intake(build, auth, clock):
    service = build(IntakeService, "intake")
    app = intake_app(service=service)
    client = app.test_client()
    created = client.post("/v1/returnees", json=RETURNEE, headers=auth("consultant"))
    assert created.status_code == 201, created.json
    note = client.post(f"/v1/returnees/{created.json['id']}/notes", headers=auth("consultant"), json={
        "text": "Gesprek over de reis", "kind": "conversation", "mode": "phone", "contact_on": "2026-03-02"})
    assert note.status_code == 201, note.json
    document = client.post(f"/v1/returnees/{created.json['id']}/documents", headers=auth("consultant"),
                           data={"kind": "other", "title": "Scan", "file": (io.BytesIO(b"%PDF-1.4 scan"), "a.pdf")},
                           content_type="multipart/form-data")
    assert document.status_code == 201, document.json
    task = client.get("/v1/tasks", query_string={"due_before": "2030-01-01"}, headers=auth("consultant")).json["items"][0]
    return Network("intake", app, auth, ids={"returnee_id": created.json["id"], "code": "ET", "name": VOCABULARY,
                                                     "organisation_id": "ros", "note_id": note.json["id"],
                                                     "document_id": document.json["id"], "task_id": task["id"]})


def _partners(build, auth, clock):
    service = build(PartnersService, "partners")
    app = partners_app(service=service)
    client = app.test_client()
    created = client.post("/v1/partners", json={"name": "Own", "countries": ["NG"]}, headers=auth("admin"))
    assert created.status_code == 201, created.json
    org = created.json["id"]
    offer_handover(service.deps, new_event("intake", "returnee.handover_requested.v1", "rtn_1", {
        "returnee_id": "rtn_1", "handover_id": "hnd_1", "partner_id": org, "country_of_return": "NG"},
        clock.now()))
    return Network("partners", app, auth, org=org, ids={"partner_id": org, "handover_id": "hnd_1", "name": VOCABULARY})


def _monitoring(build, auth, clock):
    service = build(MonitoringService, "monitoring")
    start_monitoring(service.deps, new_event("partners", "returnee.arrived.v1", "rtn_01", {
        "returnee_id": "rtn_01", "partner_id": "prt_01", "country": "NG",
        "arrived_on": date(2026, 1, 5).isoformat(), "handover_id": "hnd_01"}, clock.now()))
    app = monitoring_app(service=service)
    recorded = app.test_client().post("/v1/checkins", json=CHECKIN,
                                      headers={**auth("consultant"), "Idempotency-Key": "seed-1"})
    assert recorded.status_code == 201, recorded.json
    alert = app.test_client().get("/v1/alerts", headers=auth("admin")).json["items"][0]  # the safety concern (every client's)
    return Network("monitoring", app, auth, org="prt_01",
                   ids={"returnee_id": "rtn_01", "alert_id": alert["id"], "country": "NG", "name": VOCABULARY,
                        "checkin_id": recorded.json["id"], "index": "0"})  # a check-in without support: no receipt


@pytest.fixture
def network(build, auth, clock):
    """network(name) -> Network: the service's app, seeded."""
    makers = {"intake": _intake, "partners": _partners, "monitoring": _monitoring}
    return lambda name: makers[name](build, auth, clock)
