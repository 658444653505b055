"""An imported arrival with a go-live date (issue 19 part 3): the slots that fell due before it without a
check-in are 'before Homeward' and raise no alert; the slots after it are judged as any (overdue, with its alert)."""
from __future__ import annotations

from datetime import timedelta

from services.monitoring.domain.schedule import Rules, slot_status
from services.monitoring.handlers import start_monitoring
from shared.events import new_event

RID, ORG = "rtn_imported", "prt_own"


def test_a_slot_due_before_the_go_live_date_without_a_check_in_is_before_homeward(clock):
    today = clock.today()
    assert slot_status(today - timedelta(days=100), today, False, Rules(), today - timedelta(days=40)) == \
        "before_homeward"
    assert slot_status(today - timedelta(days=100), today, True, Rules(), today - timedelta(days=40)) == "completed"
    assert slot_status(today - timedelta(days=20), today, False, Rules(), today - timedelta(days=40)) == "overdue"


def test_an_arrival_200_days_ago_with_a_go_live_date_raises_alerts_only_after_it(monitoring, clock):
    client, service, headers = monitoring
    arrived, go_live = clock.today() - timedelta(days=200), clock.today() - timedelta(days=30)
    start_monitoring(service.deps, new_event("partners", "returnee.arrived.v1", RID, {
        "returnee_id": RID, "partner_id": ORG, "country": "NG", "arrived_on": arrived.isoformat(),
        "handover_id": "h", "source": "import", "go_live_on": go_live.isoformat()}, clock.now()))
    case = client.get(f"/v1/cases/{RID}", headers=headers).json
    states = {slot["slot"]: slot["status"] for slot in case["slots"]}
    # due about 170 and 109 days ago: before the go-live; the 6-month slot (about 17 days ago) is overdue
    assert [states[m] for m in (1, 3)] == ["before_homeward"] * 2
    assert states[6] == "overdue" and states[9] == states[12] == "scheduled"
    alerts = [(alert["type"], alert.get("slot")) for alert in case["alerts"]]
    assert alerts == [("checkin_overdue", 6)]  # none for the slots before Homeward, no lost contact
