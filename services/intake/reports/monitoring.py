"""Homeward's monitoring figures: the quarterly report's second section, what Homeward itself follows
(pure function over returnees).

Each figure counts returnees whose moment (registration, first handover, departure, arrival,
completion, lost contact, re-migration) falls in the quarter (`period`) or on or before its last
day (`cumulative`); a confirmed arrival without a recorded departure counts as departed on the arrival
day (once: a departure recorded later, never after the arrival, takes its place). Stocks (in return
guidance, in monitoring) also give `at_end`: how many were in that phase on the quarter's last day,
and `period`: how many were in it at any time in the quarter.
Here `in_return_guidance` is Homeward's caseload before departure: registered (in either trajectory)
and neither departed nor exited; the programme's own figure of that name is in `quarterly.py`.
"""
from __future__ import annotations

from datetime import date

from services.intake.reports.clients import day as _day

FIGURES = ("registered", "in_return_guidance", "handed_over", "departed", "arrived", "in_monitoring",
           "monitoring_completed", "lost_contact", "re_migrated")


def moments(returnee: dict) -> dict:
    """When each step happened for one returnee (None when it has not)."""
    history = returnee.get("history") or []

    def first(status):
        return next((_day(step["at"]) for step in history if step["status"] == status), None)

    outcomes = returnee.get("outcomes") or {}
    ended = first("monitoring_completed") or first("closed")
    return {"registered": _day(returnee.get("registered_on")) or _day(returnee.get("created_at")),
            "handed_over": first("handover_requested"),
            "departed": _day(returnee.get("departed_on")) or _day(returnee.get("arrived_on")),
            "exited": _day((returnee.get("exit") or {}).get("exited_on")),
            "arrived": _day(returnee.get("arrived_on")), "monitoring_completed": first("monitoring_completed"),
            "monitoring_ended": ended, "lost_contact": _day(outcomes.get("lost_contact_on")),
            "re_migrated": _day(outcomes.get("re_migrated_on"))}


def monitoring_figures(returnees: list[dict], start: date, end: date) -> dict:
    figures = {name: {"period": 0, "cumulative": 0} for name in FIGURES}
    figures["in_return_guidance"]["at_end"] = 0
    figures["in_monitoring"]["at_end"] = 0
    for returnee in returnees:
        m = moments(returnee)
        for name in ("registered", "handed_over", "departed", "arrived", "monitoring_completed", "lost_contact",
                     "re_migrated"):
            if m[name] and m[name] <= end:
                figures[name]["cumulative"] += 1
                figures[name]["period"] += m[name] >= start
        _stock(figures["in_return_guidance"], m["registered"], m["departed"] or m["exited"], start, end)
        _stock(figures["in_monitoring"], m["arrived"], m["monitoring_ended"], start, end)
    return figures


def _stock(figure: dict, entered: date | None, left: date | None, start: date, end: date) -> None:
    if not entered or entered > end:
        return
    figure["cumulative"] += 1
    if left is None or left >= start:
        figure["period"] += 1
    if left is None or left > end:
        figure["at_end"] += 1

