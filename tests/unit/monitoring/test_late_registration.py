"""A returnee who arrived 200 days before the case reached Homeward (issue 19, part 2): the past slots are judged
as they stand (missed, overdue, with their alerts), and the check-ins the partner did make can be entered with
their real contact dates, one by one and in a batch."""
from __future__ import annotations

from datetime import timedelta

from services.monitoring.handlers import start_monitoring
from shared.events import new_event
from tests.unit.monitoring.checkin_requests import body, post

RID, ORG = "rtn_late", "prt_own"


def arrived_200_days_ago(service, clock):
    arrived = clock.today() - timedelta(days=200)
    start_monitoring(service.deps, new_event("partners", "returnee.arrived.v1", RID, {
        "returnee_id": RID, "partner_id": ORG, "country": "NG", "arrived_on": arrived.isoformat(),
        "handover_id": "h"}, clock.now()))
    return arrived


def test_the_past_slots_are_judged_as_they_stand(monitoring, clock):
    client, service, headers = monitoring
    arrived = arrived_200_days_ago(service, clock)
    case = client.get(f"/v1/cases/{RID}", headers=headers).json
    states = {slot["slot"]: slot["status"] for slot in case["slots"]}
    assert states[1] == "missed" and states[3] == "missed"  # due 170 and 109 days ago: past the 45 days
    assert states[6] in ("overdue", "missed") and states[9] == "scheduled" and states[12] == "scheduled"
    assert case["arrived_on"] == arrived.isoformat()
    assert "lost_contact" in {alert["type"] for alert in case["alerts"]}  # two scheduled check-ins missed in a row


def test_a_check_in_made_before_the_case_was_entered_is_recorded_with_its_real_date(monitoring, clock):
    client, service, headers = monitoring
    arrived = arrived_200_days_ago(service, clock)
    month_one = (arrived + timedelta(days=32)).isoformat()
    response = post(client, headers, body(returnee_id=RID, slot=1, contact_date=month_one,
                                          support_delivered=[]), key="late-1")
    assert response.status_code == 201, response.json
    assert response.json["contact_date"] == month_one
    slot = next(s for s in client.get(f"/v1/cases/{RID}", headers=headers).json["slots"] if s["slot"] == 1)
    assert slot["status"] == "completed" and slot["checkin"]["contact_date"] == month_one


def test_the_past_check_ins_can_come_in_one_batch_with_their_real_dates(monitoring, clock):
    client, service, headers = monitoring
    arrived = arrived_200_days_ago(service, clock)
    days = {1: arrived + timedelta(days=33), 3: arrived + timedelta(days=95)}
    items = [{"idempotency_key": f"late-{slot}", "checkin": body(returnee_id=RID, slot=slot, contact_date=day.isoformat(),
                                                                 support_delivered=[])}
             for slot, day in days.items()]
    results = client.post("/v1/checkins/batch", json={"items": items}, headers=headers).json["results"]
    assert [r["status"] for r in results] == [201, 201], results
    slots = {s["slot"]: s for s in client.get(f"/v1/cases/{RID}", headers=headers).json["slots"]}
    assert [(slots[n]["status"], slots[n]["checkin"]["contact_date"]) for n in days] == \
        [("completed", day.isoformat()) for day in days.values()]
