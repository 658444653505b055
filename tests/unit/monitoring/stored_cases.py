"""Monitoring cases on the embedded store (or on MongoDB when MONGODB_URI is set), for the tests of the case
repository and of the use cases on it: the `repo` fixture (`notified` records each wake-up of the relay), the
`deps` of the use cases on it, a `planned` case, an `arrive`d returnee and a `checkin` body."""
from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from services.monitoring.documents import ALIAS, Case
from services.monitoring.domain import case as cases
from services.monitoring.domain.schedule import Rules
from services.monitoring.domain.scoring import SCHEMES
from services.monitoring.handlers import Deps, start_monitoring
from services.monitoring.repository import CaseRepository
from shared import store
from shared.auth import Principal
from shared.clock import ManualClock
from shared.events import new_event

TODAY = date(2026, 3, 2)
NOW = "2026-03-02T09:00:00.123000Z"
CONSULTANT = Principal("c-1", "consultant")


@pytest.fixture
def notified():
    return []


@pytest.fixture
def repo(settings_for, notified):
    store.connect(settings_for("monitoring"), ALIAS)
    return CaseRepository(notify=lambda cls, doc_id: notified.append((cls.__name__, doc_id)))


@pytest.fixture
def deps(repo):
    clock = ManualClock(datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc))
    return Deps(repo, clock, Rules(), SCHEMES["2026.1"])


def planned(rid="rtn_1", country="NG", partner="prt_1", arrived=date(2026, 1, 5)) -> dict:
    case = cases.new_case(rid, country, partner, ["medical"], "Lagos")
    cases.start_plan(case, arrived, Rules())
    cases.evaluate(case, TODAY, NOW, Rules(), CaseRepository.id_maker(rid))
    return case


def arrive(deps, rid, partner="prt_1", country="NG", event=None):
    event = event or new_event("partners", "returnee.arrived.v1", rid, {
        "returnee_id": rid, "partner_id": partner, "country": country, "arrived_on": "2026-01-05"},
        deps.clock.now())
    start_monitoring(deps, event)
    return event


def checkin(rid="rtn_1", **fields) -> dict:
    return {"returnee_id": rid, "slot": "ad_hoc", "contact_date": date(2026, 2, 20), "contact_made": True,
            "contact_mode": "phone", "reason": None, "scores": {"economic": 3}, "safety_concern": False,
            "status": "in_country", "support_delivered": [], "notes": "", "supersedes": None, **fields}


def event_types(rid: str) -> list[str]:
    return [e.type for e in Case.objects(id=rid).get().outbox]
