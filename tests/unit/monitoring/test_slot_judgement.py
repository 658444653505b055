"""The monitoring plan judged day by day, on plain dicts: slots move from scheduled to due, overdue and missed, a
reminder goes three days before a check-in falls due, monitoring completes after the last slot."""
from __future__ import annotations

from datetime import date, timedelta

from services.monitoring.domain import case as cases
from tests.unit.monitoring.plain_cases import active_case, checkin, judge, types


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
