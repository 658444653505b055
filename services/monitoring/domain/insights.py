"""Country insights for counselling, with small-cell suppression (pure functions over cases).

The figures are computed from running totals, so they can be kept incrementally: each returnee
contributes a small summary of their effective check-ins (`contribution`), a change of that summary
is a set of counter increments (`increments`), and the totals of a country are the sum of its
returnees' increments, kept per region (a returnee belongs to one region, so the country's totals
are the regions' sum). `country_insight` over all cases and the stored running totals go through the
same `insight_from_totals`.

Suppression: a group of fewer than `k` returnees shows no figures. Where groups partition a shown
total (regions of a country, rows of an outcome table), complementary suppression hides more
groups until the hidden ones together hold at least `k` returnees, so no hidden figure can be
recovered by subtracting the shown ones from the total. Every hidden cell says why
(`suppressed_reason`): `small_group` (fewer than `k` itself), `protects_other` (large enough, hidden
so that a smaller group cannot be worked out) or `only_region` (a country's only region, whose
figures would be the country's and say where everyone went). The rule is shared/suppression.py's.

Means are exact: scores are integers summed as integers, and the latest index (rounded to 4 places
by the scoring scheme) is summed in ten-thousandths, so a mean does not drift with the order of
updates. An erased returnee contributes nothing.
"""
from __future__ import annotations

from fractions import Fraction
from hashlib import blake2b
from urllib.parse import quote, unquote

from services.monitoring.domain.case import effective_checkins
from services.monitoring.domain.history import tally_of
from services.monitoring.vocabulary import DOMAINS
from shared.suppression import hidden_cell, suppress_partition  # the rule, shared with intake's breakdowns

INDEX_SCALE = 10_000  # the scheme rounds the index to 4 places
UNKNOWN_REGION = "unknown"


# --- one returnee's contribution ---------------------------------------------------------------------

def contribution(case: dict) -> dict | None:
    """What one returnee adds to their country's totals; None without effective check-ins (or erased).
    The check-ins the case moved to its history count through the case's tally of them."""
    if case.get("erased"):
        return None
    whole = tally_of(effective_checkins(case), case.get("history"))
    if not whole["checkins"]:
        return None
    index = case.get("latest_index")
    return {"region": case.get("region") or UNKNOWN_REGION, "checkins": whole["checkins"],
            "slots": {slot: {d: v for d, v in cell.items() if d in DOMAINS} for slot, cell in whole["slots"].items()},
            "safety": whole["safety"] > 0, "support": sorted(t for t, n in whole["support"].items() if n),
            "index": None if index is None else round(index * INDEX_SCALE), "last_contact": whole["last_contact"]}


def fingerprint(data: dict | None) -> str:
    """A short digest of a contribution ("" for none): tells whether a returnee's data changed."""
    if data is None:
        return ""
    return blake2b(repr(_canonical(data)).encode(), digest_size=8).hexdigest()


def _canonical(value):
    if isinstance(value, dict):
        return tuple(sorted((k, _canonical(v)) for k, v in value.items()))
    if isinstance(value, (list, tuple)):
        return tuple(_canonical(v) for v in value)
    return value


def field_key(name) -> str:
    """A name as a field name of the store: no dots, no dollars (reversed by `unquote`)."""
    return quote(str(name), safe="").replace(".", "%2E")


def increments(data: dict | None, sign: int = 1) -> dict:
    """The counter increments (dotted paths below the totals) that add (`sign=1`) or remove a contribution."""
    if data is None:
        return {}
    group = field_key(data["region"])
    out = {f"{group}.returnees": sign, f"{group}.checkins": sign * data["checkins"],
           f"{group}.safety": sign * int(data["safety"]), f"{group}.contacts.{data['last_contact'][:7]}": sign}
    indexed = data["index"] is not None
    if indexed:
        out[f"{group}.index_sum"] = sign * data["index"]
        out[f"{group}.index_n"] = sign
    for slot, scores in data["slots"].items():
        cell = f"{group}.slots.{field_key(slot)}"
        out[f"{cell}.returnees"] = sign
        for domain, (total, count) in scores.items():
            out[f"{cell}.scores.{domain}.sum"] = sign * total
            out[f"{cell}.scores.{domain}.n"] = sign * count
    for type_ in data["support"]:
        cell = f"{group}.support.{field_key(type_)}"
        out[f"{cell}.returnees"] = sign
        if indexed:
            out[f"{cell}.index_sum"] = sign * data["index"]
            out[f"{cell}.index_n"] = sign
    return out


def delta(old: dict | None, new: dict | None) -> dict:
    """The increments that turn totals holding `old` into totals holding `new` (zeros left out)."""
    out = increments(old, -1)
    for path, value in increments(new).items():
        out[path] = out.get(path, 0) + value
    return {path: value for path, value in out.items() if value}


def apply_increments(totals: dict, incs: dict) -> dict:
    """Add dotted-path increments to nested totals in place, as the store's `$inc` does; returns them."""
    for path, value in incs.items():
        *parents, leaf = path.split(".")
        node = totals
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = node.get(leaf, 0) + value
    return totals


def calendar_increments(data: dict | None, sign: int = 1) -> dict:
    """A contribution's latest contact in its group's calendar: `{"group/YYYY-MM": {"DD": sign}}`.

    The totals count latest contacts per month; the days of a month are kept apart (one small
    calendar page per group and month), so the totals do not grow with every day of history."""
    if data is None:
        return {}
    day = data["last_contact"]
    return {f"{field_key(data['region'])}/{day[:7]}": {day[8:]: sign}}


def calendar_delta(old: dict | None, new: dict | None) -> dict:
    out: dict = {}
    for data, sign in ((old, -1), (new, 1)):
        for page, days in calendar_increments(data, sign).items():
            for day, n in days.items():
                out.setdefault(page, {})[day] = out.get(page, {}).get(day, 0) + n
    return {page: kept for page, days in out.items() if (kept := {d: n for d, n in days.items() if n})}


def totals_of_contributions(contributions) -> tuple[dict, dict]:
    """The totals and calendar of a set of contributions, from scratch (full recomputation, repair)."""
    totals: dict = {}
    calendar: dict = {}
    for data in contributions:
        apply_increments(totals, increments(data))
        for page, days in calendar_increments(data).items():
            apply_increments(calendar.setdefault(page, {}), days)
    return totals, calendar


def latest_pages(totals: dict) -> list[str]:
    """The calendar pages that hold each live group's latest contact (its latest month with contacts)."""
    pages = []
    for group, cell in totals.items():
        months = [m for m, n in (cell.get("contacts") or {}).items() if n > 0]
        if cell.get("returnees", 0) > 0 and months:
            pages.append(f"{group}/{max(months)}")
    return pages


# --- figures from totals -----------------------------------------------------------------------------

def _r(value: float | None, places: int = 3) -> float | None:
    return None if value is None else round(value, places)


def _mean(total: int, count: int, scale: int = 1):
    """The exact mean, as `statistics.mean` gives it: an int for whole means of ints, else a float."""
    if not count:
        return None
    value = Fraction(total, count * scale)
    return int(value) if scale == 1 and value.denominator == 1 else float(value)


def _merge(into: dict, other: dict) -> dict:
    for key, value in other.items():
        if isinstance(value, dict):
            _merge(into.setdefault(key, {}), value)
        else:
            into[key] = into.get(key, 0) + value
    return into


def _live(cells: dict | None) -> dict:
    """Cells that still hold returnees (counters that went back to zero stay stored)."""
    return {unquote(key): cell for key, cell in (cells or {}).items() if cell.get("returnees", 0) > 0}


def _slot_order(item) -> tuple:
    slot = item[0]
    return slot == "ad_hoc", int(slot) if slot.isdigit() else 0


def _score(cell: dict, domain: str) -> tuple[int, int]:
    score = (cell.get("scores") or {}).get(domain) or {}
    return score.get("sum", 0), score.get("n", 0)


def figures(group: dict, k: int, latest_contact: str | None) -> dict:
    """The counselling figures of a group's totals, the group already known to hold at least `k` returnees."""
    slots = {}
    overall = {d: [0, 0] for d in DOMAINS}
    for slot, cell in sorted(_live(group.get("slots")).items(), key=_slot_order):
        for domain in DOMAINS:
            total, count = _score(cell, domain)
            overall[domain][0] += total
            overall[domain][1] += count
        n = cell["returnees"]
        slots[slot] = (hidden_cell(n, k) if n < k else
                       {"suppressed": False, "returnees": n, **{d: _r(_mean(*_score(cell, d))) for d in DOMAINS}})
    scored = {d: _mean(total, count) for d, (total, count) in overall.items() if count}
    weakest = min(sorted(scored), key=lambda d: scored[d]) if scored else None
    support = {}
    for type_, cell in sorted(_live(group.get("support")).items()):
        n = cell["returnees"]
        support[type_] = (hidden_cell(n, k) if n < k else
                          {"suppressed": False, "returnees": n,
                           "mean_latest_index": _r(_mean(cell.get("index_sum", 0), cell.get("index_n", 0),
                                                         INDEX_SCALE))})
    return {"mean_scores_by_slot": slots, "safety_concern_share": _r(group.get("safety", 0) / group["returnees"]),
            "weakest_domain": weakest, "support": support,
            "mean_latest_index": _r(_mean(group.get("index_sum", 0), group.get("index_n", 0), INDEX_SCALE)),
            "latest_contact_on": latest_contact}


def _latest_contacts(calendar: dict) -> dict:
    """Each group's latest contact day from its pages of the calendar."""
    latest: dict = {}
    for page, days in calendar.items():
        group, month = page.rsplit("/", 1)
        shown = [d for d, n in days.items() if n > 0]
        if shown:
            latest[unquote(group)] = max(latest.get(unquote(group), ""), f"{month}-{max(shown)}")
    return latest


def insight_from_totals(country: str, totals: dict, calendar: dict, k: int, updated_at: str) -> dict:
    """Insights for one country from its per-region totals and the calendar pages of `latest_pages`."""
    groups = _live(totals)
    latest = _latest_contacts(calendar)
    whole = _sum_groups(groups.values())
    n = whole.get("returnees", 0)
    insight = {"country": country, "returnees": n, "checkins": whole.get("checkins", 0),
               "suppressed": n < k, "k": k, "updated_at": updated_at}
    if n < k:
        return insight
    insight.update(figures(whole, k, max((latest[g] for g in groups if g in latest), default=None)))
    counts = {region: group["returnees"] for region, group in groups.items()}
    hide = suppress_partition(counts, k) if len(groups) > 1 else set(groups)
    insight["regions"] = {
        region: (hidden_cell(counts[region], k, len(groups) > 1) if region in hide else
                 {"suppressed": False, "returnees": group["returnees"], "checkins": group.get("checkins", 0),
                  **figures(group, k, latest.get(region))})
        for region, group in sorted(groups.items())}
    return insight


def _sum_groups(groups) -> dict:
    whole: dict = {}
    for group in groups:
        _merge(whole, group)
    return whole


def country_insight(country: str, cases: list[dict], k: int, updated_at: str) -> dict:
    """Insights for one country, over its returnees with at least one check-in (full recomputation)."""
    return insight_from_totals(country, *totals_of_contributions(contribution(c) for c in cases), k, updated_at)
