"""A case's check-in history: which check-ins the case keeps, and what it remembers of those it moved out.

The rules read a case's slots and its latest check-ins, the country insights count every check-in, and
a case document is read and written whole by every command on it. So a case keeps each slot's
check-in, its `KEEP_RECENT` latest effective check-ins (by contact date) and its latest effective
check-in with contact and with an index; the others move to the history (one record per check-in,
named by the check-in's number `seq` in its case) beside the requests, once `MOVE_BATCH` of them can
go, and the case keeps the `tally` of what the moved ones add to its country's insights.

A command whose rules may read an older check-in (a correction, a check-in dated before every kept one
with an index, rescoring, erasure, retention) first takes the case's history back (`restore`): its
rules then see the whole case, exactly as before, and the next move takes the old ones out again.
Check-ins stored before they were numbered have no `seq` and stay in the case.
"""
from __future__ import annotations

from services.monitoring.domain.model import effective_checkins

KEEP_RECENT = 5  # latest effective check-ins a case keeps (the rules compare a new one with those before it)
MOVE_BATCH = 5  # check-ins that can go before a move is worth its write


def number(case: dict, checkin: dict) -> None:
    """Give a newly recorded check-in its number in the case (its history record's name)."""
    seq = case.get("checkins_recorded")
    if seq is None:  # the first numbered check-in of a case: all before it are in the case, and so is this one
        seq = len(case["checkins"]) - 1
    checkin["seq"] = seq
    case["checkins_recorded"] = seq + 1


def kept_ids(case: dict) -> set[str]:
    """The check-ins the case's rules read: each slot's, the latest ones, the latest with contact and index."""
    effective = effective_checkins(case)
    ids = {slot["checkin_id"] for slot in case["slots"] if slot.get("checkin_id")}
    ids.update(c["id"] for c in effective[-KEEP_RECENT:])
    for wanted in (lambda c: c["contact_made"], lambda c: c.get("index") is not None):
        latest = next((c for c in reversed(effective) if wanted(c)), None)
        if latest is not None:
            ids.add(latest["id"])
    return ids


def movable(case: dict) -> list[dict]:
    """The check-ins that can move to the history."""
    if len(case["checkins"]) <= KEEP_RECENT:
        return []
    keep = kept_ids(case)
    return [c for c in case["checkins"] if c["id"] not in keep and c.get("seq") is not None]


def due(case: dict) -> bool:
    """Whether enough check-ins can go for a move (cheap when the case is small: called after each write)."""
    return len(case["checkins"]) >= KEEP_RECENT + MOVE_BATCH and len(movable(case)) >= MOVE_BATCH


def move_out(case: dict, moved: list[dict]) -> None:
    """Take `moved` out of the case (their records are stored), counting the effective ones in its tally."""
    ids = {c["id"] for c in moved}
    case["history"] = tally_of([c for c in moved if not c.get("superseded_by")], case.get("history"))
    case["checkins"] = [c for c in case["checkins"] if c["id"] not in ids]
    case["archived"] = (case.get("archived") or 0) + len(moved)


def restore(case: dict, records: list[dict]) -> dict:
    """Take the moved check-ins back into the case (its own copies win), in the order they were recorded;
    the tally is cleared, as the case counts them itself again. Returns the case."""
    if not case.get("archived"):
        return case
    present = {c["id"] for c in case["checkins"]}
    back = [r for r in records if r["id"] not in present]
    case["checkins"] = sorted(case["checkins"] + back, key=lambda c: (c.get("seq") is not None, c.get("seq") or 0))
    case["history"] = None
    return case


def needs_history(case: dict, data: dict) -> bool:
    """Whether a check-in's rules may read a check-in the case moved out: a correction (the superseded one
    and what becomes the latest), or a contact dated before every kept check-in with an index (the index
    drop compares with the one before it)."""
    if not case.get("archived"):
        return False
    if data.get("supersedes") or data.get("correction"):
        return True
    return not any(c.get("index") is not None and c["contact_date"] <= data["contact_date"]
                   for c in effective_checkins(case))


def tally_of(checkins, start: dict | None = None) -> dict:
    """A tally (`start` and more effective check-ins): how many, score sums per slot and domain, safety
    concerns, support per type and the latest contact, what `insights.contribution` reads."""
    start = start or {}
    out = {"checkins": start.get("checkins", 0), "safety": start.get("safety", 0),
           "slots": {slot: {d: list(v) for d, v in cell.items()} for slot, cell in (start.get("slots") or {}).items()},
           "support": dict(start.get("support") or {}), "last_contact": start.get("last_contact")}
    for checkin in checkins:
        out["checkins"] += 1
        out["safety"] += bool(checkin.get("safety_concern"))
        cell = out["slots"].setdefault(str(checkin["slot"]), {})
        for domain, score in (checkin.get("scores") or {}).items():
            if score is not None:
                total = cell.setdefault(domain, [0, 0])
                total[0] += score
                total[1] += 1
        for type_ in {s["type"] for s in checkin.get("support_delivered") or []}:
            out["support"][type_] = out["support"].get(type_, 0) + 1
        out["last_contact"] = max(filter(None, (out["last_contact"], checkin["contact_date"])))
    return out
