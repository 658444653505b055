"""What monitoring does with intake's and partners' events: follow the handover, the departure and the
arrival, updates, erasure, an exit, revoked access, the assessment before return. Each change to a case is a named function below.
"""
from __future__ import annotations


from functools import partial

from services.monitoring.domain import case as cases
from services.monitoring.domain import history as histories
from services.monitoring.domain.comparison import supersedes
from services.monitoring.repository.before_return import BeforeReturnRepository
from services.monitoring.schemas import AccessRevokedSchema, AssessedSchema
from services.monitoring.schemas import (ArrivedSchema, DepartedSchema, ErasedSchema, ExitedSchema, HandoverAnsweredSchema,
                                         HandoverRequestedSchema, ReturneeUpdatedSchema)
from shared.events import Envelope
from shared.errors import NotFound
from shared.kafka import read_event
from shared.revocations import organisation_key, subject_key

from services.monitoring.handlers.writes import Deps, mutate


def note_handover_requested(deps: Deps, envelope: Envelope) -> None:
    """Start watching for an answer from the partner (handover-unanswered alert)."""
    data = read_event(HandoverRequestedSchema, envelope)
    mutate(deps, data["returnee_id"], partial(watch_for_answer, deps, data, envelope), lambda: cases.new_case(
        data["returnee_id"], data["country_of_return"], data["partner_id"]), envelope.id)


def note_handover_answered(deps: Deps, envelope: Envelope) -> None:
    """The partner answered (accepted or declined): the unanswered alert goes away."""
    data = read_event(HandoverAnsweredSchema, envelope)
    mutate(deps, data["returnee_id"], partial(record_answer, deps, data, envelope),
           lambda: cases.new_case(data["returnee_id"], "", envelope.data.get("partner_id")), envelope.id)


def note_departure(deps: Deps, envelope: Envelope) -> None:
    """The returnee departed: arrival must be confirmed within a few days."""
    data = read_event(DepartedSchema, envelope)
    mutate(deps, data["returnee_id"], partial(record_departure, deps, data, envelope), lambda: cases.new_case(
        data["returnee_id"], data["country"] or "", data["partner_id"]), envelope.id)


def start_monitoring(deps: Deps, envelope: Envelope) -> None:
    """Arrival confirmed: plan the check-ins; past slots are judged at once."""
    data = read_event(ArrivedSchema, envelope)
    mutate(deps, data["returnee_id"], partial(plan_check_ins, deps, data, envelope), lambda: cases.new_case(
        data["returnee_id"], data["country"], data["partner_id"]), envelope.id)


def note_assessment(deps: Deps, envelope: Envelope) -> None:
    """An assessment before return at intake: the newest is kept for the comparison (before beside after)."""
    data, kept = read_event(AssessedSchema, envelope), BeforeReturnRepository()
    if supersedes(data, kept.get(data["returnee_id"])):
        kept.put(data)


def follow_update(deps: Deps, envelope: Envelope) -> None:
    """Corrected region, vulnerability categories or office (they group outcomes and insights), or another
    consultant following the client (whose alerts are theirs)."""
    data = read_event(ReturneeUpdatedSchema, envelope)
    changes = {k: data[k] for k in ("region", "vulnerabilities", "office", "office_region", "consultant",
                                    "planned_support") if k in data}
    if not changes:
        return

    try:
        mutate(deps, data["returnee_id"], partial(apply_update, deps, changes, envelope), event_id=envelope.id)
    except NotFound:
        pass  # no case yet: the arrival will bring the current values


def anonymise(deps: Deps, envelope: Envelope) -> None:
    """Right to erasure: monitoring holds no names; drop free text and the region."""
    data = read_event(ErasedSchema, envelope)
    if deps.receipts is not None:
        deps.receipts.erase(data["returnee_id"])  # a receipt may bear the name: it goes with the free text

    try:
        mutate(deps, data["returnee_id"], partial(blank_free_text, deps, data, envelope), event_id=envelope.id)
    except NotFound:
        pass  # monitoring never knew this returnee


def close_for_exit(deps: Deps, envelope: Envelope) -> None:
    """The client left the programme before departing: a case still awaiting arrival is closed (outcome
    `exited`), so no handover or arrival alert is raised for it, and an open one resolves itself."""
    data = read_event(ExitedSchema, envelope)

    try:
        mutate(deps, data["returnee_id"], partial(close_before_arrival, deps, data, envelope), event_id=envelope.id)
    except NotFound:
        pass  # never handed over: monitoring never knew this returnee


def note_access_revoked(deps: Deps, envelope: Envelope) -> None:
    """A partner's credential, person or whole organisation lost its access: its tokens end here too."""
    data = read_event(AccessRevokedSchema, envelope)
    if deps.revocations is None:
        return
    keys = [organisation_key(data["partner_id"])] if data["organisation"] else [subject_key(s) for s in data["subjects"]]
    deps.revocations.revoke(keys, data["revoked_at"])


# --- the changes to a case, one per event ---------------------------------------------------------------

def watch_for_answer(deps: Deps, data: dict, envelope: Envelope, case: dict, new_id) -> list:
    """The handover is known: the case waits for the partner's answer."""
    case.update(partner_id=data["partner_id"], country=data["country_of_return"], region=data["region"],
                vulnerabilities=data["vulnerabilities"], planned_support=data["planned_support"])
    case.update({k: data[k] for k in ("office", "office_region", "consultant") if data[k]})
    answered = (case.get("handover") or {}).get("id") == data["handover_id"] and case["handover"]["answered"]
    # an imported return: its old departure is recorded at the acceptance, its arrival with it (by partners)
    case["handover"] = {"id": data["handover_id"], "requested_on": envelope.time.date().isoformat(),
                        "answered": answered, "imported": bool((data["imported"] or {}).get("arrived_on"))}
    log = case.setdefault("handover_log", [])
    if not any(h["id"] == data["handover_id"] for h in log):
        log.append({"id": data["handover_id"], "partner_id": data["partner_id"],
                    "requested_on": case["handover"]["requested_on"], "answered_on": None, "answer": None})
    return cases.evaluate(case, deps.clock.today(), deps.now_iso(), deps.rules, new_id)


def record_answer(deps: Deps, data: dict, envelope: Envelope, case: dict, new_id) -> list:
    """The answer goes in the handover log; the current handover counts as answered."""
    for entry in case.setdefault("handover_log", []):
        if entry["id"] == data["handover_id"] and entry["answer"] is None:
            entry.update(answered_on=envelope.time.date().isoformat(),
                         answer=envelope.type.split(".")[1])  # accepted, declined or expired
    handover = case.get("handover")
    if handover is None or handover["id"] != data["handover_id"]:
        if handover is not None:
            return []  # an answer to an older handover
        case["handover"] = {"id": data["handover_id"], "requested_on": envelope.time.date().isoformat()}
    case["handover"]["answered"] = True
    return cases.evaluate(case, deps.clock.today(), deps.now_iso(), deps.rules, new_id)


def record_departure(deps: Deps, data: dict, envelope: Envelope, case: dict, new_id) -> list:
    """The departure day: the arrival is due within a few days of it."""
    case["departed_on"] = data["departed_on"].isoformat()
    return cases.evaluate(case, deps.clock.today(), deps.now_iso(), deps.rules, new_id)


def plan_check_ins(deps: Deps, data: dict, envelope: Envelope, case: dict, new_id) -> list:
    """The arrival starts the plan of check-ins, once."""
    if case["state"] != "awaiting_arrival":
        return []
    case.update(partner_id=data["partner_id"], country=data["country"], region=data["region"],
                vulnerabilities=data["vulnerabilities"])
    if case.get("handover"):
        case["handover"]["answered"] = True
    cases.start_plan(case, data["arrived_on"], deps.rules)
    case["go_live_on"] = data["go_live_on"].isoformat() if data["go_live_on"] else None
    return cases.evaluate(case, deps.clock.today(), deps.now_iso(), deps.rules, new_id)


def apply_update(deps: Deps, data: dict, envelope: Envelope, case: dict, new_id) -> list:
    """The corrected fields (`data`: those the update carried)."""
    case.update(data)
    return []


def blank_free_text(deps: Deps, data: dict, envelope: Envelope, case: dict, new_id) -> list:
    """Erasure: free text, the region and the kept answers go, the history's too."""
    histories.restore(case, deps.repo.history(case))  # the moved check-ins are blanked too, and moved again
    case["region"] = None
    case["erased"] = True
    case["keys"] = []  # the answers kept under recent Idempotency-Keys repeat the notes
    for checkin in case["checkins"]:
        checkin["notes"] = ""
        checkin["reason"] = None if checkin.get("reason") is None else ""
    return []


def close_before_arrival(deps: Deps, data: dict, envelope: Envelope, case: dict, new_id) -> list:
    """An exit before the arrival closes the case with the outcome `exited`."""
    if case["state"] != "awaiting_arrival":
        return []  # arrived: monitoring's own outcomes apply (intake refuses an exit after departure)
    case.update(state="closed", outcome="exited", completed_at=deps.now_iso())
    return cases.evaluate(case, deps.clock.today(), deps.now_iso(), deps.rules, new_id)
