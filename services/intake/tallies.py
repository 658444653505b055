"""What one returnee adds to intake's read models, as counters (pure functions).

Counts: `c|office|trajectory|status|country` (and `m|consultant|...` for the consultant who follows the
client) for each returnee not erased. Reports: `d|office|day|figure` for each moment the quarterly report
and the programme results count, on the day it happened (erased returnees too: the reports count them):

- `entered:<trajectory>`, `returned`, `returned_supported`, `exit:<reason>`, `exit_org:<organisation>`,
  `decided` (each decision to return) and `again:<previous decision day>` (a decision after another);
- `cur+:<trajectory>` / `cur-:<trajectory>`: the days the trajectory the client is in changes;
- `clients` on the registration day, `left_fo:<how>` on the first day the client left future orientation
  (`return_guidance` by a decision, else the exit reason) and `ended_rg:<how>` on the day the client left
  the programme from return guidance (`returned` or the exit reason): the targets (reports/targets.py);
- each of those (not monitoring's) once more per group of the breakdowns, `<figure>~<dimension>=<group>`
  (reports/breakdowns.py: country, gender, month of birth, each vulnerability);
- `mon:<figure>` for monitoring's moments (registered, handed over, departed, arrived, completed, lost
  contact, re-migrated), and for its two stocks `<stock>:in` on entering, `<stock>:out` on leaving (on
  entering when the day left is before it) and `<stock>:early:<day left>` for such a day.

A write of a returnee stores, in the same update, the difference between what the returnee added before
and after (`change`); the read models add it up (read_model_repository.py), and the repair rebuilds them
by adding up `contribution` over every returnee. Keys hold no dots: they are field names in the store.
"""
from __future__ import annotations

from collections import Counter
from typing import Iterable

from services.intake import offices
from services.intake.domain import DEFAULT_TRAJECTORY
from services.intake.reports.clients import client
from services.intake.reports.monitoring import moments

NONE = "-"  # the office of a returnee without one
FLOWS = ("registered", "handed_over", "departed", "arrived", "monitoring_completed", "lost_contact", "re_migrated")
UNBROKEN = ("mon:", "in_return_guidance:", "in_monitoring:", "exit_org:")  # figures without breakdowns
STOCKS = {"in_return_guidance": ("registered", "left_guidance"), "in_monitoring": ("arrived", "monitoring_ended")}


def cell(returnee: dict) -> str:
    """`office|trajectory|status|country` of a returnee, as the counts group it."""
    return "|".join((returnee.get("office") or NONE, returnee.get("trajectory") or DEFAULT_TRAJECTORY,
                     returnee["status"], returnee["country_of_return"]))


def contribution(returnee: dict) -> Counter:
    """Everything one returnee adds to the read models."""
    added = Counter()
    if not returnee.get("erased"):
        added[f"c|{cell(returnee)}"] += 1
        if returnee.get("consultant"):
            added[f"m|{returnee['consultant']}|{cell(returnee)}"] += 1
    office = returnee.get("office") or NONE
    groups = [f"~{dimension}={group}" for dimension, of in client(returnee).profile for group in of]
    for day, figure in _moments(returnee):
        added[f"d|{office}|{day.isoformat()}|{figure}"] += 1
        if not figure.startswith(UNBROKEN):
            for group in groups:
                added[f"d|{office}|{day.isoformat()}|{figure}{group}"] += 1
    return added


def change(before: dict | None, after: dict | None) -> dict:
    """The counters to add when a returnee goes from `before` to `after` (None: not stored), zeros left out."""
    diff = Counter(contribution(after) if after else {})
    diff.subtract(contribution(before) if before else {})
    return {key: n for key, n in diff.items() if n}


def _moments(returnee: dict):
    c = client(returnee)
    for trajectory in ("future_orientation", "return_guidance"):
        if c.entered(trajectory):
            yield c.entered(trajectory), f"entered:{trajectory}"
    if c.returned:
        yield c.returned, "returned"
        if c.supported:
            yield c.returned, "returned_supported"
    if c.exited and c.exit_reason:
        yield c.exited, f"exit:{c.exit_reason}"
        if c.exit_reason == "other_return_organisation" and c.organisation:
            yield c.exited, f"exit_org:{c.organisation}"
    yield c.registered, "clients"
    if c.left("future_orientation"):
        left, how = c.left("future_orientation")
        yield left, f"left_fo:{how}"
    if c.ended_from("return_guidance"):
        ended, how = c.ended_from("return_guidance")
        yield ended, f"ended_rg:{how}"
    decisions = sorted(c.decisions_to_return())
    for at, decided in enumerate(decisions):
        yield decided, "decided"
        if at:
            yield decided, f"again:{decisions[at - 1].isoformat()}"
    yield from _trajectory_changes(c)
    m = moments(returnee)
    m["left_guidance"] = m["departed"] or m["exited"]
    for figure in FLOWS:
        if m[figure]:
            yield m[figure], f"mon:{figure}"
    for stock, (entered, left) in STOCKS.items():
        yield from _stock(stock, m[entered], m[left])


def _trajectory_changes(c):
    """The days on which the trajectory the client is in (`Client.trajectory_on`) changes, and how."""
    days = sorted({c.registered, *(start for _, start in c.trajectories), *([c.ended] if c.ended else [])})
    current = None
    for day in days:
        now = c.trajectory_on(day)
        if now != current:
            if current:
                yield day, f"cur-:{current}"
            if now:
                yield day, f"cur+:{now}"
            current = now


def _stock(stock: str, entered, left):
    if not entered:
        return
    yield entered, f"{stock}:in"
    if left is not None and left >= entered:
        yield left, f"{stock}:out"
    elif left is not None:
        yield entered, f"{stock}:out"
        yield entered, f"{stock}:early:{left.isoformat()}"


def after(doc: dict, changes: dict, step: dict | None = None) -> dict:
    """A returnee as a write leaves it: `changes` set (dotted names inside their parent), `step` appended."""
    out = dict(doc)
    for name, value in changes.items():
        target = out
        *parents, leaf = name.split(".")
        for parent in parents:
            target[parent] = dict(target.get(parent) or {})
            target = target[parent]
        target[leaf] = value
    if step:
        out["history"] = [*(out.get("history") or []), step]
    return out


def without(doc: dict, fields: Iterable[str]) -> dict:
    """A returnee with `fields` removed (dotted names inside their parent), as `$unset` leaves it."""
    out = dict(doc)
    for name in fields:
        parent, _, leaf = name.rpartition(".")
        if parent and isinstance(out.get(parent), dict):
            out[parent] = {k: v for k, v in out[parent].items() if k != leaf}
        elif not parent:
            out.pop(name, None)
    return out


# --- where the counters live ------------------------------------------------------------------------------

def places(key: str, n: int) -> list[tuple[str, str, int]]:
    """(read model id, field path, n) for one counter: counts in `counts` (and `counts:<consultant>`), days in
    `days:<scope>:<year>` (a breakdown group's in `groups:<scope>:<year>-<month>`) as the month's total and the
    day's, for the office, its region and the programme (`scopes`: a report reads the day table of its own
    scope, however many offices it spans)."""
    kind, rest = key.split("|", 1)
    if kind == "c":
        return [("counts", f"cells.{rest}", n)]
    if kind == "m":
        consultant, rest = rest.split("|", 1)
        return [(f"counts:{consultant}", f"cells.{rest}", n)]
    office, day, figure = rest.split("|", 2)
    year, month, dom = day.split("-")
    # a breakdown group's counter: read only by a report with a breakdown, a document a month (many more of them)
    group = "~" in figure
    return [(f"groups:{scope}:{year}-{month}" if group else f"days:{scope}:{year}", path, n)
            for scope in scopes(office) for path in (f"months.{month}.{figure}", f"days.{month}.{dom}.{figure}")]


def scopes(office: str) -> list[str]:
    """The day tables a returnee of `office` counts in: the office's, its region's (`~<region>`) and the whole
    programme's (`*`)."""
    region = offices.region_of(office if office != NONE else None)
    return [office, *([f"~{region}"] if region else []), "*"]


def scope(office: str | None, region: str | None) -> str:
    """The day table a report of one office, one region or (neither) the whole programme reads."""
    return office or (f"~{region}" if region else "*")


def counts_from(cells: dict, filters: dict) -> dict:
    """`{total, by_status, by_country}` from the cells of a counts read model, for `office` and `trajectory`."""
    by_status, by_country = Counter(), Counter()
    for key, n in (cells or {}).items():
        office, trajectory, status, country = key.split("|")
        if n <= 0 or (filters.get("office") and office != filters["office"]) or \
                (filters.get("trajectory") and trajectory != filters["trajectory"]):
            continue
        by_status[status] += n
        by_country[country] += n
    return {"total": sum(by_status.values()), "by_status": dict(sorted(by_status.items())),
            "by_country": dict(sorted(by_country.items()))}
