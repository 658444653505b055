"""Every alert rule of the monitoring case, on plain dicts: overdue check-ins, lost contact, what a check-in
raises, unanswered handovers and unconfirmed arrivals, and acting on an alert."""
from __future__ import annotations

from datetime import date

import pytest

from services.monitoring.domain import case as cases
from tests.unit.monitoring.plain_cases import RULES, active_case, checkin, judge, open_alerts, types


class TestOverdueAlert:
    def test_an_overdue_slot_raises_one_alert_however_often_the_scheduler_runs(self):
        case = active_case()
        events = judge(case, date(2026, 2, 24))
        assert types(events) == [("alert.raised.v1", "checkin_overdue")]
        assert judge(case, date(2026, 2, 25)) == []
        assert judge(case, date(2026, 3, 30)) == []  # missed now: still the same cause
        assert len(open_alerts(case, "checkin_overdue")) == 1

    def test_the_check_in_arriving_resolves_the_overdue_alert(self):
        case = active_case()
        judge(case, date(2026, 2, 24))
        _, events = checkin(case, date(2026, 2, 25), 1)
        assert ("alert.resolved.v1", "checkin_overdue") in types(events)
        assert open_alerts(case) == []
        assert case["alerts"][0]["resolved_by"] == "system"


class TestLostContact:
    def test_two_scheduled_check_ins_in_a_row_missed_raise_lost_contact(self):
        case = active_case()
        events = judge(case, date(2026, 5, 26))  # slot 3 (due 04-10) missed 45 days later
        assert ("alert.raised.v1", "lost_contact") in types(events)

    def test_check_ins_without_contact_count_as_silent(self):
        case = active_case()
        checkin(case, date(2026, 2, 11), 1, contact_made=False, contact_mode=None, scores={}, reason="no answer")
        _, events = checkin(case, date(2026, 4, 11), 3, contact_made=False, contact_mode=None, scores={},
                            reason="phone off")
        assert ("alert.raised.v1", "lost_contact") in types(events)

    def test_contact_made_again_resolves_it(self):
        case = active_case()
        judge(case, date(2026, 5, 26))
        _, events = checkin(case, date(2026, 5, 27), "ad_hoc")
        assert ("alert.resolved.v1", "lost_contact") in types(events)

    def test_a_long_silence_is_one_lost_contact_alert_not_one_per_slot(self):
        case = active_case(arrived=date(2025, 1, 1))
        judge(case, date(2026, 3, 1))  # every slot missed
        assert len([a for a in case["alerts"] if a["type"] == "lost_contact"]) == 1
        assert "1, 3, 6, 9, 12" in open_alerts(case, "lost_contact")[0]["detail"]

    def test_overdue_alerts_of_a_silent_period_are_closed_as_superseded_by_the_lost_contact_alert(self):
        case = active_case()
        judge(case, date(2026, 3, 1))  # slot 1 (due 02-10) overdue: its own alert
        assert [a["slot"] for a in open_alerts(case, "checkin_overdue")] == [1]
        judge(case, date(2026, 5, 26))  # slots 1 and 3 missed: one lost-contact alert for the silence
        assert open_alerts(case, "checkin_overdue") == [] and len(open_alerts(case, "lost_contact")) == 1
        closed = [a for a in case["alerts"] if a["type"] == "checkin_overdue"]
        assert closed and all(a["resolution"].startswith("Superseded by the lost-contact alert") for a in closed)

    def test_one_missed_slot_keeps_its_overdue_alert(self):
        case = active_case()
        judge(case, date(2026, 3, 30))  # slot 1 missed, slot 3 not due yet: no silent period
        assert [a["slot"] for a in open_alerts(case, "checkin_overdue")] == [1]

    def test_one_silent_slot_is_not_lost_contact(self):
        case = active_case()
        checkin(case, date(2026, 2, 11), 1, contact_made=False, contact_mode=None, scores={}, reason="no answer")
        _, events = checkin(case, date(2026, 4, 11), 3)
        assert "lost_contact" not in [d.get("type") for _, d in events]


class TestCheckinAlerts:
    def test_any_domain_scored_one_is_critical(self):
        case = active_case()
        _, events = checkin(case, date(2026, 2, 11), 1, scores={"economic": 1, "housing": 3})
        assert ("alert.raised.v1", "critical_domain") in types(events)
        assert "economic" in open_alerts(case, "critical_domain")[0]["detail"]

    def test_an_index_drop_of_a_quarter_raises_an_alert(self):
        case = active_case()
        checkin(case, date(2026, 2, 11), 1, scores={"economic": 4, "housing": 4})  # 0.75
        _, events = checkin(case, date(2026, 4, 11), 3, scores={"economic": 3, "housing": 3})  # 0.5
        assert ("alert.raised.v1", "index_drop") in types(events)

    def test_a_smaller_drop_does_not(self):
        case = active_case()
        checkin(case, date(2026, 2, 11), 1, scores={"economic": 4, "housing": 4})  # 0.75
        _, events = checkin(case, date(2026, 4, 11), 3, scores={"economic": 4, "housing": 3})  # 0.625
        assert "index_drop" not in [d.get("type") for _, d in events]

    def test_safety_concern_re_migration_and_death_raise_their_alerts(self):
        case = active_case()
        _, events = checkin(case, date(2026, 2, 11), 1, safety_concern=True)
        assert ("alert.raised.v1", "safety_concern") in types(events)
        _, events = checkin(case, date(2026, 3, 1), "ad_hoc", status="re_migrated")
        assert ("alert.raised.v1", "re_migrated") in types(events)
        assert case["state"] == "closed" and case["outcome"] == "re_migrated"
        other = active_case()
        _, events = checkin(other, date(2026, 2, 11), 1, status="deceased")
        assert ("alert.raised.v1", "deceased") in types(events)
        assert ("monitoring.completed.v1", None) in types(events)


class TestHandoverAndArrivalAlerts:
    def test_a_handover_unanswered_for_five_days_raises_then_resolves_on_answer(self):
        case = cases.new_case("rtn_1", "NG", "prt_1")
        case["handover"] = {"id": "hnd_1", "requested_on": "2026-01-01", "answered": False}
        assert judge(case, date(2026, 1, 5)) == []
        assert types(judge(case, date(2026, 1, 6))) == [("alert.raised.v1", "handover_unanswered")]
        assert judge(case, date(2026, 1, 7)) == []
        case["handover"]["answered"] = True
        assert types(judge(case, date(2026, 1, 8))) == [("alert.resolved.v1", "handover_unanswered")]

    def test_arrival_not_confirmed_three_days_after_departure(self):
        case = cases.new_case("rtn_1", "NG", "prt_1")
        case["departed_on"] = "2026-01-01"
        assert judge(case, date(2026, 1, 4)) == []
        assert types(judge(case, date(2026, 1, 5))) == [("alert.raised.v1", "arrival_not_confirmed")]
        cases.start_plan(case, date(2026, 1, 2), RULES)
        assert ("alert.resolved.v1", "arrival_not_confirmed") in types(judge(case, date(2026, 1, 6)))


class TestAlertActions:
    def test_acknowledge_then_resolve(self):
        case = active_case()
        checkin(case, date(2026, 2, 11), 1, safety_concern=True)
        alert_id = open_alerts(case)[0]["id"]
        assert cases.act_on_alert(case, alert_id, "acknowledge", "t1", "c", "") is None
        assert open_alerts(case)[0]["status"] == "acknowledged"
        event = cases.act_on_alert(case, alert_id, "resolve", "t2", "c", "called her")
        assert event[0] == "alert.resolved.v1" and open_alerts(case) == []
        with pytest.raises(cases.Rejected) as err:
            cases.act_on_alert(case, alert_id, "resolve", "t3", "c", "")
        assert err.value.status == 409
