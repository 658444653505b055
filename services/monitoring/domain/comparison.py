"""Before return beside after it: per group (country, partner, cohort, office...), the mean change per domain
from the last assessment before return (intake's judgement, same 1-5 rubric) to the latest check-in after it
that scored the domain. Only returnees with both count; a group of fewer than `k` such returnees is hidden,
and where groups partition the total the next-smallest too (as in the outcome tables)."""
from __future__ import annotations

from statistics import mean

from services.monitoring.domain.case import effective_checkins
from services.monitoring.domain.insights import hidden_cell, suppress_partition
from services.monitoring.domain.outcomes import _groups_of
from services.monitoring.vocabulary import DOMAINS


def supersedes(assessment: dict, kept: dict | None) -> bool:
    """Whether `assessment` (a day `assessed_on`, an `assessment_id`) replaces the one kept before return: the
    newest wins, by its day, then its id, so a late or redelivered assessment changes nothing."""
    return kept is None or (str(assessment["assessed_on"]), assessment["assessment_id"]) > \
        (kept["assessed_on"], kept["assessment_id"])


def latest_after(case: dict) -> dict:
    """domain -> the score of the latest check-in (by contact date) after return that scored it."""
    latest: dict[str, int] = {}
    for checkin in effective_checkins(case):  # in contact-date order
        for domain, score in (checkin.get("scores") or {}).items():
            if score is not None:
                latest[domain] = score
    return latest


def _row(pairs: list[tuple[dict, dict]]) -> dict:
    domains = {}
    for domain in DOMAINS:
        both = [(before[domain], after[domain]) for before, after in pairs if domain in before and domain in after]
        domains[domain] = {"returnees": len(both),
                           "mean_before": round(mean(b for b, _ in both), 2) if both else None,
                           "mean_after": round(mean(a for _, a in both), 2) if both else None,
                           "mean_change": round(mean(a - b for b, a in both), 2) if both else None}
    return {"returnees": len(pairs), "domains": domains}


def before_after_table(cases: list[dict], before: dict[str, dict], by: str, k: int) -> dict:
    """{by, k, rows: [{group, suppressed, returnees, domains: {d: {returnees, mean_before, mean_after,
    mean_change}}}], total}: a domain's figures within a shown row count the returnees scored on it both times."""
    groups: dict[str, list] = {}
    everyone = []
    for case in cases:
        assessed = before.get(case["returnee_id"])
        after = latest_after(case) if case.get("arrived_on") else {}
        if not assessed or not after:
            continue
        pair = (assessed["scores"], after)
        everyone.append(pair)
        for group in _groups_of(case, by):
            groups.setdefault(str(group), []).append(pair)
    counts = {g: len(v) for g, v in groups.items()}
    hide = {g for g, n in counts.items() if n < k} if by == "vulnerability" else suppress_partition(counts, k)
    rows = [{"group": g, **hidden_cell(counts[g], k)} if g in hide else {"group": g, "suppressed": False, **_row(v)}
            for g, v in sorted(groups.items())]
    total = hidden_cell(len(everyone), k) if len(everyone) < k else {"suppressed": False, **_row(everyone)}
    return {"by": by, "k": k, "rows": rows, "total": total}
