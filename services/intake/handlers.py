"""Intake's use cases: register returnees, record consent, hand over, depart, erase; follow events."""
from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime

from ulid import ULID

from services.intake import disclosure, domain, offices, progress
from services.intake.events import (ALERT_RAISED, ALERT_RESOLVED, CHECKIN_RECORDED, CONSENT_CHANGED, HANDOVER_ACCEPTED,
                                    HANDOVER_DECLINED, HANDOVER_EXPIRED, HANDOVER_REQUESTED, INSIGHTS_UPDATED,
                                    MONITORING_COMPLETED, PLAN_UPDATED, RETURNEE_ARRIVED, RETURNEE_DEPARTED,
                                    RETURNEE_ERASED, RETURNEE_EXITED, RETURNEE_REGISTERED, RETURNEE_UPDATED,
                                    build_event)
from services.intake.repository import AbstractReturneeRepository
from services.intake.schemas import HandoverEventSchema, InsightsEventSchema, MonitoringEventSchema
from shared import sealing
from shared.errors import Conflict, Invalid, NotFound
from shared.events import Envelope
from shared.kafka import read_event
from shared.clock import latest_local_day
from shared.store import to_date
from shared.texts import Text


class Deps:
    def __init__(self, repo: AbstractReturneeRepository, clock):
        self.repo = repo
        self.clock = clock


def _event(deps: Deps, type_: str, returnee_id: str, **data) -> Envelope:
    return build_event(type_, returnee_id, {"returnee_id": returnee_id, **data}, deps.clock.now())


def get_returnee(deps: Deps, returnee_id: str) -> dict:
    """The returnee, or NotFound (unknown or erased)."""
    returnee = deps.repo.get(returnee_id)
    if returnee is None:
        raise NotFound("No such returnee.")
    return returnee


def _change(deps: Deps, returnee: dict, changes: dict, events=(), status: str | None = None) -> dict:
    """Store `changes` (and a move to `status`) with `events`, if nobody changed the returnee since it was read."""
    now = deps.clock.now()
    step = None
    if status is not None and status != returnee["status"]:
        changes, step = {**changes, "status": status}, {"status": status, "at": now}
    changed = deps.repo.change(returnee, {**changes, "updated_at": now}, [e for e in events if e], step)
    if changed is None:
        raise Conflict("The returnee changed meanwhile; read it again and retry.")
    return changed


def _check(returnee: dict, command: str) -> None:
    try:
        domain.check_command(returnee["status"], command)
    except domain.StateConflict as exc:
        raise Conflict(exc.args[0])


def register_returnee(deps: Deps, data: dict) -> dict:
    """Register a returnee; monitoring and partners learn only the pseudonymous facts."""
    now = deps.clock.now()
    returnee_id = "rtn_" + str(ULID())
    trajectory = data.get("trajectory", domain.DEFAULT_TRAJECTORY)
    returnee = {"id": returnee_id, **data, "status": "registered", "created_at": now, "updated_at": now,
                "registered_on": deps.clock.today(), "handover": None, "departed_on": None, "arrived_on": None,
                "history": [{"status": "registered", "at": now}], "trajectory": trajectory,
                "trajectory_history": [{"trajectory": trajectory, "started_on": deps.clock.today(), "recorded_at": now}],
                "decided_on": None, "exit": None,
                "monitoring": {"next_due_on": None, "latest_index": None, "open_alerts": 0}}
    registered = _event(deps, RETURNEE_REGISTERED, returnee_id, country_of_return=data["country_of_return"],
                        registered_on=deps.clock.today().isoformat(), trajectory=trajectory,
                        **_office(data.get("office")))
    return deps.repo.add(returnee, [registered])


def _office(office: str | None) -> dict:
    """What events say of the office: its id and its region (None when not recorded)."""
    return {"office": office, "office_region": offices.region_of(office)}


def update_returnee(deps: Deps, returnee_id: str, changes: dict) -> dict:
    """Correct or complete a returnee's details."""
    returnee = get_returnee(deps, returnee_id)
    if not changes:
        return returnee
    moved = changes.get("country_of_return", returnee["country_of_return"]) != returnee["country_of_return"]
    if moved and returnee["status"] not in domain.COMMANDS["request_handover"]:
        raise Conflict("The country of return cannot change once a partner has the case; "
                       "withdraw consent or wait for a decline first.")
    return _change(deps, returnee, changes, [_copies_update(deps, returnee, changes)])


def _copies_update(deps: Deps, returnee: dict, changes: dict) -> Envelope | None:
    """`returnee.updated.v1` when a partner or monitoring holds a copy of what changed, else None."""
    if not returnee.get("handover") or returnee["status"] == "registered":
        return None  # nobody outside intake has a copy yet
    data = disclosure.update_part(returnee, changes, lambda: deps.repo.personal_key(returnee["id"], sealing.new_key))
    if any(name in changes for name in domain.PERSONAL_FIELDS) and (returnee.get("consent") or {}).get(
            "share_with_partner"):
        data["personal"] = _sealed_personal(deps, {**returnee, **changes})
    if "office" in changes and changes["office"] != returnee.get("office"):
        data.update(_office(changes["office"]))  # monitoring groups outcomes by office and its region
    if not data:
        return None
    return _event(deps, RETURNEE_UPDATED, returnee["id"], changed=sorted(data), **data)


def set_consent(deps: Deps, returnee_id: str, consent: dict) -> dict:
    """Record consent; withdrawing consent to share stops sharing and withdraws an open offer."""
    returnee = get_returnee(deps, returnee_id)
    changes, status = {"consent": consent}, None
    if not consent["share_with_partner"]:
        deps.repo.destroy_personal_key(returnee_id)  # no further sharing, not even from the Kafka log
    if not consent["share_with_partner"] and returnee["status"] == "handover_requested":
        status = "registered"
        changes["handover"] = {**returnee["handover"], "status": "withdrawn"}
    changed = _event(deps, CONSENT_CHANGED, returnee_id,
                     share_with_partner=consent["share_with_partner"],
                     share_outcomes_with_chain_partners=consent["share_outcomes_with_chain_partners"])
    return _change(deps, returnee, changes, [changed], status)


def request_handover(deps: Deps, returnee_id: str, partner_id: str) -> dict:
    """Offer the case to a partner organisation (needs consent to share with the partner)."""
    returnee = get_returnee(deps, returnee_id)
    consent = returnee.get("consent") or {}
    if not consent.get("share_with_partner"):
        raise Conflict("The returnee has not consented to sharing with a partner organisation.")
    _check(returnee, "request_handover")
    if returnee["trajectory"] != domain.RETURN_GUIDANCE:
        raise Conflict("Only a client in return guidance can be handed over; record the decision to return first "
                       "(POST /v1/returnees/{id}/trajectory).")
    handover_id = "hnd_" + str(ULID())
    sealed = _sealed_personal(deps, returnee)
    key = deps.repo.personal_key(returnee_id, sealing.new_key)
    requested = _event(deps, HANDOVER_REQUESTED, returnee_id, handover_id=handover_id,
                       partner_id=partner_id, personal=sealed, **disclosure.handover_part(returnee, key),
                       **_office(returnee.get("office")))
    changes = {"handover": {"id": handover_id, "partner_id": partner_id, "status": "offered",
                            "requested_at": deps.clock.now(), "decline": None},
               "handovers_requested": returnee.get("handovers_requested", 0) + 1}
    return _change(deps, returnee, changes, [requested], "handover_requested")


def _sealed_personal(deps: Deps, returnee: dict) -> dict:
    """The returnee's `personal` sub-object, sealed with the returnee's own key."""
    personal = {k: (_iso(v) if isinstance(v, (date, datetime)) else v)
                for k, v in domain.personal_part(returnee).items()}
    key = deps.repo.personal_key(returnee["id"], sealing.new_key)
    return sealing.seal(key, returnee["id"], personal)


def _iso(value) -> str | None:
    day = to_date(value)
    return day.isoformat() if day else None


def record_departure(deps: Deps, returnee_id: str, departed_on: date) -> dict:
    """Record that the returnee left the Netherlands; after a confirmed arrival too, once, not after the arrival."""
    returnee = get_returnee(deps, returnee_id)
    _check(returnee, "record_departure")
    arrived_on = to_date(returnee.get("arrived_on"))
    if returnee["status"] in domain.AFTER_ARRIVAL and returnee.get("departed_on"):
        raise Conflict(Text("The departure is recorded already ({departed_on}).",
                            departed_on=_iso(returnee["departed_on"])))
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
    departed = _event(deps, RETURNEE_DEPARTED, returnee_id, departed_on=departed_on.isoformat(),
                      handover_id=handover["id"], partner_id=handover["partner_id"],
                      country=returnee["country_of_return"], **_office(returnee.get("office")))
    status = "departed" if returnee["status"] == "handover_accepted" else None  # after arrival: the status stays
    return _change(deps, returnee, {"departed_on": departed_on}, [departed], status)


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
    _check(returnee, "change_trajectory")
    _plausible_day(deps, returnee, "decided_on", decided_on)
    step = {"trajectory": trajectory, "started_on": decided_on, "recorded_at": deps.clock.now()}
    changes = {"trajectory": trajectory, "trajectory_history": returnee["trajectory_history"] + [step],
               "decided_on": decided_on if trajectory == domain.RETURN_GUIDANCE else None}
    return _change(deps, returnee, changes)


def record_exit(deps: Deps, returnee_id: str, data: dict) -> dict:
    """End a case without return (referral, irregularity, LSO, residence permit, other); withdraws an open offer."""
    returnee = get_returnee(deps, returnee_id)
    if returnee["status"] in domain.AFTER_DEPARTURE:
        raise Conflict("The client has departed: an exit is not possible; monitoring's outcomes apply.")
    _check(returnee, "record_exit")
    _plausible_day(deps, returnee, "exited_on", data["exited_on"])
    organisation = data.get("organisation")
    if organisation and not (deps.repo.organisation(organisation) or {}).get("active"):
        raise Invalid("Unknown return organisation.",
                      errors={"organisation": "Not an active return organisation (GET /v1/return-organisations)."})
    changes = {"exit": {**data, "organisation": organisation, "recorded_at": deps.clock.now()}}
    handover = returnee.get("handover") or {}
    if handover.get("status") in ("offered", "accepted"):
        changes["handover"] = {**handover, "status": "withdrawn"}
    exited = _event(deps, RETURNEE_EXITED, returnee_id, reason=data["reason"],
                    exited_on=data["exited_on"].isoformat(), organisation=organisation,
                    trajectory=returnee["trajectory"], handover_id=handover.get("id"),
                    partner_id=handover.get("partner_id"), handover_status=handover.get("status"),
                    **_office(returnee.get("office")))
    return _change(deps, returnee, changes, [exited], "exited")


def progress_report(deps: Deps, returnee_id: str, until: date | None, with_names: bool) -> dict:
    """The half-yearly progress report of one client, for the half year that ends on `until` (default today)."""
    returnee = get_returnee(deps, returnee_id)
    until = until or deps.clock.today()
    if until > deps.clock.today():
        raise Invalid("Implausible report date.", errors={"until": "Must not be in the future."})
    if until < returnee["registered_on"]:
        raise Invalid("Implausible report date.", errors={
            "until": Text("Must not be before the registration ({registered_on}).",
                          registered_on=returnee["registered_on"].isoformat())})
    return progress.progress_report(returnee, until, with_names)


# --- return organisations (the managed list of exits' receiving organisations) ---------------------

DEFAULT_ORGANISATIONS = ("Bridge to Better", "ROS", "Solid Road", "WereldWijd", "IOM")  # 004_..., "In Nederland"


def slug(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:63] or "organisation"


def add_organisation(deps: Deps, data: dict) -> dict:
    """Add a receiving return organisation (administrators); its id is a slug of the name unless given."""
    organisation = {"id": data.get("id") or slug(data["name"]), "name": data["name"], "active": True,
                    "created_at": deps.clock.now()}
    if not deps.repo.add_organisation(organisation):
        raise Conflict(Text("A return organisation with id {id} exists already.", id=repr(organisation["id"])))
    return deps.repo.organisation(organisation["id"])


def set_organisation_active(deps: Deps, organisation_id: str, active: bool) -> dict:
    """Deactivate (or reactivate) a return organisation; past exits keep naming it."""
    organisation = deps.repo.set_organisation_active(organisation_id, active)
    if organisation is None:
        raise NotFound("No such return organisation.")
    return organisation


def seed_organisations(deps: Deps) -> None:
    """The programme's five Dutch return organisations, added once (an administrator's changes stay)."""
    for name in DEFAULT_ORGANISATIONS:
        deps.repo.add_organisation({"id": slug(name), "name": name, "active": True, "created_at": deps.clock.now()})


PERSONAL_AND_FREE_TEXT = domain.PERSONAL_FIELDS + domain.INTERNAL_FIELDS + (
    "reintegration_plan", "region", "languages", "household", "vulnerabilities",  # the tombstone counts without them
    "exit.note")


def erase_returnee(deps: Deps, returnee_id: str) -> None:
    """Right to erasure: delete personal data here and tell the other services to do the same.

    A tombstone without personal data stays so that counts (quarterly report) remain right and
    late events about this id are ignored. The returnee's key is destroyed too (crypto-shredding:
    sealed copies in the log become unreadable).
    """
    get_returnee(deps, returnee_id)
    erased = _event(deps, RETURNEE_ERASED, returnee_id)
    if not deps.repo.erase(returnee_id, PERSONAL_AND_FREE_TEXT, [erased], deps.clock.now()):
        raise NotFound("No such returnee.")  # erased meanwhile by another request


def release_personal_key(deps: Deps, returnee_id: str) -> dict:
    """The sealing key for a service that must open `personal` (partners), while consent allows it."""
    returnee = deps.repo.get(returnee_id)
    key = deps.repo.existing_personal_key(returnee_id)
    if returnee is None or key is None or not (returnee.get("consent") or {}).get("share_with_partner"):
        raise NotFound("No key: unknown returnee, erased, or no consent to share.")
    return {"returnee_id": returnee_id, "algorithm": sealing.ALGORITHM, "key": key}


# --- events from partners and monitoring ----------------------------------------------------------

def follow_handover(deps: Deps, envelope: Envelope) -> None:
    """A partner accepted, declined or confirmed arrival: move the returnee along."""
    data = read_event(HandoverEventSchema, envelope)
    allowed, target = domain.EVENT_TRANSITIONS[envelope.type]
    now = deps.clock.now()
    changes = {"status": target, "handover.status": target.removeprefix("handover_"), "updated_at": now}
    if envelope.type in (HANDOVER_DECLINED, HANDOVER_EXPIRED):
        # the partner's own words are kept; a decline by a rule (automatic, or expired) is said by its
        # reason code alone, which the pages show in their language (the rule's detail is English)
        own_words = envelope.type == HANDOVER_DECLINED and not data["automatic"]
        changes["handover.decline"] = {"reason": data["reason"] or "expired",
                                       "detail": (data["detail"] or "") if own_words else ""}
        changes["handover.status"] = "declined" if envelope.type == HANDOVER_DECLINED else "expired"
    if envelope.type == RETURNEE_ARRIVED:
        changes["arrived_on"] = data["arrived_on"]
        changes["handover.status"] = "arrived"
    deps.repo.apply_handover_event(envelope.id, data["returnee_id"], data["handover_id"], allowed, changes,
                                   {"status": target, "at": now})


def follow_monitoring(deps: Deps, envelope: Envelope) -> None:
    """Show monitoring's latest summary (next due check-in, latest index, open alerts) on the returnee."""
    data = read_event(MonitoringEventSchema, envelope)
    summary = data["summary"]
    changes = {"monitoring": {"next_due_on": summary.get("next_due_on"),
                              "latest_index": summary.get("latest_index"),
                              "open_alerts": summary.get("open_alerts", 0)}}
    if envelope.type == ALERT_RAISED and data.get("type") in ("lost_contact", "re_migrated"):
        changes[f"outcomes.{data['type']}_on"] = envelope.time.date()  # for the quarterly report
    completion = None
    if envelope.type == MONITORING_COMPLETED:
        target = "monitoring_completed" if data.get("outcome", "completed") == "completed" else "closed"
        completion = {"status": target, "at": deps.clock.now()}
    deps.repo.apply_monitoring_event(envelope.id, data["returnee_id"], changes, completion)


def keep_insights(deps: Deps, envelope: Envelope) -> None:
    """Keep the newest country insight from monitoring for counselling (older versions are ignored)."""
    data = read_event(InsightsEventSchema, envelope)
    deps.repo.keep_insight(data["country"], data["version"], envelope.data, deps.clock.now())


HANDLERS = {
    HANDOVER_ACCEPTED: follow_handover,
    HANDOVER_DECLINED: follow_handover,
    HANDOVER_EXPIRED: follow_handover,
    RETURNEE_ARRIVED: follow_handover,
    CHECKIN_RECORDED: follow_monitoring,
    ALERT_RAISED: follow_monitoring,
    ALERT_RESOLVED: follow_monitoring,
    MONITORING_COMPLETED: follow_monitoring,
    PLAN_UPDATED: follow_monitoring,
    INSIGHTS_UPDATED: keep_insights,
}
