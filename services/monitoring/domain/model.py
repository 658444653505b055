"""The case as a plain dict: creating it, planning it, and reading it (stdlib only)."""
from __future__ import annotations

from datetime import date

from services.monitoring.domain.schedule import Rules, due_dates
from services.monitoring.vocabulary import DOMAINS


class Rejected(Exception):
    """A check-in or command the case does not allow: `status` 404/409/422 and field errors."""

    def __init__(self, status: int, detail: str, errors: dict | None = None):
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.errors = errors


def new_case(returnee_id: str, country: str, partner_id: str | None, vulnerabilities=(), region=None) -> dict:
    return {"_id": returnee_id, "returnee_id": returnee_id, "country": country, "region": region,
            "partner_id": partner_id, "vulnerabilities": list(vulnerabilities), "state": "awaiting_arrival",
            "handover": None, "handover_log": [], "departed_on": None, "arrived_on": None, "go_live_on": None,
            "slots": [], "checkins": [],
            "alerts": [], "latest_index": None, "next_check_on": None, "completed_at": None, "outcome": None}


def start_plan(case: dict, arrived_on: date, rules: Rules) -> None:
    """Plan the check-ins after the confirmed arrival (judged by the next `evaluate`)."""
    case["arrived_on"] = arrived_on.isoformat()
    case["state"] = "active"
    case["slots"] = [{"slot": m, "due_on": d.isoformat(), "status": "scheduled", "checkin_id": None}
                     for m, d in due_dates(arrived_on, rules.months)]
    case["next_check_on"] = arrived_on.isoformat()


def effective_checkins(case: dict) -> list[dict]:
    """Check-ins not superseded by a correction, in contact-date order."""
    return sorted((c for c in case["checkins"] if not c.get("superseded_by")),
                  key=lambda c: (c["contact_date"], c["recorded_at"]))


def summary(case: dict) -> dict:
    """What intake shows on the returnee (and its progress report beside the judgement before return): the
    latest scored check-in's domain scores (each 1-5 or null) and its contact date, never its notes."""
    open_slots = [s["due_on"] for s in case["slots"]
                  if s["status"] in ("scheduled", "due", "overdue")] if case["state"] == "active" else []
    scored = [c for c in effective_checkins(case) if any(v is not None for v in (c.get("scores") or {}).values())]
    latest = scored[-1] if scored else None
    return {"next_due_on": min(open_slots) if open_slots else None, "latest_index": case.get("latest_index"),
            "open_alerts": sum(1 for a in case["alerts"] if a["status"] != "resolved"), "state": case["state"],
            "latest_scores": {d: latest["scores"].get(d) for d in DOMAINS} if latest else None,
            "latest_scored_on": str(latest["contact_date"])[:10] if latest else None}
