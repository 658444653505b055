"""Intake's use cases: register returnees, record consent, hand over, depart, erase; follow events."""
from __future__ import annotations

from datetime import date, datetime

from pymongo.errors import DuplicateKeyError
from ulid import ULID

from services.intake import domain
from services.intake.repository import ReturneeRepository, to_document
from services.intake.schemas import HandoverEventSchema, InsightsEventSchema, MonitoringEventSchema
from shared import sealing, topics
from shared.events import Envelope, new_event
from shared.http import Problem
from shared.kafka import read_event
from shared.outbox import outbox_push
from shared.store import apply_once, to_date, to_datetime


class Deps:
    def __init__(self, repo: ReturneeRepository, clock):
        self.repo = repo
        self.clock = clock


def _event(deps: Deps, type_: str, returnee_id: str, **data) -> dict:
    return outbox_push(topics.RETURNEES,
                       new_event("intake", type_, returnee_id, {"returnee_id": returnee_id, **data},
                                 deps.clock.now()))


def _get(deps: Deps, returnee_id: str) -> dict:
    returnee = deps.repo.get(returnee_id)
    if returnee is None:
        raise Problem(404, "No such returnee.")
    return returnee


def _change(deps: Deps, returnee: dict, changes: dict, push: dict | None = None) -> dict:
    changes = {**changes, "updated_at": deps.clock.now()}
    if not deps.repo.change(returnee, changes, push):
        raise Problem(409, "The returnee changed meanwhile; read it again and retry.")
    return deps.repo.get(returnee["_id"])


def _check(returnee: dict, command: str) -> None:
    try:
        domain.check_command(returnee["status"], command)
    except domain.StateConflict as exc:
        raise Problem(409, str(exc))


def register_returnee(deps: Deps, data: dict) -> dict:
    """Register a returnee; monitoring and partners learn only the pseudonymous facts."""
    now = deps.clock.now()
    returnee_id = "rtn_" + str(ULID())
    doc = {"_id": returnee_id, **to_document(data), "status": "registered", "version": 0,
           "created_at": now, "updated_at": now, "registered_on": to_datetime(deps.clock.today()),
           "handover": None, "departed_on": None, "arrived_on": None, "history": [{"status": "registered", "at": now}],
           "monitoring": {"next_due_on": None, "latest_index": None, "open_alerts": 0}}
    doc["outbox"] = _event(deps, "returnee.registered.v1", returnee_id, country_of_return=data["country_of_return"],
                           vulnerabilities=data.get("vulnerabilities", []),
                           registered_on=deps.clock.today().isoformat())["outbox"]["$each"]
    deps.repo.returnees.insert_one(doc)
    return doc


def update_returnee(deps: Deps, returnee_id: str, changes: dict) -> dict:
    """Correct or complete a returnee's details."""
    returnee = _get(deps, returnee_id)
    if not changes:
        return returnee
    moved = changes.get("country_of_return", returnee["country_of_return"]) != returnee["country_of_return"]
    if moved and returnee["status"] not in domain.COMMANDS["request_handover"]:
        raise Problem(409, "The country of return cannot change once a partner has the case; "
                           "withdraw consent or wait for a decline first.")
    return _change(deps, returnee, to_document(changes), _copies_update(deps, returnee, changes))


def _copies_update(deps: Deps, returnee: dict, changes: dict) -> dict | None:
    """`returnee.updated.v1` when a partner or monitoring holds a copy of what changed, else None."""
    if not returnee.get("handover") or returnee["status"] == "registered":
        return None  # nobody outside intake has a copy yet
    data = {name: _iso(value) if name == "planned_departure_date" else value
            for name, value in changes.items() if name in domain.SHARED_FIELDS}
    if any(name in changes for name in domain.PERSONAL_FIELDS) and (returnee.get("consent") or {}).get(
            "share_with_partner"):
        data["personal"] = _sealed_personal(deps, {**returnee, **changes})
    if not data:
        return None
    return _event(deps, "returnee.updated.v1", returnee["_id"], changed=sorted(data), **data)


def set_consent(deps: Deps, returnee_id: str, consent: dict) -> dict:
    """Record consent; withdrawing consent to share stops sharing and withdraws an open offer."""
    returnee = _get(deps, returnee_id)
    changes = {"consent": to_document({"consent": consent})["consent"]}
    if not consent["share_with_partner"]:
        deps.repo.destroy_personal_key(returnee_id)  # no further sharing, not even from the Kafka log
    if not consent["share_with_partner"] and returnee["status"] == "handover_requested":
        changes["status"] = "registered"
        changes["handover"] = {**returnee["handover"], "status": "withdrawn"}
    push = _event(deps, "returnee.consent_changed.v1", returnee_id,
                  share_with_partner=consent["share_with_partner"],
                  share_outcomes_with_chain_partners=consent["share_outcomes_with_chain_partners"])
    return _change(deps, returnee, _with_history(returnee, changes, deps), push)


def _with_history(returnee: dict, changes: dict, deps: Deps) -> dict:
    if "status" in changes and changes["status"] != returnee["status"]:
        changes["history"] = returnee.get("history", []) + [{"status": changes["status"], "at": deps.clock.now()}]
    return changes


def request_handover(deps: Deps, returnee_id: str, partner_id: str) -> dict:
    """Offer the case to a partner organisation (needs consent to share with the partner)."""
    returnee = _get(deps, returnee_id)
    consent = returnee.get("consent") or {}
    if not consent.get("share_with_partner"):
        raise Problem(409, "The returnee has not consented to sharing with a partner organisation.")
    _check(returnee, "request_handover")
    handover_id = "hnd_" + str(ULID())
    plan = returnee.get("reintegration_plan") or {}
    sealed = _sealed_personal(deps, returnee)
    push = _event(deps, "returnee.handover_requested.v1", returnee_id, handover_id=handover_id,
                  partner_id=partner_id, country_of_return=returnee["country_of_return"],
                  region=returnee.get("region"), languages=returnee.get("languages", []),
                  household=returnee.get("household", {}), vulnerabilities=returnee.get("vulnerabilities", []),
                  reintegration_plan=plan, personal=sealed,
                  planned_departure_date=_iso(returnee.get("planned_departure_date")))
    changes = {"status": "handover_requested",
               "handover": {"id": handover_id, "partner_id": partner_id, "status": "offered",
                            "requested_at": deps.clock.now(), "decline": None},
               "handovers_requested": returnee.get("handovers_requested", 0) + 1}
    return _change(deps, returnee, _with_history(returnee, changes, deps), push)


def _sealed_personal(deps: Deps, returnee: dict) -> dict:
    """The returnee's `personal` sub-object, sealed with the returnee's own key."""
    personal = {k: (_iso(v) if isinstance(v, (date, datetime)) else v)
                for k, v in domain.personal_part(returnee).items()}
    key = deps.repo.personal_key(returnee["_id"], sealing.new_key)
    return sealing.seal(key, returnee["_id"], personal)


def _iso(value) -> str | None:
    day = to_date(value)
    return day.isoformat() if day else None


def record_departure(deps: Deps, returnee_id: str, departed_on: date) -> dict:
    """Record that the returnee left the Netherlands."""
    returnee = _get(deps, returnee_id)
    _check(returnee, "record_departure")
    if departed_on > deps.clock.today():
        raise Problem(422, "The departure date is in the future.", errors={"departed_on": "Must not be in the future."})
    born = to_date(returnee.get("date_of_birth"))
    if born and departed_on < born:
        raise Problem(422, "The departure date is before the date of birth.",
                      errors={"departed_on": "Must not be before the date of birth."})
    handover = returnee["handover"]
    push = _event(deps, "returnee.departed.v1", returnee_id, departed_on=departed_on.isoformat(),
                  handover_id=handover["id"], partner_id=handover["partner_id"],
                  country=returnee["country_of_return"])
    changes = {"status": "departed", "departed_on": to_datetime(departed_on)}
    return _change(deps, returnee, _with_history(returnee, changes, deps), push)


PERSONAL_AND_FREE_TEXT = domain.PERSONAL_FIELDS + domain.INTERNAL_FIELDS + ("reintegration_plan", "region")


def erase_returnee(deps: Deps, returnee_id: str) -> None:
    """Right to erasure: delete personal data here and tell the other services to do the same.

    A tombstone without personal data stays so that counts (quarterly report) remain right and
    late events about this id are ignored.
    """
    returnee = _get(deps, returnee_id)
    unset = {name: "" for name in PERSONAL_AND_FREE_TEXT if name in returnee}
    update = {"$set": {"erased": True, "updated_at": deps.clock.now(), "consent": None},
              "$push": _event(deps, "returnee.erased.v1", returnee_id)}
    if unset:
        update["$unset"] = unset
    deps.repo.returnees.update_one({"_id": returnee_id}, update)
    deps.repo.destroy_personal_key(returnee_id)  # crypto-shredding: sealed copies in the log become unreadable


# --- events from partners and monitoring ----------------------------------------------------------

def release_personal_key(deps: Deps, returnee_id: str) -> dict:
    """The sealing key for a service that must open `personal` (partners), while consent allows it."""
    returnee = deps.repo.get(returnee_id)
    key = deps.repo.keys.find_one({"_id": returnee_id})
    if returnee is None or key is None or not (returnee.get("consent") or {}).get("share_with_partner"):
        raise Problem(404, "No key: unknown returnee, erased, or no consent to share.")
    return {"returnee_id": returnee_id, "algorithm": sealing.ALGORITHM, "key": key["key"]}


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
        changes["arrived_on"] = to_datetime(data["arrived_on"])
        changes["handover.status"] = "arrived"
    apply_once(deps.repo.returnees,
               {"_id": data["returnee_id"], "status": {"$in": list(allowed)}, "handover.id": data["handover_id"]},
               {"$set": changes, "$push": {"history": {"status": target, "at": now}}, "$inc": {"version": 1}},
               envelope.id)


def follow_monitoring(deps: Deps, envelope: Envelope) -> None:
    """Show monitoring's latest summary (next due check-in, latest index, open alerts) on the returnee."""
    data = read_event(MonitoringEventSchema, envelope)
    summary = data["summary"]
    changes = {"monitoring": {"next_due_on": summary.get("next_due_on"),
                              "latest_index": summary.get("latest_index"),
                              "open_alerts": summary.get("open_alerts", 0)}}
    selector = {"_id": data["returnee_id"]}
    update = {"$set": changes}
    if envelope.type == "alert.raised.v1" and data.get("type") in ("lost_contact", "re_migrated"):
        changes[f"outcomes.{data['type']}_on"] = envelope.time.date().isoformat()  # for the quarterly report
    if envelope.type == "monitoring.completed.v1":
        current = deps.repo.returnees.find_one(selector, {"status": 1})
        if current is not None and current["status"] == "arrived":
            target = "monitoring_completed" if data.get("outcome", "completed") == "completed" else "closed"
            selector["status"] = "arrived"
            changes["status"] = target
            update["$push"] = {"history": {"status": target, "at": deps.clock.now()}}
            update["$inc"] = {"version": 1}
    apply_once(deps.repo.returnees, selector, update, envelope.id)


def keep_insights(deps: Deps, envelope: Envelope) -> None:
    """Keep the newest country insight from monitoring for counselling (older versions are ignored)."""
    data = read_event(InsightsEventSchema, envelope)
    insight = envelope.data
    try:
        deps.repo.insights.update_one({"_id": data["country"], "version": {"$lt": data["version"]}},
                                      {"$set": {"insight": insight, "version": data["version"],
                                                "received_at": deps.clock.now()}}, upsert=True)
    except DuplicateKeyError:
        pass  # we hold a newer version already


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
