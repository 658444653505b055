"""Intake's use cases: register returnees, record consent, hand over, depart, erase; follow events."""
from __future__ import annotations

from datetime import date, datetime

from ulid import ULID

from services.intake import disclosure, domain
from services.intake.repository import AbstractReturneeRepository
from services.intake.schemas import HandoverEventSchema, InsightsEventSchema, MonitoringEventSchema
from shared import sealing
from shared.errors import Conflict, Invalid, NotFound
from shared.events import Envelope, new_event
from shared.kafka import read_event
from shared.store import to_date


class Deps:
    def __init__(self, repo: AbstractReturneeRepository, clock):
        self.repo = repo
        self.clock = clock


def _event(deps: Deps, type_: str, returnee_id: str, **data) -> Envelope:
    return new_event("intake", type_, returnee_id, {"returnee_id": returnee_id, **data}, deps.clock.now())


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
        raise Conflict(str(exc))


def register_returnee(deps: Deps, data: dict) -> dict:
    """Register a returnee; monitoring and partners learn only the pseudonymous facts."""
    now = deps.clock.now()
    returnee_id = "rtn_" + str(ULID())
    returnee = {"id": returnee_id, **data, "status": "registered", "created_at": now, "updated_at": now,
                "registered_on": deps.clock.today(), "handover": None, "departed_on": None, "arrived_on": None,
                "history": [{"status": "registered", "at": now}],
                "monitoring": {"next_due_on": None, "latest_index": None, "open_alerts": 0}}
    registered = _event(deps, "returnee.registered.v1", returnee_id, country_of_return=data["country_of_return"],
                        registered_on=deps.clock.today().isoformat())
    return deps.repo.add(returnee, [registered])


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
    if not data:
        return None
    return _event(deps, "returnee.updated.v1", returnee["id"], changed=sorted(data), **data)


def set_consent(deps: Deps, returnee_id: str, consent: dict) -> dict:
    """Record consent; withdrawing consent to share stops sharing and withdraws an open offer."""
    returnee = get_returnee(deps, returnee_id)
    changes, status = {"consent": consent}, None
    if not consent["share_with_partner"]:
        deps.repo.destroy_personal_key(returnee_id)  # no further sharing, not even from the Kafka log
    if not consent["share_with_partner"] and returnee["status"] == "handover_requested":
        status = "registered"
        changes["handover"] = {**returnee["handover"], "status": "withdrawn"}
    changed = _event(deps, "returnee.consent_changed.v1", returnee_id,
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
    handover_id = "hnd_" + str(ULID())
    sealed = _sealed_personal(deps, returnee)
    key = deps.repo.personal_key(returnee_id, sealing.new_key)
    requested = _event(deps, "returnee.handover_requested.v1", returnee_id, handover_id=handover_id,
                       partner_id=partner_id, personal=sealed, **disclosure.handover_part(returnee, key))
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
    """Record that the returnee left the Netherlands."""
    returnee = get_returnee(deps, returnee_id)
    _check(returnee, "record_departure")
    if departed_on > deps.clock.today():
        raise Invalid("The departure date is in the future.", errors={"departed_on": "Must not be in the future."})
    born = returnee.get("date_of_birth")
    if born and departed_on < born:
        raise Invalid("The departure date is before the date of birth.",
                      errors={"departed_on": "Must not be before the date of birth."})
    handover = returnee["handover"]
    departed = _event(deps, "returnee.departed.v1", returnee_id, departed_on=departed_on.isoformat(),
                      handover_id=handover["id"], partner_id=handover["partner_id"],
                      country=returnee["country_of_return"])
    return _change(deps, returnee, {"departed_on": departed_on}, [departed], "departed")


PERSONAL_AND_FREE_TEXT = domain.PERSONAL_FIELDS + domain.INTERNAL_FIELDS + (
    "reintegration_plan", "region", "languages", "household", "vulnerabilities")  # the tombstone counts without them


def erase_returnee(deps: Deps, returnee_id: str) -> None:
    """Right to erasure: delete personal data here and tell the other services to do the same.

    A tombstone without personal data stays so that counts (quarterly report) remain right and
    late events about this id are ignored. The returnee's key is destroyed too (crypto-shredding:
    sealed copies in the log become unreadable).
    """
    get_returnee(deps, returnee_id)
    erased = _event(deps, "returnee.erased.v1", returnee_id)
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
    if envelope.type in ("handover.declined.v1", "handover.expired.v1"):
        changes["handover.decline"] = {"reason": data["reason"] or "expired", "detail": data["detail"] or ""}
        changes["handover.status"] = "declined" if envelope.type == "handover.declined.v1" else "expired"
    if envelope.type == "returnee.arrived.v1":
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
    if envelope.type == "alert.raised.v1" and data.get("type") in ("lost_contact", "re_migrated"):
        changes[f"outcomes.{data['type']}_on"] = envelope.time.date()  # for the quarterly report
    completion = None
    if envelope.type == "monitoring.completed.v1":
        target = "monitoring_completed" if data.get("outcome", "completed") == "completed" else "closed"
        completion = {"status": target, "at": deps.clock.now()}
    deps.repo.apply_monitoring_event(envelope.id, data["returnee_id"], changes, completion)


def keep_insights(deps: Deps, envelope: Envelope) -> None:
    """Keep the newest country insight from monitoring for counselling (older versions are ignored)."""
    data = read_event(InsightsEventSchema, envelope)
    deps.repo.keep_insight(data["country"], data["version"], envelope.data, deps.clock.now())


HANDLERS = {
    "handover.accepted.v1": follow_handover,
    "handover.declined.v1": follow_handover,
    "handover.expired.v1": follow_handover,
    "returnee.arrived.v1": follow_handover,
    "checkin.recorded.v1": follow_monitoring,
    "alert.raised.v1": follow_monitoring,
    "alert.resolved.v1": follow_monitoring,
    "monitoring.completed.v1": follow_monitoring,
    "monitoring.plan_updated.v1": follow_monitoring,
    "country.insights_updated.v1": keep_insights,
}
