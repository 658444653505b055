"""Country insights for counselling, with small-cell suppression (pure functions over cases).

Suppression: a group of fewer than `k` returnees shows no figures. Where groups partition a shown
total (regions of a country, rows of an outcome table), complementary suppression hides more
groups until the hidden ones together hold at least `k` returnees, so no hidden figure can be
recovered by subtracting the shown ones from the total.
"""
from __future__ import annotations

from statistics import mean

from services.monitoring.domain.case import effective_checkins
from services.monitoring.domain.vocab import DOMAINS


def suppress_partition(counts: dict, k: int) -> set:
    """Groups to hide: those under `k`, plus the smallest others until the hidden ones sum to >= k."""
    hidden = {group for group, n in counts.items() if n < k}
    while hidden and sum(counts[g] for g in hidden) < k:
        shown = sorted((n, str(g), g) for g, n in counts.items() if g not in hidden)
        if not shown:
            break
        hidden.add(shown[0][2])
    return hidden


def _r(value: float | None, places: int = 3) -> float | None:
    return None if value is None else round(value, places)


def figures(cases: list[dict], k: int) -> dict:
    """The counselling figures for a group already known to hold at least `k` returnees."""
    checkins = {c["returnee_id"]: effective_checkins(c) for c in cases}
    by_slot: dict[str, dict] = {}
    for rid, items in checkins.items():
        for item in items:
            cell = by_slot.setdefault(str(item["slot"]), {"returnees": set(), "scores": {d: [] for d in DOMAINS}})
            cell["returnees"].add(rid)
            for domain, score in (item.get("scores") or {}).items():
                cell["scores"][domain].append(score)
    slots = {}
    for slot, cell in sorted(by_slot.items(), key=lambda kv: (kv[0] == "ad_hoc", int(kv[0]) if kv[0].isdigit() else 0)):
        n = len(cell["returnees"])
        if n < k:
            slots[slot] = {"suppressed": True}
        else:
            slots[slot] = {"suppressed": False, "returnees": n,
                           **{d: _r(mean(v)) if v else None for d, v in cell["scores"].items()}}
    all_scores = {d: [s for items in checkins.values() for c in items for dd, s in (c.get("scores") or {}).items()
                      if dd == d] for d in DOMAINS}
    scored = {d: mean(v) for d, v in all_scores.items() if v}
    weakest = min(sorted(scored), key=lambda d: scored[d]) if scored else None
    latest_index = {c["returnee_id"]: c.get("latest_index") for c in cases}
    recipients: dict[str, set] = {}
    for rid, items in checkins.items():
        for item in items:
            for support in item.get("support_delivered") or []:
                recipients.setdefault(support["type"], set()).add(rid)
    support = {}
    for type_, rids in sorted(recipients.items()):
        indexes = [latest_index[r] for r in rids if latest_index.get(r) is not None]
        support[type_] = ({"suppressed": True} if len(rids) < k else
                          {"suppressed": False, "returnees": len(rids), "mean_latest_index": _r(mean(indexes)) if indexes else None})
    concerned = sum(1 for items in checkins.values() if any(c.get("safety_concern") for c in items))
    contacts = [c["contact_date"] for items in checkins.values() for c in items]
    return {"mean_scores_by_slot": slots, "safety_concern_share": _r(concerned / len(cases)),
            "weakest_domain": weakest, "support": support,
            "mean_latest_index": _r(mean(v for v in latest_index.values() if v is not None))
            if any(v is not None for v in latest_index.values()) else None,
            "latest_contact_on": max(contacts) if contacts else None}


def country_insight(country: str, cases: list[dict], k: int, updated_at: str) -> dict:
    """Insights for one country, over its returnees with at least one check-in; regions where k allows."""
    monitored = [c for c in cases if effective_checkins(c)]
    n = len(monitored)
    insight = {"country": country, "returnees": n, "checkins": sum(len(effective_checkins(c)) for c in monitored),
               "suppressed": n < k, "k": k, "updated_at": updated_at}
    if n < k:
        return insight
    insight.update(figures(monitored, k))
    groups: dict[str, list] = {}
    for case in monitored:
        groups.setdefault(case.get("region") or "unknown", []).append(case)
    hidden = suppress_partition({g: len(v) for g, v in groups.items()}, k) if len(groups) > 1 else set(groups)
    insight["regions"] = {
        region: ({"suppressed": True} if region in hidden else
                 {"suppressed": False, "returnees": len(members),
                  "checkins": sum(len(effective_checkins(c)) for c in members), **figures(members, k)})
        for region, members in sorted(groups.items())}
    return insight
