"""A returnee's monitoring case: plan, slots, check-ins and alerts, as one plain dict.

Everything here is a pure function of the case and the day: `evaluate` judges slots, raises and
resolves the standing alerts; `record_checkin` validates and applies a check-in. Both return the
events to publish as `(type, data)` pairs; the handlers store case and events in one write.
The case's shape lives in `model`, the alert rules in `alerts`; both are re-exported here.
"""
from __future__ import annotations

from datetime import date, timedelta

from services.monitoring.domain.alerts import (AUTO_RESOLVED, SYSTEM_RESOLUTIONS, act_on_alert, checkin_alerts, raise_alert,
                                               resolution_note, resolve, standing_causes)
from services.monitoring.domain.model import Rejected, effective_checkins, new_case, start_plan, summary
from services.monitoring.domain.schedule import Rules, next_change, slot_status
from services.monitoring.domain.scoring import ScoringScheme
from services.monitoring.events import CHECKIN_RECORDED, MONITORING_COMPLETED, REMINDER_DUE
from shared.texts import Text

__all__ = ["Rejected", "act_on_alert", "effective_checkins", "evaluate", "new_case", "record_checkin", "rescore",
           "resolve", "start_plan", "summary"]


def evaluate(case: dict, today: date, now: str, rules: Rules, new_id) -> list[tuple]:
    """Judge the slots on `today`, raise and resolve standing alerts, complete the plan when done."""
    events = []
    if case["state"] == "active":
        go_live = case.get("go_live_on")
        for slot in case["slots"]:
            slot["status"] = slot_status(date.fromisoformat(slot["due_on"]), today, slot["checkin_id"] is not None,
                                         rules, date.fromisoformat(str(go_live)[:10]) if go_live else None)
    events += _reminders(case, today, rules)
    causes = standing_causes(case, today, rules)
    for cause, (type_, detail, refs, params) in causes.items():
        event = raise_alert(case, type_, cause, now, new_id, detail, params, **refs)
        if event:
            events.append(event)
    for alert in case["alerts"]:
        if alert["type"] in AUTO_RESOLVED and alert["status"] != "resolved" and alert["cause"] not in causes:
            code = resolution_note(alert, causes)
            events.append(resolve(alert, now, "system", SYSTEM_RESOLUTIONS[code]))
            alert["resolution_code"] = code
    if case["state"] == "active" and case["slots"] and case["slots"][-1]["status"] in ("completed", "missed", "before_homeward"):
        case["state"] = "completed"
        case["outcome"] = "completed"
        case["completed_at"] = now
        events.append((MONITORING_COMPLETED, {"outcome": "completed"}))
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
            events.append((REMINDER_DUE, {"slot": slot["slot"], "due_on": slot["due_on"]}))
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
        errors["contact_date"] = Text("Must not be before arrival ({arrived_on}).", arrived_on=case["arrived_on"])
    elif contact > today:
        errors["contact_date"] = "Must not be in the future."
    slot = None
    if data["slot"] != "ad_hoc":
        slot = next((s for s in case["slots"] if s["slot"] == data["slot"]), None)
        if slot is None:
            errors["slot"] = Text("No such slot; the plan has {slots} or ad_hoc.",
                                  slots=str([s["slot"] for s in case["slots"]]))
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
    events.append((CHECKIN_RECORDED, {"checkin_id": checkin["id"], "slot": data["slot"],
                                      "contact_date": data["contact_date"], "index": checkin["index"],
                                      "supersedes": supersedes, "support_delivered_on": _first_delivery(checkin)}))
    events += checkin_alerts(case, checkin, prior[-1] if prior else None, now, rules, new_id)
    latest = [c for c in effective_checkins(case) if c["index"] is not None]
    case["latest_index"] = latest[-1]["index"] if latest else None
    if data.get("status") in ("re_migrated", "deceased") and case["state"] == "active":
        case["state"] = "closed"
        case["outcome"] = data["status"]
        case["completed_at"] = now
        events.append((MONITORING_COMPLETED, {"outcome": data["status"]}))
    events += evaluate(case, today, now, rules, new_id)
    return checkin, events


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


def _first_delivery(checkin: dict) -> str | None:
    """The first day this check-in reports support delivered on (its contact date for a line without a day)."""
    days = [str(item.get("delivered_on") or checkin["contact_date"])[:10] for item in checkin.get("support_delivered") or []]
    return min(days) if days else None
