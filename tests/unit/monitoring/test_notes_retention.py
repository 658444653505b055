"""Retention of check-in notes: blanked NOTES_RETENTION_DAYS after the contact, by the worker's job."""
from __future__ import annotations

from datetime import timedelta

from services.monitoring.bootstrap import MonitoringService
from services.monitoring.handlers import record_checkin, start_monitoring
from shared.auth import Principal
from shared.events import new_event


def test_notes_are_blanked_once_older_than_the_retention_and_scores_stay(build, clock, monkeypatch):
    monkeypatch.setenv("NOTES_RETENTION_DAYS", "30")
    service = build(MonitoringService, "monitoring")
    arrived = clock.today() - timedelta(days=40)
    start_monitoring(service.deps, new_event("partners", "returnee.arrived.v1", "rtn_1", {
        "returnee_id": "rtn_1", "partner_id": "prt_1", "country": "NG", "arrived_on": arrived.isoformat(),
        "handover_id": "h"}, clock.now()))
    partner = Principal(sub="c", role="partner", org="prt_1")
    for day, notes in ((arrived + timedelta(days=2), "lives with her brother"), (clock.today(), "shop opened")):
        record_checkin(service.deps, partner, {"returnee_id": "rtn_1", "slot": "ad_hoc", "contact_date": day,
                                               "contact_made": True, "contact_mode": "phone",
                                               "scores": {"economic": 3}, "notes": notes})

    assert service.expire_notes() == 1
    checkins = service.repo.get("rtn_1")["checkins"]
    assert [c["notes"] for c in checkins] == ["", "shop opened"]
    assert checkins[0]["scores"] == {"economic": 3}
    assert service.expire_notes() == 0  # nothing left to blank

    clock.advance(days=31)
    assert service.expire_notes() == 1 and service.repo.get("rtn_1")["checkins"][1]["notes"] == ""
