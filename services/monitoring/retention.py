"""Retention of check-in notes: the free text a partner wrote about a contact is blanked
`NOTES_RETENTION_DAYS` after that contact; scores, dates and support delivered stay for the outcomes.

A periodic job of the monitoring worker (see bootstrap); separate from the insights on purpose."""
from __future__ import annotations

from datetime import timedelta

from services.monitoring.domain import history as histories
from services.monitoring.handlers import Deps, mutate

DEFAULT_NOTES_RETENTION_DAYS = 540  # the monitoring year and the half year guidance may run on after it


def blank_old_notes(deps: Deps, days: int) -> int:
    """Blank the notes (and free-text reasons) of check-ins with a contact more than `days` ago; returns
    how many cases changed."""
    day = deps.clock.today() - timedelta(days=days)
    before = day.isoformat()

    def change(case, new_id):
        histories.restore(case, deps.repo.history(case))  # old notes in the history too (moved out again)
        for checkin in case["checkins"]:
            if checkin["contact_date"] < before:
                checkin["notes"] = ""
                checkin["reason"] = None if checkin.get("reason") is None else ""
        return []

    returnee_ids = deps.repo.ids_with_notes_before(day)
    for returnee_id in returnee_ids:
        mutate(deps, returnee_id, change)
    return len(returnee_ids)
