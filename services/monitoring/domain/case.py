"""A returnee's monitoring case: plan, slots, check-ins and alerts, as one plain dict.

Everything here is a pure function of the case and the day: `evaluate` judges slots, raises and
resolves the standing alerts; `record_checkin` validates and applies a check-in. Both return the
events to publish as `(type, data)` pairs; the handlers store case and events in one write.
"""
from __future__ import annotations

from datetime import date, timedelta

from services.monitoring.domain.schedule import Rules, due_dates, next_change, slot_status
from services.monitoring.domain.scoring import ScoringScheme

AUTO_RESOLVED = ("checkin_overdue", "lost_contact", "arrival_not_confirmed", "handover_unanswered")


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
            "handover": None, "handover_log": [], "departed_on": None, "arrived_on": None, "slots": [], "checkins": [],
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
    """What intake shows on the returnee."""
    open_slots = [s["due_on"] for s in case["slots"]
                  if s["status"] in ("scheduled", "due", "overdue")] if case["state"] == "active" else []
    return {"next_due_on": min(open_slots) if open_slots else None, "latest_index": case.get("latest_index"),
            "open_alerts": sum(1 for a in case["alerts"] if a["status"] != "resolved"), "state": case["state"]}


def _alert(case: dict, type_: str, cause: str, now: str, new_id, detail: str, **refs) -> tuple | None:
    """Raise an alert once per cause."""
    if any(a["cause"] == cause for a in case["alerts"]):
        return None
    alert = {"id": new_id("alr"), "type": type_, "cause": cause, "status": "open", "raised_at": now,
             "acknowledged_at": None, "resolved_at": None, "resolved_by": None, "resolution": None,
             "detail": detail, "slot": None, "checkin_id": None, **refs}
    case["alerts"].append(alert)
    return ("alert.raised.v1", {"alert_id": alert["id"], "type": type_, "detail": detail, **refs})


def resolve(alert: dict, now: str, by: str, note: str) -> tuple:
    alert.update(status="resolved", resolved_at=now, resolved_by=by, resolution=note)
    return ("alert.resolved.v1", {"alert_id": alert["id"], "type": alert["type"], "resolved_by": by})


def _standing_causes(case: dict, today: date, rules: Rules) -> dict:
    """Causes of the auto-resolving alerts that hold today: cause -> (type, detail, refs)."""
    causes = {}
    handover = case.get("handover")
    if handover and not handover.get("answered") and case["state"] == "awaiting_arrival":
        deadline = date.fromisoformat(handover["requested_on"]) + timedelta(days=rules.handover_answer_days)
        if today >= deadline:
            causes[f"handover_unanswered:{handover['id']}"] = (
                "handover_unanswered", f"The partner has not answered the handover since {handover['requested_on']}.", {})
    if case.get("departed_on") and not case.get("arrived_on"):
        if today > date.fromisoformat(case["departed_on"]) + timedelta(days=rules.arrival_confirm_days):
            causes[f"arrival_not_confirmed:{case['departed_on']}"] = (
                "arrival_not_confirmed", f"Departed on {case['departed_on']}; arrival not confirmed.", {})
    if case["state"] != "active":
        return causes
    for slot in case["slots"]:
        if slot["status"] in ("overdue", "missed"):
            causes[f"checkin_overdue:{slot['slot']}"] = (
                "checkin_overdue", f"The {slot['slot']}-month check-in due {slot['due_on']} has not come in.",
                {"slot": slot["slot"]})
    contacts = [c["contact_date"] for c in effective_checkins(case) if c["contact_made"]]
    by_id = {c["id"]: c for c in case["checkins"]}
    silent = [s for s in case["slots"] if s["status"] == "missed" or
              (s["status"] == "completed" and not by_id[s["checkin_id"]]["contact_made"])]
    # one alert per run of silent slots, however long the run grows
    runs, run = [], []
    for slot in case["slots"]:
        if slot in silent:
            run.append(slot)
        else:
            runs.append(run)
            run = []
    runs.append(run)
    for run in (r for r in runs if len(r) >= 2):
        if not any(c >= run[1]["due_on"] for c in contacts):
            months = ", ".join(str(s["slot"]) for s in run)
            causes[f"lost_contact:{run[0]['slot']}"] = (
                "lost_contact", f"No contact at the check-ins of months {months}.", {"slot": run[1]["slot"]})
    return causes


def evaluate(case: dict, today: date, now: str, rules: Rules, new_id) -> list[tuple]:
    """Judge the slots on `today`, raise and resolve standing alerts, complete the plan when done."""
    events = []
    if case["state"] == "active":
        for slot in case["slots"]:
            slot["status"] = slot_status(date.fromisoformat(slot["due_on"]), today,
                                         slot["checkin_id"] is not None, rules)
    events += _reminders(case, today, rules)
    causes = _standing_causes(case, today, rules)
    for cause, (type_, detail, refs) in causes.items():
        event = _alert(case, type_, cause, now, new_id, detail, **refs)
        if event:
            events.append(event)
    for alert in case["alerts"]:
        if alert["type"] in AUTO_RESOLVED and alert["status"] != "resolved" and alert["cause"] not in causes:
            events.append(resolve(alert, now, "system", "The cause went away."))
    if case["state"] == "active" and case["slots"] and case["slots"][-1]["status"] in ("completed", "missed"):
        case["state"] = "completed"
        case["outcome"] = "completed"
        case["completed_at"] = now
        events.append(("monitoring.completed.v1", {"outcome": "completed"}))
    case["next_check_on"] = _next_check_on(case, today, rules)
    return events


def _reminder_day(slot: dict, rules: Rules) -> date:
    return date.fromisoformat(slot["due_on"]) - timedelta(days=rules.reminder_days_before)


def _reminders(case: dict, today: date, rules: Rules) -> list[tuple]:
    """Remind the partner once, a few days before a check-in falls due (never after the due date)."""
    if case["state"] != "active" or not rules.reminder_days_before:
        return []
    events = []
    for slot in case["slots"]:
        if slot["checkin_id"] is None and not slot.get("reminded") and \
                _reminder_day(slot, rules) <= today < date.fromisoformat(slot["due_on"]):
            slot["reminded"] = True
            events.append(("checkin.reminder_due.v1", {"slot": slot["slot"], "due_on": slot["due_on"]}))
    return events


def _next_check_on(case: dict, today: date, rules: Rules) -> str | None:
    candidates = []
    if case["state"] == "active":
        for slot in case["slots"]:
            if slot["checkin_id"] is None:
                change = next_change(date.fromisoformat(slot["due_on"]), today, rules)
                if change:
                    candidates.append(change)
                if rules.reminder_days_before and not slot.get("reminded"):
                    candidates.append(_reminder_day(slot, rules))
    handover = case.get("handover")
    if case["state"] == "awaiting_arrival" and handover and not handover.get("answered"):
        candidates.append(date.fromisoformat(handover["requested_on"]) + timedelta(days=rules.handover_answer_days))
    if case.get("departed_on") and not case.get("arrived_on"):
        candidates.append(date.fromisoformat(case["departed_on"]) + timedelta(days=rules.arrival_confirm_days + 1))
    future = [c for c in candidates if c > today]
    return min(future).isoformat() if future else None


def record_checkin(case: dict, data: dict, today: date, now: str, rules: Rules, scheme: ScoringScheme,
                   new_id, recorded_by: dict) -> tuple[dict, list[tuple]]:
    """Validate a check-in against the case, store it, score it and raise the alerts it causes."""
    if case["state"] == "awaiting_arrival":
        raise Rejected(409, "Arrival has not been confirmed; there is no monitoring plan yet.")
    errors = {}
    contact = date.fromisoformat(data["contact_date"])
    if contact < date.fromisoformat(case["arrived_on"]):
        errors["contact_date"] = f"Must not be before arrival ({case['arrived_on']})."
    elif contact > today:
        errors["contact_date"] = "Must not be in the future."
    slot = None
    if data["slot"] != "ad_hoc":
        slot = next((s for s in case["slots"] if s["slot"] == data["slot"]), None)
        if slot is None:
            errors["slot"] = f"No such slot; the plan has {[s['slot'] for s in case['slots']]} or ad_hoc."
    if errors:
        raise Rejected(422, "The check-in does not fit this returnee's plan.", errors)
    supersedes = data.get("supersedes")
    if data.get("correction") and not supersedes:
        if slot is None or slot["checkin_id"] is None:
            raise Rejected(422, "A correction needs a recorded check-in to supersede.",
                           {"correction": "This slot has no check-in yet; send it without correction."})
        supersedes = slot["checkin_id"]
    data = {k: v for k, v in data.items() if k != "correction"}
    previous = None
    if supersedes:
        previous = next((c for c in case["checkins"] if c["id"] == supersedes), None)
        if previous is None or previous["slot"] != data["slot"]:
            raise Rejected(422, "A correction must supersede a check-in of the same slot.",
                           {"supersedes": "No check-in with this id for this slot."})
        if previous.get("superseded_by"):
            raise Rejected(409, "That check-in was already corrected; correct the latest version.")
    elif slot is not None and slot["checkin_id"] is not None:
        raise Rejected(409, f"The {slot['slot']}-month check-in is already recorded; send a correction "
                            f"with supersedes={slot['checkin_id']} to replace it.")
    checkin = {"id": new_id("chk"), "returnee_id": case["returnee_id"], **data, "supersedes": supersedes,
               "recorded_at": now,
               "recorded_by": recorded_by, "superseded_by": None, **scheme.score(data.get("scores") or {}),
               "score_history": []}
    events = []
    prior = [c for c in effective_checkins(case) if c["index"] is not None and c["contact_date"] <= data["contact_date"]]
    if previous is not None:
        previous["superseded_by"] = checkin["id"]
        prior = [c for c in prior if c["id"] != previous["id"]]
        for alert in case["alerts"]:
            if alert.get("checkin_id") == previous["id"] and alert["status"] != "resolved":
                events.append(resolve(alert, now, "system", "The check-in was corrected."))
    case["checkins"].append(checkin)
    if slot is not None:
        slot["checkin_id"] = checkin["id"]
    events.append(("checkin.recorded.v1", {"checkin_id": checkin["id"], "slot": data["slot"],
                                           "contact_date": data["contact_date"], "index": checkin["index"],
                                           "supersedes": supersedes}))
    events += _checkin_alerts(case, checkin, prior[-1] if prior else None, now, rules, new_id)
    latest = [c for c in effective_checkins(case) if c["index"] is not None]
    case["latest_index"] = latest[-1]["index"] if latest else None
    if data.get("status") in ("re_migrated", "deceased") and case["state"] == "active":
        case["state"] = "closed"
        case["outcome"] = data["status"]
        case["completed_at"] = now
        events.append(("monitoring.completed.v1", {"outcome": data["status"]}))
    events += evaluate(case, today, now, rules, new_id)
    return checkin, events


def _checkin_alerts(case, checkin, previous, now, rules: Rules, new_id) -> list[tuple]:
    raised = []
    ref = {"checkin_id": checkin["id"], "slot": checkin["slot"]}
    low = sorted(d for d, s in (checkin.get("scores") or {}).items() if s == 1)
    if low:
        raised.append(_alert(case, "critical_domain", f"critical_domain:{checkin['id']}", now, new_id,
                             f"Scored 1 on {', '.join(low)}.", **ref))
    if previous is not None and checkin["index"] is not None and \
            previous["index"] - checkin["index"] >= rules.index_drop - 1e-9:
        raised.append(_alert(case, "index_drop", f"index_drop:{checkin['id']}", now, new_id,
                             f"Index fell from {previous['index']:.2f} to {checkin['index']:.2f}.", **ref))
    if checkin.get("safety_concern"):
        raised.append(_alert(case, "safety_concern", f"safety_concern:{checkin['id']}", now, new_id,
                             "The partner reported a safety concern.", **ref))
    if checkin.get("status") in ("re_migrated", "deceased"):
        raised.append(_alert(case, checkin["status"], f"{checkin['status']}:{checkin['id']}", now, new_id,
                             f"Reported as {checkin['status'].replace('_', '-')}.", **ref))
    return [event for event in raised if event]


def act_on_alert(case: dict, alert_id: str, action: str, now: str, by: str, note: str) -> tuple | None:
    """A consultant acknowledges or resolves an alert; returns the event to publish, if any."""
    alert = next((a for a in case["alerts"] if a["id"] == alert_id), None)
    if alert is None:
        raise Rejected(404, "No such alert.")
    if alert["status"] == "resolved":
        raise Rejected(409, "The alert is already resolved.")
    if action == "acknowledge":
        if alert["status"] == "acknowledged":
            return None
        alert.update(status="acknowledged", acknowledged_at=now, acknowledged_by=by)
        return None
    return resolve(alert, now, by, note)


def rescore(case: dict, scheme: ScoringScheme, now: str) -> int:
    """Recompute every check-in with `scheme`, keeping the previous values in `score_history`."""
    changed = 0
    for checkin in case["checkins"]:
        if checkin.get("scheme_version") == scheme.version:
            continue
        checkin.setdefault("score_history", []).append(
            {"scheme_version": checkin.get("scheme_version"), "index": checkin.get("index"),
             "rss": checkin.get("rss"), "replaced_at": now})
        checkin.update(scheme.score(checkin.get("scores") or {}))
        changed += 1
    latest = [c for c in effective_checkins(case) if c["index"] is not None]
    case["latest_index"] = latest[-1]["index"] if latest else None
    return changed
