"""One returnee's whole year after arrival, with a simulated clock driving all three services."""
from __future__ import annotations

from datetime import datetime, time, timedelta, timezone

from dateutil.relativedelta import relativedelta

from tests.helpers import eventually

SCORES_GOOD = {"economic": 4, "housing": 4, "social": 4, "health": 4, "resilience": 4}  # index 0.75


def test_a_full_year_of_monitoring(network):
    partner = network.add_partner("NG")
    rid = network.register("NG")["id"]
    network.arrive(partner, rid)
    arrived = network.clock.today()
    due = {m: arrived + relativedelta(months=m) for m in (1, 3, 6, 9, 12)}

    def go_to(day):
        network.clock.set(datetime.combine(day, time(10, 0), tzinfo=timezone.utc))

    def checkin(slot, key, **fields):
        body = {"returnee_id": rid, "slot": slot, "contact_date": network.clock.today().isoformat(),
                "contact_made": True, "contact_mode": "in_person", "scores": SCORES_GOOD, **fields}
        return network.call("POST", "monitoring", "/v1/checkins", 201,
                            headers={**partner["headers"], "Idempotency-Key": key}, json=body)

    def alerts(**query):
        params = "&".join(f"{k}={v}" for k, v in {"returnee_id": rid, **query}.items())
        return network.call("GET", "monitoring", f"/v1/alerts?{params}", 200)["items"]

    def intake_monitoring():
        return network.returnee(rid)["monitoring"]

    # month 1: on time
    go_to(due[1])
    assert checkin(1, "m1")["index"] == 0.75
    eventually(lambda: intake_monitoring()["latest_index"] == 0.75, message="index at intake")
    assert intake_monitoring()["next_due_on"] == due[3].isoformat()

    # month 3: late; the scheduler raises an overdue alert once, the late check-in resolves it
    go_to(due[3] + timedelta(days=20))
    overdue = eventually(lambda: alerts(type="checkin_overdue", status="open"), message="overdue alert")
    assert len(overdue) == 1 and overdue[0]["slot"] == 3
    eventually(lambda: intake_monitoring()["open_alerts"] == 1, message="open alert at intake")
    checkin(3, "m3")
    eventually(lambda: alerts(type="checkin_overdue")[0]["status"] == "resolved", message="overdue resolved")
    assert alerts(type="checkin_overdue")[0]["resolved_by"] == "system"

    # month 6: a safety concern and a critical domain; the index drops
    go_to(due[6])
    low = checkin(6, "m6", scores={"economic": 1, "housing": 3, "social": 3, "health": 3, "resilience": 3},
                  safety_concern=True, notes="Threatened by a creditor")
    assert low["index"] == 0.4
    raised = {a["type"]: a for a in alerts(status="open")}
    assert set(raised) == {"safety_concern", "critical_domain", "index_drop"}
    eventually(lambda: intake_monitoring()["open_alerts"] == 3, message="three open alerts at intake")
    safety = raised["safety_concern"]["id"]
    acknowledged = network.call("POST", "monitoring", f"/v1/alerts/{safety}/acknowledge", 200, json={})
    assert acknowledged["status"] == "acknowledged"
    for alert in raised.values():
        network.call("POST", "monitoring", f"/v1/alerts/{alert['id']}/resolve", 200,
                     json={"note": "Called; partner arranged safe housing."})
    network.call("POST", "monitoring", f"/v1/alerts/{safety}/resolve", 409, json={})
    eventually(lambda: intake_monitoring()["open_alerts"] == 0, message="alerts resolved at intake")

    # month 9: missed altogether
    go_to(due[9] + timedelta(days=46))
    missed = eventually(lambda: alerts(type="checkin_overdue", status="open"), message="missed slot alert")
    assert missed[0]["slot"] == 9
    case = network.call("GET", "monitoring", f"/v1/cases/{rid}", 200)
    assert [s["status"] for s in case["slots"]] == ["completed", "completed", "completed", "missed", "scheduled"]
    network.call("POST", "monitoring", f"/v1/alerts/{missed[0]['id']}/resolve", 200, json={"note": "travelling"})

    # month 12: the last check-in completes monitoring, visible at intake
    go_to(due[12])
    checkin(12, "m12")
    completed = network.wait_status(rid, "monitoring_completed")
    assert completed["monitoring"]["latest_index"] == 0.75
    assert completed["monitoring"]["next_due_on"] is None
    case = network.call("GET", "monitoring", f"/v1/cases/{rid}", 200)
    assert case["state"] == "completed"
    assert [s["status"] for s in case["slots"]] == ["completed", "completed", "completed", "missed", "completed"]
    assert [s["index"] for s in case["scores"]] == [0.75, 0.75, 0.4, 0.75]
    own = network.call("GET", "monitoring", "/v1/cases", 200, headers=partner["headers"])["items"]
    assert [c["returnee_id"] for c in own] == [rid]
