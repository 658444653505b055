"""The monitoring API with two arrived returnees, for the check-in test modules."""
from __future__ import annotations

import pytest

from services.monitoring.api import create_app
from services.monitoring.bootstrap import MonitoringService
from services.monitoring.handlers import start_monitoring
from shared.events import new_event
from tests.unit.monitoring.checkin_requests import ARRIVED


@pytest.fixture
def monitoring(build, clock, auth):
    service = build(MonitoringService, "monitoring")
    for rid, org in (("rtn_own", "prt_own"), ("rtn_other", "prt_other")):
        start_monitoring(service.deps, new_event("partners", "returnee.arrived.v1", rid, {
            "returnee_id": rid, "partner_id": org, "country": "NG", "arrived_on": ARRIVED.isoformat(),
            "handover_id": "h"}, clock.now()))
    client = create_app(service=service).test_client()
    return client, service, auth("partner", org="prt_own")
