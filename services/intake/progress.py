"""The half-yearly progress report of one client (000_... "Individuele rapportages", 001_... 4.2 and 7):
where the client stands in the perspective plan, the decision, and the steps taken in the half year
that ends on `until` (pure function over one returnee as the repository gives it)."""
from __future__ import annotations

from datetime import date, datetime, timedelta

from services.intake import domain
from services.intake.vocabulary import DOMAINS
from shared.dates import aware

# status steps whose real day is a field of its own (the history has the day it was recorded)
DATED_ELSEWHERE = {"departed", "arrived", "exited"}
NAMES = ("client_ref", "given_name", "family_name", "date_of_birth")
# Within one day, the phase of the path a step belongs to: registration, then decisions and handover
# steps (in the order they were recorded), departure, arrival, the end of monitoring, and an exit last.
PHASE = {"registered": 0, "departed": 2, "arrived": 3, "monitoring_completed": 4, "closed": 5, "exited": 6}
_NEVER = aware(datetime.min)


def _instant(value) -> datetime:
    """When a step was recorded, comparable (stored datetimes may come back without a time zone)."""
    if not isinstance(value, datetime):
        return _NEVER
    return aware(value)


def _order(step: dict) -> tuple:
    return step["on"], PHASE.get(step["step"], 1), step["_recorded"]


def half_year_before(until: date) -> date:
    """The first day of the half year that ends on `until` (30 June -> 1 January, 31 August -> 1 March)."""
    after = until + timedelta(days=1)
    month = after.month - 6
    year, month = (after.year, month) if month >= 1 else (after.year - 1, month + 12)
    for day in range(after.day, 0, -1):  # clamp to the month's length
        try:
            return date(year, month, day)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def steps(returnee: dict) -> list[dict]:
    """Every step of the client's path, dated, oldest first; one day's steps in the order of the path."""
    out = []
    for step in returnee.get("history") or []:
        if step["status"] not in DATED_ELSEWHERE and step["status"] != "registered":
            out.append({"on": step["at"].date(), "step": step["status"], "_recorded": _instant(step["at"])})
    trajectory = returnee["trajectory_history"]
    out.append({"on": returnee["registered_on"], "step": "registered", "trajectory": trajectory[0]["trajectory"],
                "_recorded": _NEVER})
    for before, after in zip(trajectory, trajectory[1:]):
        name = "decided_to_return" if after["trajectory"] == domain.RETURN_GUIDANCE else "back_to_future_orientation"
        out.append({"on": after["started_on"], "step": name, "trajectory": after["trajectory"],
                    "_recorded": _instant(after.get("recorded_at"))})
    if returnee.get("departed_on"):
        out.append({"on": returnee["departed_on"], "step": "departed", "_recorded": _NEVER})
    if returnee.get("arrived_on"):
        out.append({"on": returnee["arrived_on"], "step": "arrived", "_recorded": _NEVER})
    if returnee.get("exit"):
        out.append({"on": returnee["exit"]["exited_on"], "step": "exited", "reason": returnee["exit"]["reason"],
                    "organisation": returnee["exit"].get("organisation"), "_recorded": _NEVER})
    return [{k: v for k, v in s.items() if k != "_recorded"} for s in sorted(out, key=_order)]


def stage_on(returnee: dict, taken: list[dict], until: date) -> str:
    """Where the client stands on `until`: a trajectory, or departed / in monitoring / ended how."""
    last = {s["step"]: s for s in taken if s["on"] <= until}
    for ended in ("exited", "closed", "monitoring_completed"):
        if ended in last:
            return ended
    if "arrived" in last:
        return "in_monitoring"
    if "departed" in last:
        return "departed"
    trajectory = [t for t in returnee["trajectory_history"] if t["started_on"] <= until]
    return trajectory[-1]["trajectory"] if trajectory else domain.DEFAULT_TRAJECTORY


def before_after(assessments: list[dict], monitoring: dict | None, until: date, with_names: bool) -> dict:
    """The last assessment before return (by `until`) beside the latest scores after it (monitoring's summary,
    when scored by `until`), per domain with the change; the judgement in words only `with_names`."""
    assessed = [a for a in assessments if a["assessed_on"] <= until]
    last = assessed[-1] if assessed else None
    scored_on = (monitoring or {}).get("latest_scored_on")
    latest = (monitoring or {}).get("latest_scores") if scored_on and scored_on <= until.isoformat() else None
    before = {"assessed_on": last["assessed_on"].isoformat(), "moment": last["moment"],
              "scores": {d: last["scores"].get(d) for d in DOMAINS}} if last else None
    if before and with_names:
        before["judgement"] = last.get("judgement")
    after = {"scored_on": scored_on, "scores": {d: latest.get(d) for d in DOMAINS}} if latest else None
    rows = []
    for d in DOMAINS:
        was = before["scores"][d] if before else None
        now = after["scores"][d] if after else None
        rows.append({"domain": d, "before": was, "after": now,
                     "change": now - was if was is not None and now is not None else None})
    return {"before": before, "after": after, "domains": rows}


def progress_report(returnee: dict, until: date, with_names: bool, assessments: list[dict] = ()) -> dict:
    """The report; `with_names` False gives the pseudonymous one (no names, no file number, no judgement in
    words). `assessments`: the returnee's judgements before return, oldest first (assessments.py)."""
    start = half_year_before(until)
    taken = steps(returnee)
    decision = next((t for t in reversed(returnee["trajectory_history"])
                     if t["started_on"] <= until), None)
    first = returnee["trajectory_history"][0]["trajectory"] if returnee["trajectory_history"] else None
    exit_ = returnee.get("exit") if returnee.get("exit") and returnee["exit"]["exited_on"] <= until else None
    report = {
        "returnee_id": returnee["id"],
        "period": {"start": start.isoformat(), "end": until.isoformat()},
        "office": returnee.get("office"),
        "country_of_return": returnee["country_of_return"],
        "stage": stage_on(returnee, taken, until),
        "trajectory": decision["trajectory"] if decision else None,
        "decision": {"decided_on": _iso(returnee.get("decided_on")) if returnee.get("decided_on")
                     and returnee["decided_on"] <= until else None,
                     # registered in return guidance: the decision to return came before registration
                     "at_registration": first == domain.RETURN_GUIDANCE,
                     "exit": {**{k: exit_[k] for k in ("reason", "organisation", "note")},
                              "exited_on": exit_["exited_on"].isoformat()} if exit_ else None},
        "plan": {"goals": (returnee.get("reintegration_plan") or {}).get("goals", {}),
                 "planned_support": (returnee.get("reintegration_plan") or {}).get("planned_support", []),
                 "planned_departure_date": _iso(returnee.get("planned_departure_date"))},
        "steps_in_period": [{**s, "on": s["on"].isoformat()} for s in taken if start <= s["on"] <= until],
        "monitoring": returnee.get("monitoring") if returnee.get("arrived_on") and returnee["arrived_on"] <= until
        else None,
        "before_after": before_after(list(assessments), returnee.get("monitoring"), until, with_names),
    }
    if with_names:
        report.update({name: _iso(returnee.get(name)) if name == "date_of_birth" else returnee.get(name)
                       for name in NAMES})
    elif exit_:
        report["decision"]["exit"].pop("note")  # free text may name people
    return report


def _iso(value) -> str | None:
    return value.isoformat() if value else None
