"""An imported arrival with a go-live date (issue 19 part 3): the slots that fell due before it without a
check-in are 'before Homeward' and raise no alert; the slots after it are judged as any (overdue, with its alert)."""
from __future__ import annotations

from datetime import timedelta

from services.monitoring.domain.schedule import Rules, slot_status
from services.monitoring.handlers import note_departure, note_handover_answered, note_handover_requested, start_monitoring
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


def test_an_imported_return_departed_long_ago_raises_no_arrival_alert_before_its_arrival_is_read(monitoring, clock,
                                                                                                 auth):
    """Intake records an imported client's departure when the partner accepts, and partners the arrival in the
    same step, on another topic: the departure may be read first. Its old date is no missing arrival."""
    client, service, _ = monitoring
    headers = auth("admin")
    arrived, go_live = clock.today() - timedelta(days=200), clock.today() - timedelta(days=30)
    imported = {"departed_on": (arrived - timedelta(days=1)).isoformat(), "arrived_on": arrived.isoformat(),
                "go_live_on": go_live.isoformat()}
    note_handover_requested(service.deps, new_event("intake", "returnee.handover_requested.v1", RID, {
        "returnee_id": RID, "handover_id": "h", "partner_id": ORG, "country_of_return": "NG", "imported": imported},
        clock.now()))
    note_handover_answered(service.deps, new_event("partners", "handover.accepted.v1", RID, {
        "returnee_id": RID, "handover_id": "h"}, clock.now()))
    note_departure(service.deps, new_event("intake", "returnee.departed.v1", RID, {
        "returnee_id": RID, "departed_on": imported["departed_on"], "partner_id": ORG, "country": "NG"}, clock.now()))
    assert client.get(f"/v1/cases/{RID}", headers=headers).json["alerts"] == []
    start_monitoring(service.deps, new_event("partners", "returnee.arrived.v1", RID, {
        "returnee_id": RID, "partner_id": ORG, "country": "NG", "arrived_on": arrived.isoformat(),
        "handover_id": "h", "source": "import", "go_live_on": go_live.isoformat()}, clock.now()))
    alerts = [alert["type"] for alert in client.get(f"/v1/cases/{RID}", headers=headers).json["alerts"]]
    assert alerts == ["checkin_overdue"]


def test_an_ordinary_departure_long_without_arrival_still_raises_its_alert(monitoring, clock, auth):
    client, service, _ = monitoring
    headers = auth("admin")
    note_handover_requested(service.deps, new_event("intake", "returnee.handover_requested.v1", RID, {
        "returnee_id": RID, "handover_id": "h", "partner_id": ORG, "country_of_return": "NG"}, clock.now()))
    note_departure(service.deps, new_event("intake", "returnee.departed.v1", RID, {
        "returnee_id": RID, "departed_on": (clock.today() - timedelta(days=30)).isoformat(), "partner_id": ORG,
        "country": "NG"}, clock.now()))
    alerts = [alert["type"] for alert in client.get(f"/v1/cases/{RID}", headers=headers).json["alerts"]]
    assert "arrival_not_confirmed" in alerts
