"""Outcomes for project leads and the partner scorecard (pure functions over cases)."""
from __future__ import annotations

from datetime import date, timedelta
from statistics import mean

from services.monitoring.domain.case import effective_checkins
from shared.suppression import hidden_cell, suppressed_groups
from services.monitoring.domain.schedule import Rules
from services.monitoring.vocabulary import DOMAINS

BUCKETS = ((0.0, 0.25), (0.25, 0.5), (0.5, 0.75), (0.75, 1.01))


def cohort(case: dict) -> str | None:
    """The arrival quarter, e.g. 2026-Q1."""
    if not case.get("arrived_on"):
        return None
    day = date.fromisoformat(case["arrived_on"])
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def _groups_of(case: dict, by: str) -> list[str]:
    if by == "country":
        return [case["country"]]
    if by == "partner":
        return [case["partner_id"]]
    if by == "cohort":
        return [cohort(case)]
    if by == "vulnerability":
        return case.get("vulnerabilities") or ["none"]
    if by in ("office", "office_region"):  # the NGO's office that followed the client before return
        return [case.get(by) or "none"]
    raise ValueError(by)


def _bucket_label(low: float, high: float) -> str:
    return f"{low:.2f}-{min(high, 1.0):.2f}"


def _row(members: list[dict], months: tuple[int, ...]) -> dict:
    per_slot = {}
    for month in months:
        values = [c["index"] for case in members for c in effective_checkins(case)
                  if c["slot"] == month and c.get("index") is not None]
        per_slot[str(month)] = round(mean(values), 3) if values else None
    latest = [case["latest_index"] for case in members if case.get("latest_index") is not None]
    distribution = {_bucket_label(lo, hi): sum(1 for v in latest if lo <= v < hi) for lo, hi in BUCKETS}
    states = {s: sum(1 for c in members if c["state"] == s) for s in ("active", "completed", "closed")}
    return {"returnees": len(members), "completed_share": round(states["completed"] / len(members), 3),
            "states": states, "mean_index_by_slot": per_slot, "latest_index_distribution": distribution}


def outcome_table(cases: list[dict], by: str, k: int, months: tuple[int, ...]) -> dict:
    """Rows per group (suppressed below k, complementary where groups partition the total)."""
    monitored = [c for c in cases if c.get("arrived_on")]
    if by == "returnee":
        return {"by": by, "rows": [_returnee_row(c) for c in sorted(monitored, key=lambda c: c["returnee_id"])]}
    groups: dict[str, list] = {}
    for case in monitored:
        for group in _groups_of(case, by):
            groups.setdefault(group, []).append(case)
    counts = {g: len(v) for g, v in groups.items()}
    # vulnerability groups overlap (one person, several categories): no partition to protect
    hide = suppressed_groups(counts, k, overlapping=by == "vulnerability")
    rows = [{"group": g, **hidden_cell(counts[g], k)} if g in hide
            else {"group": g, "suppressed": False, **_row(v, months)}
            for g, v in sorted(groups.items(), key=lambda kv: str(kv[0]))]
    total = (hidden_cell(len(monitored), k) if len(monitored) < k else {"suppressed": False, **_row(monitored, months)})
    return {"by": by, "k": k, "rows": rows, "total": total}


def _returnee_row(case: dict) -> dict:
    """One pseudonymous returnee: no names exist in monitoring, only the opaque id."""
    return {"returnee_id": case["returnee_id"], "country": case["country"], "partner_id": case["partner_id"],
            "cohort": cohort(case), "vulnerabilities": case.get("vulnerabilities", []), "state": case["state"],
            "arrived_on": case["arrived_on"], "checkins": len(effective_checkins(case)),
            "latest_index": case.get("latest_index"),
            "open_alerts": sum(1 for a in case["alerts"] if a["status"] != "resolved")}


def _days(start: str | None, end: str | None) -> float | None:
    if not start or not end:
        return None
    return (date.fromisoformat(end) - date.fromisoformat(start)).days


def scorecard(cases: list[dict], today: date, rules: Rules) -> list[dict]:
    """Per partner: answer and arrival speed, check-in completion, overdue rate, missing answers."""
    partners: dict[str, dict] = {}

    def entry(pid):
        return partners.setdefault(pid, {"partner_id": pid, "accept_days": [], "arrival_days": [], "returnees": 0,
                                         "offered": 0, "declined": 0,
                                         "slots": {}, "due": 0, "late": 0, "contacts": 0,
                                         "missing": {d: 0 for d in DOMAINS}})

    for case in cases:
        for handover in case.get("handover_log", []):
            if not handover.get("partner_id"):
                continue
            offered = entry(handover["partner_id"])
            offered["offered"] += 1
            offered["declined"] += handover.get("answer") == "declined"
            if handover.get("answer") == "accepted":
                offered["accept_days"].append(_days(handover["requested_on"], handover["answered_on"]))
        if not case.get("arrived_on") or not case.get("partner_id"):
            continue
        card = entry(case["partner_id"])
        card["returnees"] += 1
        arrival = _days(case.get("departed_on"), case["arrived_on"])
        if arrival is not None:
            card["arrival_days"].append(arrival)
        by_id = {c["id"]: c for c in case["checkins"]}
        for slot in case["slots"]:
            if slot["status"] in ("scheduled", "due"):
                continue  # not yet judged: neither done nor late
            stats = card["slots"].setdefault(slot["slot"], [0, 0])
            stats[1] += 1
            card["due"] += 1
            late_after = date.fromisoformat(slot["due_on"]) + timedelta(days=rules.overdue_after_days)
            if slot["checkin_id"]:
                stats[0] += 1
                if date.fromisoformat(by_id[slot["checkin_id"]]["contact_date"]) >= late_after:
                    card["late"] += 1
            else:
                card["late"] += 1
        for checkin in effective_checkins(case):
            if checkin["contact_made"]:
                card["contacts"] += 1
                for domain in DOMAINS:
                    if (checkin.get("scores") or {}).get(domain) is None:
                        card["missing"][domain] += 1
    rows = []
    for pid, card in sorted(partners.items()):
        rows.append({
            "partner_id": pid, "returnees": card["returnees"], "handovers_offered": card["offered"],
            "handovers_declined": card["declined"],
            "mean_days_to_accept": _mean(card["accept_days"]), "mean_days_to_confirm_arrival": _mean(card["arrival_days"]),
            "checkin_completion": {str(m): (round(card["slots"][m][0] / card["slots"][m][1], 3)
                                            if card["slots"].get(m, [0, 0])[1] else None) for m in (1, 3, 6, 12)},
            "overdue_rate": round(card["late"] / card["due"], 3) if card["due"] else None,
            "missing_answers": {d: (round(n / card["contacts"], 3) if card["contacts"] else None)
                                for d, n in card["missing"].items()},
        })
    return rows


def _mean(values: list) -> float | None:
    values = [v for v in values if v is not None]
    return round(mean(values), 2) if values else None
