"""Every alert rule, slot judgement and check-in rule of the monitoring case, on plain dicts."""
from datetime import date, timedelta
from itertools import count

import pytest

from services.monitoring.domain import case as cases
from services.monitoring.domain.schedule import Rules
from services.monitoring.domain.scoring import SCHEMES

RULES = Rules()
SCHEME = SCHEMES["2026.1"]
ARRIVED = date(2026, 1, 10)
_ids = count()


def new_id(prefix):
    return f"{prefix}_{next(_ids):04d}"


def active_case(arrived=ARRIVED):
    case = cases.new_case("rtn_1", "NG", "prt_1")
    cases.start_plan(case, arrived, RULES)
    return case


def judge(case, day):
    return cases.evaluate(case, day, f"{day}T12:00:00Z", RULES, new_id)


def checkin(case, day, slot, **fields):
    data = {"returnee_id": "rtn_1", "slot": slot, "contact_date": day.isoformat(), "contact_made": True,
            "contact_mode": "phone", "scores": {"economic": 4, "housing": 4, "social": 4, "health": 4,
                                                "resilience": 4},
            "safety_concern": False, "status": "in_country", "support_delivered": [], "notes": "",
            "reason": None, "supersedes": None}
    data.update(fields)
    return cases.record_checkin(case, data, day, f"{day}T12:00:00Z", RULES, SCHEME, new_id,
                                {"role": "partner", "org": "prt_1"})


def types(events):
    return [(t, d.get("type")) for t, d in events]


def open_alerts(case, type_=None):
    return [a for a in case["alerts"] if a["status"] != "resolved" and (type_ is None or a["type"] == type_)]


class TestSlotJudgement:
    def test_slots_move_from_scheduled_to_due_to_overdue_to_missed(self):
        case = active_case()
        first_due = date(2026, 2, 10)
        judge(case, first_due - timedelta(days=1))
        assert case["slots"][0]["status"] == "scheduled"
        judge(case, first_due)
        assert case["slots"][0]["status"] == "due"
        judge(case, first_due + timedelta(days=14))
        assert case["slots"][0]["status"] == "overdue"
        judge(case, first_due + timedelta(days=45))
        assert case["slots"][0]["status"] == "missed"

    def test_a_plan_for_an_arrival_in_the_past_has_its_past_slots_judged_at_once(self):
        case = active_case(arrived=date(2025, 1, 1))
        judge(case, date(2025, 7, 5))
        assert [s["status"] for s in case["slots"]] == ["missed", "missed", "due", "scheduled", "scheduled"]

    def test_next_check_on_is_the_next_boundary_of_an_open_slot(self):
        case = active_case()
        judge(case, date(2026, 1, 20))
        assert case["next_check_on"] == "2026-02-07"  # the reminder, three days before the first due date
        judge(case, date(2026, 2, 7))
        assert case["next_check_on"] == "2026-02-10"


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


class TestRecordingCheckins:
    def test_a_check_in_completes_its_slot_and_stores_index_and_scheme(self):
        case = active_case()
        stored, _ = checkin(case, date(2026, 2, 11), 1)
        assert case["slots"][0]["status"] == "completed"
        assert stored["index"] == 0.75 and stored["scheme_version"] == "2026.1"
        assert case["latest_index"] == 0.75

    def test_a_second_check_in_for_a_completed_slot_is_a_conflict(self):
        case = active_case()
        checkin(case, date(2026, 2, 11), 1)
        with pytest.raises(cases.Rejected) as err:
            checkin(case, date(2026, 2, 12), 1)
        assert err.value.status == 409

    def test_a_correction_supersedes_the_first_and_both_are_kept(self):
        case = active_case()
        first, _ = checkin(case, date(2026, 2, 11), 1, scores={"economic": 1})
        second, events = checkin(case, date(2026, 2, 11), 1, scores={"economic": 5}, supersedes=first["id"])
        assert len(case["checkins"]) == 2
        assert first["superseded_by"] == second["id"]
        assert case["slots"][0]["checkin_id"] == second["id"]
        assert case["latest_index"] == 1.0
        assert ("alert.resolved.v1", "critical_domain") in types(events)

    @pytest.mark.parametrize("day,slot,field", [
        (date(2026, 1, 9), 1, "contact_date"),    # before arrival
        (date(2026, 2, 11), 2, "slot"),           # no such slot
    ])
    def test_impossible_check_ins_are_rejected_with_the_field(self, day, slot, field):
        case = active_case()
        with pytest.raises(cases.Rejected) as err:
            checkin(case, day, slot)
        assert err.value.status == 422 and field in err.value.errors

    def test_a_contact_date_in_the_future_is_rejected(self):
        case = active_case()
        data_day = date(2026, 2, 11)
        with pytest.raises(cases.Rejected) as err:
            cases.record_checkin(case, {"returnee_id": "rtn_1", "slot": 1, "contact_date": "2026-02-12",
                                        "contact_made": True, "scores": {}}, data_day, "now", RULES, SCHEME,
                                 new_id, {})
        assert "contact_date" in err.value.errors

    def test_no_check_in_before_arrival_is_confirmed(self):
        case = cases.new_case("rtn_1", "NG", "prt_1")
        with pytest.raises(cases.Rejected) as err:
            checkin(case, date(2026, 2, 11), 1)
        assert err.value.status == 409

    def test_ad_hoc_check_ins_are_allowed_any_number_of_times(self):
        case = active_case()
        checkin(case, date(2026, 1, 20), "ad_hoc")
        checkin(case, date(2026, 1, 25), "ad_hoc")
        assert len(case["checkins"]) == 2 and all(s["checkin_id"] is None for s in case["slots"])


class TestCompletion:
    def test_monitoring_completes_after_the_twelve_month_check_in(self):
        case = active_case()
        for slot, due in [(1, "2026-02-10"), (3, "2026-04-10"), (6, "2026-07-10"), (9, "2026-10-10")]:
            checkin(case, date.fromisoformat(due), slot)
        _, events = checkin(case, date(2027, 1, 10), 12)
        assert ("monitoring.completed.v1", None) in types(events)
        assert case["state"] == "completed" and cases.summary(case)["next_due_on"] is None

    def test_or_when_the_last_slot_is_missed(self):
        case = active_case()
        events = judge(case, date(2027, 3, 1))
        assert ("monitoring.completed.v1", None) in types(events)


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


class TestRescoring:
    def test_rescoring_keeps_the_old_values_traceable(self):
        case = active_case()
        checkin(case, date(2026, 2, 11), 1, scores={"economic": 5, "housing": 1})
        strict = type(SCHEME)("2027.1", {"economic": {"economic": 1}})
        assert cases.rescore(case, strict, "now") == 1
        stored = case["checkins"][0]
        assert stored["scheme_version"] == "2027.1"
        assert stored["score_history"][0]["scheme_version"] == "2026.1"
        assert stored["rss"]["economic"] == 1.0
        assert cases.rescore(case, strict, "later") == 0


class TestCorrectionFlag:
    def test_correction_true_supersedes_the_slots_current_check_in(self):
        case = active_case()
        first, _ = checkin(case, date(2026, 2, 11), 1, scores={"economic": 2})
        second, _ = checkin(case, date(2026, 2, 11), 1, scores={"economic": 4}, correction=True)
        assert second["supersedes"] == first["id"] and first["superseded_by"] == second["id"]
        assert "correction" not in second

    def test_a_correction_of_an_empty_slot_is_rejected(self):
        case = active_case()
        with pytest.raises(cases.Rejected) as err:
            checkin(case, date(2026, 2, 11), 1, correction=True)
        assert err.value.status == 422 and "correction" in err.value.errors


class TestReminders:
    def test_one_reminder_three_days_before_a_check_in_falls_due(self):
        case = active_case()
        assert judge(case, date(2026, 2, 6)) == []
        assert types(judge(case, date(2026, 2, 7))) == [("checkin.reminder_due.v1", None)]
        assert judge(case, date(2026, 2, 8)) == []

    def test_no_reminder_for_a_slot_already_due_or_done(self):
        late = active_case(arrived=date(2025, 1, 1))
        assert "checkin.reminder_due.v1" not in [t for t, _ in judge(late, date(2025, 2, 1))]
        done = active_case()
        checkin(done, date(2026, 2, 1), 1)
        assert "checkin.reminder_due.v1" not in [t for t, _ in judge(done, date(2026, 2, 8))]
