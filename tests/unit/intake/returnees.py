"""Registering a returnee through intake's API and reading back what was stored, for the returnee API tests.
Unlike caseload.py's `register`, `register` here returns the response and asserts nothing."""
from __future__ import annotations

from services.intake.documents import Returnee
from services.intake.handlers import follow_handover
from shared.events import new_event

PARTNER_P, PARTNER_Q = "prt_01JPARTNERPPPPPPPPPPPPPPPP", "prt_01JPARTNERQQQQQQQQQQQQQQQQ"


def register(client, headers, **fields):
    body = {"client_ref": "F-1", "given_name": "Yonas", "family_name": "Tesfaye", "date_of_birth": "1988-02-03",
            "country_of_return": "ET", "consent": {"share_with_partner": True, "given_on": "2026-01-05"}, **fields}
    return client.post("/v1/returnees", json=body, headers=headers)


def stored(rid):
    """The returnee's document as stored, outbox included."""
    return Returnee.objects(id=rid).as_pymongo().first()


def outbox_types(service, rid):
    return [e["type"] for e in stored(rid)["outbox"]]


def arrived_without_departure(client, service, headers, clock, arrived_on="2026-02-20"):
    """A returnee handed over and accepted whose arrival the partner confirmed before any departure was recorded."""
    rid = register(client, headers).json["id"]
    handover = client.post(f"/v1/returnees/{rid}/handover", json={"partner_id": PARTNER_P}, headers=headers).json
    data = {"returnee_id": rid, "handover_id": handover["handover"]["id"], "partner_id": PARTNER_P}
    follow_handover(service.deps, new_event("partners", "handover.accepted.v1", rid, data, clock.now()))
    follow_handover(service.deps, new_event("partners", "returnee.arrived.v1", rid, {**data, "arrived_on": arrived_on},
                                            clock.now()))
    assert service.repo.get(rid)["status"] == "arrived"
    return rid
