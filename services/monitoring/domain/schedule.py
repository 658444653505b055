"""When check-ins are due and what state a slot is in on a given day."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta


@dataclass(frozen=True)
class Rules:
    months: tuple[int, ...] = (1, 3, 6, 9, 12)
    overdue_after_days: int = 14
    missed_after_days: int = 45
    handover_answer_days: int = 5
    arrival_confirm_days: int = 3
    index_drop: float = 0.25
    reminder_days_before: int = 3  # 0: no reminders


def due_dates(arrived_on: date, months=(1, 3, 6, 9, 12)) -> list[tuple[int, date]]:
    """Calendar months after arrival; the 31st falls back to the month's last day (Jan 31 + 1 = Feb 28/29)."""
    return [(m, arrived_on + relativedelta(months=m)) for m in months]


def slot_status(due_on: date, today: date, completed: bool, rules: Rules, go_live_on: date | None = None) -> str:
    """A slot's state on `today`; one that fell due before Homeward's go-live without a check-in is
    `before_homeward` (the old records say nothing of it; no alert is raised for it)."""
    if completed:
        return "completed"
    if go_live_on is not None and due_on < go_live_on:
        return "before_homeward"
    if today < due_on:
        return "scheduled"
    if today < due_on + timedelta(days=rules.overdue_after_days):
        return "due"
    if today < due_on + timedelta(days=rules.missed_after_days):
        return "overdue"
    return "missed"


def next_change(due_on: date, today: date, rules: Rules) -> date | None:
    """The first day after `today` on which an open slot's status changes."""
    for boundary in (due_on, due_on + timedelta(days=rules.overdue_after_days),
                     due_on + timedelta(days=rules.missed_after_days)):
        if boundary > today:
            return boundary
    return None
