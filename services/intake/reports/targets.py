"""Result against target (pure functions over the day table, tallies.py), for the targets of targets.json:

- `future_orientation` (count): clients who entered future orientation in the window ("150 tot 200
  ongedocumenteerden die het traject Toekomstoriëntatie doorlopen hebben"); met when at least `minimum`;
- `considered_choice` (share): of the clients who left future orientation in the window (`left_fo`, each
  client once, the first time), those who left with a choice: a decision to return or an exit other than to
  illegality (`irregular`: lost from view) ("80% ... heeft een weloverwogen keuze gemaakt");
- `return_project` (share): of those choices, the ones for a return project: the decision to return (return
  guidance) or a referral to another return organisation ("In 50% van deze gevallen ... terugkeerproject");
- `departed` (share): of the clients who left the programme from return guidance in the window (`ended_rg`),
  those who returned; referrals on to another return organisation are left out (their departure is not
  Homeward's to know) ("75% ... vertrekt ook daadwerkelijk").
A share target is met when the result reaches it; a share without a denominator is `null` and not met.
"""
from __future__ import annotations

from collections import Counter
from datetime import date

from services.intake import targets as configured
from services.intake.reports.clients import within
from services.intake.reports.labels import labelled
from services.intake.reports.sections import TARGETS

RETURN_PROJECTS = ("return_guidance", "other_return_organisation")


def _family(counters, prefix: str) -> dict[str, int]:
    return {key[len(prefix):]: n for key, n in counters.items()
            if key.startswith(prefix) and "~" not in key and n}


def results(window) -> dict:
    """{name: (numerator, denominator or None for a count)} over a window's counters."""
    left, ended = _family(window, "left_fo:"), _family(window, "ended_rg:")
    chosen = sum(n for how, n in left.items() if how != "irregular")
    ends = sum(n for how, n in ended.items() if how != "other_return_organisation")
    return {"future_orientation": (window["entered:future_orientation"], None),
            "considered_choice": (chosen, sum(left.values())),
            "return_project": (sum(left.get(how, 0) for how in RETURN_PROJECTS), chosen),
            "departed": (ended.get("returned", 0), ends)}


def counters_of(clients, start: date, end: date) -> Counter:
    """The counters `results` reads, from the clients themselves (the reference the day table must equal)."""
    out = Counter()
    for c in clients:
        out["entered:future_orientation"] += within(c.entered("future_orientation"), start, end)
        for prefix, moment in (("left_fo:", c.left("future_orientation")), ("ended_rg:", c.ended_from("return_guidance"))):
            if moment and within(moment[0], start, end):
                out[prefix + moment[1]] += 1
    return out


def row(name: str, target: dict, result: tuple[int, int | None]) -> dict:
    numerator, denominator = result
    if "share" not in target:
        return {"target": name, "kind": "count", "result": numerator, "minimum": target.get("minimum"),
                "maximum": target.get("maximum"), "met": numerator >= (target.get("minimum") or 0)}
    share = round(numerator / denominator, 3) if denominator else None
    return {"target": name, "kind": "share", "result": share, "numerator": numerator, "denominator": denominator,
            "share": target["share"], "met": share is not None and numerator >= target["share"] * denominator}


def against(table, year: int, end: date, quarter: int | None = None, path: str = "", clients=()) -> dict:
    """The period's targets (the quarter's if set, else the year's) with the results from the period's start
    (the quarter's or 1 January) to `end`; from the day table, or (`table` None) from `clients`."""
    period, targets = configured.for_period(year, quarter, path)
    start = date(year, 3 * quarter - 2, 1) if "-Q" in period else date(year, 1, 1)
    found = results(table.window(start, end) if table is not None else counters_of(clients, start, end))
    return {"period": period, "from": start.isoformat(), "to": end.isoformat(),
            "rows": [{**row(name, targets[name], found[name]), "label": labelled(TARGETS)[name]}
                     for name in configured.NAMES if name in targets]}
