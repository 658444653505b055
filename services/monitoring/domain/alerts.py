"""Alerts: raised once per cause, resolved by consultants or, for standing causes, by the system."""
from __future__ import annotations

from datetime import date, timedelta

from services.monitoring.domain.model import Rejected, effective_checkins
from services.monitoring.domain.schedule import Rules
from services.monitoring.events import ALERT_RAISED, ALERT_RESOLVED

AUTO_RESOLVED = ("checkin_overdue", "lost_contact", "arrival_not_confirmed", "handover_unanswered")
# the consultants' worklist: most serious type first (GET /v1/alerts?order=worklist), newest first within a type
SERIOUSNESS = ("safety_concern", "deceased", "re_migrated", "critical_domain", "lost_contact", "index_drop",
               "arrival_not_confirmed", "checkin_overdue", "handover_unanswered")
SYSTEM_RESOLUTIONS = {"superseded": "Superseded by the lost-contact alert for this silent period.",
                      "cause_gone": "The cause went away."}  # resolution_code -> the English `resolution`


def raise_alert(case: dict, type_: str, cause: str, now: str, new_id, detail: str, params: dict | None = None,
                **refs) -> tuple | None:
    """Raise an alert once per cause. `code` (the type) and `params` let clients write `detail` in any language."""
    if any(a["cause"] == cause for a in case["alerts"]):
        return None
    alert = {"id": new_id("alr"), "type": type_, "cause": cause, "status": "open", "raised_at": now,
             "acknowledged_at": None, "resolved_at": None, "resolved_by": None, "resolution": None,
             "resolution_code": None, "detail": detail, "code": type_, "params": params or {}, "slot": None, "checkin_id": None, **refs}
    case["alerts"].append(alert)
    return (ALERT_RAISED, {"alert_id": alert["id"], "type": type_, "detail": detail, **refs})


def resolve(alert: dict, now: str, by: str, note: str) -> tuple:
    alert.update(status="resolved", resolved_at=now, resolved_by=by, resolution=note)
    return (ALERT_RESOLVED, {"alert_id": alert["id"], "type": alert["type"], "resolved_by": by})


def standing_causes(case: dict, today: date, rules: Rules) -> dict:
    """Causes of the auto-resolving alerts that hold today: cause -> (type, detail, refs, params)."""
    causes = {}
    handover = case.get("handover")
    if handover and not handover.get("answered") and case["state"] == "awaiting_arrival":
        deadline = date.fromisoformat(handover["requested_on"]) + timedelta(days=rules.handover_answer_days)
        if today >= deadline:
            causes[f"handover_unanswered:{handover['id']}"] = (
                "handover_unanswered", f"The partner has not answered the handover since {handover['requested_on']}.", {},
                {"requested_on": handover["requested_on"]})
    # an imported return's departure (long ago) is no missing arrival: partners records it with the acceptance
    if case.get("departed_on") and not case.get("arrived_on") and not (handover or {}).get("imported"):
        if today > date.fromisoformat(case["departed_on"]) + timedelta(days=rules.arrival_confirm_days):
            causes[f"arrival_not_confirmed:{case['departed_on']}"] = (
                "arrival_not_confirmed", f"Departed on {case['departed_on']}; arrival not confirmed.", {},
                {"departed_on": case["departed_on"]})
    if case["state"] != "active":
        return causes
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
    superseded = set()
    for run in (r for r in runs if len(r) >= 2):
        if not any(c >= run[1]["due_on"] for c in contacts):
            months = ", ".join(str(s["slot"]) for s in run)
            causes[f"lost_contact:{run[0]['slot']}"] = (
                "lost_contact", f"No contact at the check-ins of months {months}.", {"slot": run[1]["slot"]},
                {"months": [s["slot"] for s in run]})
            superseded.update(s["slot"] for s in run)
    # a missed slot inside a lost-contact run is told by that one alert, not by an overdue alert each
    for slot in case["slots"]:
        if slot["status"] in ("overdue", "missed") and slot["slot"] not in superseded:
            causes[f"checkin_overdue:{slot['slot']}"] = (
                "checkin_overdue", f"The {slot['slot']}-month check-in due {slot['due_on']} has not come in.",
                {"slot": slot["slot"]}, {"slot": slot["slot"], "due_on": slot["due_on"]})
    return causes


def resolution_note(alert: dict, causes: dict) -> str:
    """Why the system closes a standing alert (a SYSTEM_RESOLUTIONS code): superseded by the lost-contact
    alert, or its cause went away."""
    if alert["type"] == "checkin_overdue" and any(c.startswith("lost_contact:") for c in causes) and \
            alert.get("slot") is not None and f"checkin_overdue:{alert['slot']}" not in causes:
        return "superseded"
    return "cause_gone"


def checkin_alerts(case, checkin, previous, now, rules: Rules, new_id) -> list[tuple]:
    raised = []
    ref = {"checkin_id": checkin["id"], "slot": checkin["slot"]}
    low = sorted(d for d, s in (checkin.get("scores") or {}).items() if s == 1)
    if low:
        raised.append(raise_alert(case, "critical_domain", f"critical_domain:{checkin['id']}", now, new_id,
                             f"Scored 1 on {', '.join(low)}.", {"domains": low, "score": 1}, **ref))
    if previous is not None and checkin["index"] is not None and \
            previous["index"] - checkin["index"] >= rules.index_drop - 1e-9:
        raised.append(raise_alert(case, "index_drop", f"index_drop:{checkin['id']}", now, new_id,
                             f"Index fell from {previous['index']:.2f} to {checkin['index']:.2f}.",
                             {"from": round(previous["index"], 4), "to": round(checkin["index"], 4)}, **ref))
    if checkin.get("safety_concern"):
        raised.append(raise_alert(case, "safety_concern", f"safety_concern:{checkin['id']}", now, new_id,
                             "The partner reported a safety concern.", **ref))
    if checkin.get("status") in ("re_migrated", "deceased"):
        raised.append(raise_alert(case, checkin["status"], f"{checkin['status']}:{checkin['id']}", now, new_id,
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
        alert.update(status="acknowledged", acknowledged_at=now, acknowledged_by=by, acknowledged_note=note)
        return None
    return resolve(alert, now, by, note)
