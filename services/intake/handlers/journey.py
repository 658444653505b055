"""A returnee's way: the handover request, the departure, the trajectory decision, the exit without return."""
from __future__ import annotations

from datetime import date

from ulid import ULID

from services.intake import disclosure, domain
from services.intake.events import HANDOVER_REQUESTED, RETURNEE_DEPARTED, RETURNEE_EXITED
from shared import sealing
from shared.errors import Conflict, Invalid
from shared.clock import latest_local_day
from shared.dates import iso_day
from shared.store import to_date
from shared.texts import Text
from services.intake.handlers.common import (Deps, check_command, get_returnee, new_event, office_part,
                                             sealed_personal, store_change)


def request_handover(deps: Deps, returnee_id: str, partner_id: str, imported: dict | None = None) -> dict:
    """Offer the case to a partner organisation (needs consent to share with the partner). `imported`: a
    caseload import's client who already returned ({departed_on, arrived_on, go_live_on}, days or None), which
    the offer carries: when the partner accepts, the departure is recorded here and the arrival there."""
    returnee = get_returnee(deps, returnee_id)
    consent = returnee.get("consent") or {}
    if not consent.get("share_with_partner"):
        raise Conflict("The returnee has not consented to sharing with a partner organisation.")
    check_command(returnee, "request_handover")
    if returnee["trajectory"] != domain.RETURN_GUIDANCE:
        raise Conflict("Only a client in return guidance can be handed over; record the decision to return first "
                       "(POST /v1/returnees/{id}/trajectory).")
    handover_id = "hnd_" + str(ULID())
    sealed = sealed_personal(deps, returnee)
    key = deps.repo.personal_key(returnee_id, sealing.new_key)
    from services.intake import plan_versions  # here: plan_versions builds on this package's common module
    fixed = plan_versions.partner_copy(plan_versions.latest_fixed(deps, returnee_id)) if deps.plans else None
    requested = new_event(deps, HANDOVER_REQUESTED, returnee_id, handover_id=handover_id, partner_id=partner_id,
                          personal=sealed, **disclosure.handover_part({**returnee, "perspective_plan": fixed}, key),
                       consultant=returnee.get("consultant"), imported=imported and _days(imported),
                       **office_part(returnee.get("office")))
    changes = {"handover": {"id": handover_id, "partner_id": partner_id, "status": "offered",
                            "requested_at": deps.clock.now(), "decline": None,
                            "imported": imported and _days(imported)},
               "handovers_requested": returnee.get("handovers_requested", 0) + 1}
    return store_change(deps, returnee, changes, [requested], "handover_requested")


def _days(imported: dict) -> dict:
    return {name: iso_day(imported.get(name)) if imported.get(name) else None
            for name in ("departed_on", "arrived_on", "go_live_on")}


def record_departure(deps: Deps, returnee_id: str, departed_on: date) -> dict:
    """Record that the returnee left the Netherlands; after a confirmed arrival too, once, not after the arrival."""
    returnee = get_returnee(deps, returnee_id)
    check_command(returnee, "record_departure")
    arrived_on = to_date(returnee.get("arrived_on"))
    if returnee["status"] in domain.AFTER_ARRIVAL and returnee.get("departed_on"):
        raise Conflict(Text("The departure is recorded already ({departed_on}).",
                            departed_on=iso_day(returnee["departed_on"])))
    if arrived_on and departed_on > arrived_on:
        raise Invalid("The departure date is after the arrival the partner confirmed.",
                      errors={"departed_on": Text("Must not be after the arrival date ({arrived_on}).",
                                                  arrived_on=arrived_on.isoformat())})
    if departed_on > latest_local_day(deps.clock.now()):
        raise Invalid("The departure date is in the future.", errors={"departed_on": "Must not be in the future."})
    born = returnee.get("date_of_birth")
    if born and departed_on < born:
        raise Invalid("The departure date is before the date of birth.",
                      errors={"departed_on": "Must not be before the date of birth."})
    handover = returnee["handover"]
    departed = new_event(deps, RETURNEE_DEPARTED, returnee_id, departed_on=departed_on.isoformat(),
                      handover_id=handover["id"], partner_id=handover["partner_id"],
                      country=returnee["country_of_return"], **office_part(returnee.get("office")))
    status = "departed" if returnee["status"] == "handover_accepted" else None  # after arrival: the status stays
    return store_change(deps, returnee, {"departed_on": departed_on}, [departed], status)


def _plausible_day(deps: Deps, returnee: dict, field: str, day: date) -> None:
    """A decision or exit happens between the client's current trajectory's start and today."""
    problem = None
    if day > deps.clock.today():
        problem = Text("Must not be in the future.")
    elif day < returnee["registered_on"]:
        problem = Text("Must not be before the registration ({registered_on}).",
                       registered_on=returnee["registered_on"].isoformat())
    elif returnee["trajectory_history"] and day < returnee["trajectory_history"][-1]["started_on"]:
        last = returnee["trajectory_history"][-1]
        problem = Text("Must not be before the client entered {trajectory} ({started_on}).",
                       trajectory=last["trajectory"], started_on=last["started_on"].isoformat())
    if problem:
        raise Invalid(Text("Implausible {field}.", field=field.replace("_", " ")), errors={field: problem})


def change_trajectory(deps: Deps, returnee_id: str, trajectory: str, decided_on: date) -> dict:
    """Record the client's decision to return (future orientation -> return guidance), or going back on it."""
    returnee = get_returnee(deps, returnee_id)
    if returnee["trajectory"] == trajectory:
        raise Conflict(Text("The client is in {trajectory} already.", trajectory=trajectory))
    check_command(returnee, "change_trajectory")
    _plausible_day(deps, returnee, "decided_on", decided_on)
    step = {"trajectory": trajectory, "started_on": decided_on, "recorded_at": deps.clock.now()}
    changes = {"trajectory": trajectory, "trajectory_history": returnee["trajectory_history"] + [step],
               "decided_on": decided_on if trajectory == domain.RETURN_GUIDANCE else None}
    return store_change(deps, returnee, changes)


def record_exit(deps: Deps, returnee_id: str, data: dict) -> dict:
    """End a case without return (referral, irregularity, LSO, residence permit, other); withdraws an open offer."""
    returnee = get_returnee(deps, returnee_id)
    if returnee["status"] in domain.AFTER_DEPARTURE:
        raise Conflict("The client has departed: an exit is not possible; monitoring's outcomes apply.")
    check_command(returnee, "record_exit")
    _plausible_day(deps, returnee, "exited_on", data["exited_on"])
    organisation = data.get("organisation")
    if organisation and not (deps.repo.organisation(organisation) or {}).get("active"):
        raise Invalid("Unknown return organisation.",
                      errors={"organisation": "Not an active return organisation (GET /v1/return-organisations)."})
    changes = {"exit": {**data, "organisation": organisation, "recorded_at": deps.clock.now()}}
    handover = returnee.get("handover") or {}
    if handover.get("status") in ("offered", "accepted"):
        changes["handover"] = {**handover, "status": "withdrawn"}
    exited = new_event(deps, RETURNEE_EXITED, returnee_id, reason=data["reason"],
                    exited_on=data["exited_on"].isoformat(), organisation=organisation,
                    trajectory=returnee["trajectory"], handover_id=handover.get("id"),
                    partner_id=handover.get("partner_id"), handover_status=handover.get("status"),
                    **office_part(returnee.get("office")))
    return store_change(deps, returnee, changes, [exited], "exited")
