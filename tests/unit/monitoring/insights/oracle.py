"""The per-case computation the incremental country insights replaced, kept as the oracle of their tests."""
from __future__ import annotations

from statistics import mean

from services.monitoring.domain import case as cases
from services.monitoring.domain.insights import suppress_partition
from services.monitoring.vocabulary import DOMAINS


def _r(value, places=3):
    return None if value is None else round(value, places)


def reference_figures(group: list[dict], k: int) -> dict:
    checkins = {c["returnee_id"]: cases.effective_checkins(c) for c in group}
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
        slots[slot] = {"suppressed": True, "suppressed_reason": "small_group"} if n < k else {
            "suppressed": False, "returnees": n, **{d: _r(mean(v)) if v else None for d, v in cell["scores"].items()}}
    all_scores = {d: [s for items in checkins.values() for c in items for dd, s in (c.get("scores") or {}).items()
                      if dd == d] for d in DOMAINS}
    scored = {d: mean(v) for d, v in all_scores.items() if v}
    latest_index = {c["returnee_id"]: c.get("latest_index") for c in group}
    recipients: dict[str, set] = {}
    for rid, items in checkins.items():
        for item in items:
            for support in item.get("support_delivered") or []:
                recipients.setdefault(support["type"], set()).add(rid)
    support = {}
    for type_, rids in sorted(recipients.items()):
        indexes = [latest_index[r] for r in rids if latest_index.get(r) is not None]
        support[type_] = {"suppressed": True, "suppressed_reason": "small_group"} if len(rids) < k else {
            "suppressed": False, "returnees": len(rids), "mean_latest_index": _r(mean(indexes)) if indexes else None}
    concerned = sum(1 for items in checkins.values() if any(c.get("safety_concern") for c in items))
    contacts = [c["contact_date"] for items in checkins.values() for c in items]
    indexes = [v for v in latest_index.values() if v is not None]
    return {"mean_scores_by_slot": slots, "safety_concern_share": _r(concerned / len(group)),
            "weakest_domain": min(sorted(scored), key=lambda d: scored[d]) if scored else None, "support": support,
            "mean_latest_index": _r(mean(indexes)) if indexes else None,
            "latest_contact_on": max(contacts) if contacts else None}


def reference_insight(country: str, group: list[dict], k: int, updated_at: str) -> dict:
    monitored = [c for c in group if cases.effective_checkins(c)]
    n = len(monitored)
    insight = {"country": country, "returnees": n,
               "checkins": sum(len(cases.effective_checkins(c)) for c in monitored),
               "suppressed": n < k, "k": k, "updated_at": updated_at}
    if n < k:
        return insight
    insight.update(reference_figures(monitored, k))
    regions: dict[str, list] = {}
    for case in monitored:
        regions.setdefault(case.get("region") or "unknown", []).append(case)
    hidden = suppress_partition({g: len(v) for g, v in regions.items()}, k) if len(regions) > 1 else set(regions)
    reason = ("small_group" if len(members) < k else "protects_other" if len(regions) > 1 else "only_region"
              for members in regions.values())
    reasons = dict(zip(regions, reason))
    insight["regions"] = {region: {"suppressed": True, "suppressed_reason": reasons[region]} if region in hidden else {
        "suppressed": False, "returnees": len(members),
        "checkins": sum(len(cases.effective_checkins(c)) for c in members), **reference_figures(members, k)}
        for region, members in sorted(regions.items())}
    return insight
