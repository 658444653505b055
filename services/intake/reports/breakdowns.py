"""Breakdowns of the reports' programme figures by country of return, gender, age band and vulnerability, from
the day table's counters per group (`<figure>~<dimension>=<group>`, tallies.py), with the small-cell
suppression of monitoring's outcome tables (shared/suppression.py).

A group's size is the number of its clients registered on or before the report period's end (the counter
`clients`); a group of fewer than `k` shows no figures, and, where the groups partition the clients (country,
gender, age band), more groups are hidden until the hidden ones hold at least `k`. Vulnerability groups
overlap (a client in several, `none` without any): only the small ones are hidden. The age band is the age at
the period's end, from the month of birth (exact on a month's last day, as a quarter's); `unknown` without a
date of birth, as after erasure (an erased client keeps counting in every total, under `unknown`).
"""
from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Callable

from shared.suppression import hidden_cell, suppressed_groups

DIMENSIONS = ("country", "gender", "age_band", "vulnerability")
AGE_BANDS = ((0, "0-17"), (18, "18-24"), (25, "25-34"), (35, "35-49"), (50, "50-64"), (65, "65+"))  # from age
UNKNOWN = "unknown"
_COUNTED_AS = {"age_band": "born"}  # the dimension the counters hold


def age_band(born: str, end: date) -> str:
    """The age band on `end` of a client born in the month `born` (`YYYY-MM`, or `unknown`)."""
    if born == UNKNOWN:
        return UNKNOWN
    year, month = (int(part) for part in born.split("-"))
    age = end.year - year - (month > end.month)
    return [band for lowest, band in AGE_BANDS if age >= lowest][-1] if age >= 0 else UNKNOWN


def group_of(dimension: str, end: date) -> Callable[[str], str]:
    return (lambda born: age_band(born, end)) if dimension == "age_band" else (lambda group: group)


class Slice:
    """A day table seen through one group: `window` answers the group's counters under the whole's names."""

    def __init__(self, table, dimension: str, group: str, end: date):
        self.table, self.group, self.prefix = table, group, f"~{_COUNTED_AS.get(dimension, dimension)}="
        self.of = group_of(dimension, end)

    def window(self, start: date | None, end: date) -> Counter:
        out = Counter()
        for key, n in self.table.window(start, end).items():
            figure, _, group = key.partition(self.prefix)
            if group and self.of(group) == self.group:
                out[figure] += n
        return out


def sizes(table, dimension: str, end: date) -> Counter:
    """Clients per group, registered on or before `end`."""
    prefix, of = f"clients~{_COUNTED_AS.get(dimension, dimension)}=", group_of(dimension, end)
    out = Counter()
    for key, n in table.window(None, end).items():
        if key.startswith(prefix) and n:
            out[of(key[len(prefix):])] += n
    return out


def breakdown(table, dimension: str, end: date, k: int, figures: Callable) -> dict:
    """`{by, k, rows}`: per group (by code) its `clients` and `figures(slice)`, or hidden and why."""
    counts = sizes(table, dimension, end)
    hide = suppressed_groups(counts, k, overlapping=dimension == "vulnerability")
    rows = [{"group": group, **hidden_cell(counts[group], k)} if group in hide else
            {"group": group, "suppressed": False, "clients": counts[group],
             "figures": figures(Slice(table, dimension, group, end))}
            for group in sorted(counts)]
    return {"by": dimension, "k": k, "rows": rows}


def breakdown_of(clients: list, dimension: str, end: date, k: int, figures: Callable) -> dict:
    """`breakdown` from the clients themselves (the reference the day table must equal)."""
    counted, of = _COUNTED_AS.get(dimension, dimension), group_of(dimension, end)
    members: dict[str, list] = {}
    for c in clients:
        if c.registered <= end:
            for group in {of(g) for d, groups in c.profile if d == counted for g in groups}:
                members.setdefault(group, []).append(c)
    counts = Counter({group: len(of_group) for group, of_group in members.items()})
    hide = suppressed_groups(counts, k, overlapping=dimension == "vulnerability")
    return {"by": dimension, "k": k,
            "rows": [{"group": group, **hidden_cell(counts[group], k)} if group in hide else
                     {"group": group, "suppressed": False, "clients": counts[group], "figures": figures(members[group])}
                     for group in sorted(counts)]}
