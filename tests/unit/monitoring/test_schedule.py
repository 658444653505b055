from datetime import date

import pytest

from services.monitoring.domain.schedule import Rules, due_dates, next_change, slot_status

RULES = Rules()


class TestDueDates:
    def test_check_ins_fall_due_one_three_six_nine_and_twelve_months_after_arrival(self):
        assert due_dates(date(2026, 1, 15)) == [
            (1, date(2026, 2, 15)), (3, date(2026, 4, 15)), (6, date(2026, 7, 15)),
            (9, date(2026, 10, 15)), (12, date(2027, 1, 15))]

    def test_arrival_on_the_31st_falls_back_to_the_last_day_of_shorter_months(self):
        assert dict(due_dates(date(2026, 1, 31))) == {
            1: date(2026, 2, 28), 3: date(2026, 4, 30), 6: date(2026, 7, 31), 9: date(2026, 10, 31),
            12: date(2027, 1, 31)}

    def test_leap_years_give_the_29th_of_february(self):
        assert dict(due_dates(date(2028, 1, 29)))[1] == date(2028, 2, 29)
        assert dict(due_dates(date(2027, 2, 28)))[12] == date(2028, 2, 28)
        assert dict(due_dates(date(2028, 2, 29)))[12] == date(2029, 2, 28)

    def test_months_are_configurable(self):
        assert [m for m, _ in due_dates(date(2026, 5, 1), (2, 4))] == [2, 4]


class TestSlotStatus:
    due = date(2026, 6, 1)

    @pytest.mark.parametrize("today,expected", [
        (date(2026, 5, 31), "scheduled"),
        (date(2026, 6, 1), "due"),
        (date(2026, 6, 14), "due"),
        (date(2026, 6, 15), "overdue"),
        (date(2026, 7, 15), "overdue"),
        (date(2026, 7, 16), "missed"),
    ])
    def test_a_slot_is_due_on_its_date_overdue_after_14_days_and_missed_after_45(self, today, expected):
        assert slot_status(self.due, today, False, RULES) == expected

    def test_a_slot_with_its_check_in_is_completed_whatever_the_day(self):
        assert slot_status(self.due, date(2027, 1, 1), True, RULES) == "completed"

    def test_the_next_change_is_the_next_boundary(self):
        assert next_change(self.due, date(2026, 5, 1), RULES) == self.due
        assert next_change(self.due, date(2026, 6, 1), RULES) == date(2026, 6, 15)
        assert next_change(self.due, date(2026, 6, 20), RULES) == date(2026, 7, 16)
        assert next_change(self.due, date(2026, 8, 1), RULES) is None
