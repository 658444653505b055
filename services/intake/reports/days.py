"""The quarterly report's and the programme results' figures from the per-day table of entries and exits
(tallies.py), equal to `quarterly_report` and `programme_results` over every returnee's facts.

A `DayTable` adds up the counters of a window of days: whole months from their totals, the days of a month
a window starts or ends in from that month's days (`load_days(year, month)`, asked only for those).
"""
from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from typing import Callable

from services.intake.reports.targets import against
from services.intake.reports.breakdowns import breakdown
from services.intake.reports.clients import listed_organisations
from services.intake.reports.labels import COLUMNS, MONITORING, PROGRAMME, QUARTERLY, SECTIONS, labelled
from services.intake.reports.monitoring import FIGURES
from services.intake.reports.quarterly import EXIT_FIGURES, quarter_bounds
from services.intake.tallies import STOCKS


class DayTable:
    def __init__(self, months: dict[tuple[int, int], Counter], load_days: Callable[[int, int], dict[int, Counter]]):
        self.months = months  # (year, month) -> the month's counters
        self.load_days = load_days
        self._days: dict[tuple[int, int], dict[int, Counter]] = {}
        self._windows: dict[tuple, Counter] = {}  # a report (and its breakdown's groups) asks for a window again

    def window(self, start: date | None, end: date) -> Counter:
        """Every counter added up over the days `start`..`end` (inclusive; no start: from the beginning)."""
        if (start, end) not in self._windows:
            self._windows[(start, end)] = self._window(start, end)
        return self._windows[(start, end)]

    def _window(self, start: date | None, end: date) -> Counter:
        total = Counter()
        for (year, month), counters in self.months.items():
            first = date(year, month, 1)
            last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
            if first > end or (start and last < start):
                continue
            if (start is None or start <= first) and last <= end:
                total.update(counters)
                continue
            for dom, day_counters in self._days_of(year, month).items():
                if (start is None or date(year, month, dom) >= start) and date(year, month, dom) <= end:
                    total.update(day_counters)
        return total

    def _days_of(self, year: int, month: int) -> dict[int, Counter]:
        if (year, month) not in self._days:
            self._days[(year, month)] = self.load_days(year, month)
        return self._days[(year, month)]


def _family(counters: Counter, prefix: str) -> dict[str, int]:
    """The counters of a family (`again:`, `exit_org:`, ...), not those of a breakdown's group (`~`)."""
    return {key[len(prefix):]: n for key, n in counters.items() if key.startswith(prefix) and "~" not in key and n}


def _flow(window: Counter, upto: Counter, key: str) -> dict:
    return {"period": window[key], "cumulative": upto[key]}


def programme_section(table: DayTable, start: date, end: date, organisations: list[dict] | None) -> dict:
    quarter, upto = table.window(start, end), table.window(None, end)
    figures = {}
    for trajectory in ("future_orientation", "return_guidance"):
        figures[f"in_{trajectory}"] = {"current": upto[f"cur+:{trajectory}"] - upto[f"cur-:{trajectory}"],
                                       "cumulative": upto[f"entered:{trajectory}"]}
    figures["returned"] = _flow(quarter, upto, "returned")
    for reason, name in EXIT_FIGURES.items():
        figures[name] = _flow(quarter, upto, f"exit:{reason}")
    used = set(_family(upto, "exit_org:"))
    if organisations is None:  # a breakdown's group: no referrals per organisation
        return figures
    figures["to_other_return_organisations"]["by_organisation"] = [
        {"organisation": org, "name": name, **_flow(quarter, upto, f"exit_org:{org}")}
        for org, name in listed_organisations(organisations, used)]
    return figures


def monitoring_section(table: DayTable, start: date, end: date) -> dict:
    quarter, upto, before = table.window(start, end), table.window(None, end), table.window(None, start - timedelta(1))
    figures = {}
    for name in FIGURES:
        if name in STOCKS:
            early = sum(n for left, n in _family(quarter, f"{name}:early:").items() if date.fromisoformat(left) < start)
            entered = upto[f"{name}:in"]
            figures[name] = {"period": entered - before[f"{name}:out"] - early, "cumulative": entered,
                             "at_end": entered - upto[f"{name}:out"]}
        else:
            figures[name] = _flow(quarter, upto, f"mon:{name}")
    return figures


def quarterly_from_days(table: DayTable, year: int, quarter: int, organisations: list[dict] = (),
                        place: dict | None = None, by: str | None = None, k: int = 5, targets_file: str = "") -> dict:
    """`quarterly_report`, from the day table; with the targets (year to date, or the quarter's when set) and,
    `by` a dimension, the programme's figures per group."""
    start, end = quarter_bounds(year, quarter)
    return {"targets": against(table, year, end, quarter, targets_file),
            "breakdown": by and breakdown(table, by, end, k, lambda group: programme_section(group, start, end, None)),
            "year": year, "quarter": quarter, "period": {"start": start.isoformat(), "end": end.isoformat()},
            "filter": place or {"office": None, "region": None},
            "programme": programme_section(table, start, end, list(organisations)),
            "figures": monitoring_section(table, start, end),
            "labels": {"sections": labelled(SECTIONS), "columns": labelled(COLUMNS),
                       "programme": labelled(QUARTERLY), "monitoring": labelled(MONITORING)}}


def programme_from_days(table: DayTable, start: date | None, end: date, organisations: list[dict] = (),
                        place: dict | None = None, by: str | None = None, k: int = 5, targets_file: str = "") -> dict:
    """`programme_results`, from the day table; with the targets of `end`'s year (from 1 January to `end`) and,
    `by` a dimension, the figures per group."""
    return {**_programme(table, start, end, organisations, place),
            "targets": against(table, end.year, end, None, targets_file),
            "breakdown": by and breakdown(table, by, end, k,
                                          lambda group: _programme(group, start, end, (), place)["figures"])}


def _programme(table, start: date | None, end: date, organisations, place) -> dict:
    window = table.window(start, end)
    again = sum(n for before, n in _family(window, "again:").items()
                if start is None or date.fromisoformat(before) >= start)
    referred = _family(window, "exit_org:")
    return {
        "from": start.isoformat() if start else None, "to": end.isoformat(),
        "filter": place or {"office": None, "region": None},
        "figures": {
            "enrolled_in_counselling": window["entered:future_orientation"],
            "referred_to_return_guidance": window["decided"] - again,
            "referred_to_other_return_organisations": window["exit:other_return_organisation"],
            "enrolled_in_return_guidance": window["entered:return_guidance"],
            "returned": window["returned"],
            "returned_with_reintegration_support": window["returned_supported"],
        },
        "by_organisation": [{"organisation": org, "name": name, "referred": referred.get(org, 0)}
                            for org, name in listed_organisations(list(organisations), set(referred))],
        "labels": labelled(PROGRAMME),
    }
