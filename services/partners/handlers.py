"""Partners' use cases: organisations and credentials, tokens, and the handover lifecycle."""
from __future__ import annotations

from datetime import date, timedelta

from pymongo.errors import DuplicateKeyError
from ulid import ULID

from services.partners import domain, keys, webhooks
from services.partners.repository import PartnersRepository
from services.partners.schemas import (ConsentChangedSchema, DepartedSchema, ErasedSchema, ReminderSchema,
                                       ReturneeUpdatedSchema,
                                       HandoverRequestedSchema)
from shared import topics
from shared.auth import Principal, TokenIssuer
from shared.events import Envelope, new_event
from shared.http import Problem
from shared.kafka import read_event
from shared.outbox import outbox_push
from shared.store import apply_once, to_datetime


class Deps:
    """What the handlers need; built by bootstrap, replaced piecemeal in tests."""

    def __init__(self, repo: PartnersRepository, clock, issuer: TokenIssuer | None,
                 key_source: keys.AbstractKeySource):
        self.repo = repo
        self.clock = clock
        self.issuer = issuer
        self.key_source = key_source


def _event(deps: Deps, type_: str, handover: dict, **data) -> dict:
    payload = {"handover_id": handover["_id"], "returnee_id": handover["returnee_id"],
               "partner_id": handover["partner_id"], **data}
    return outbox_push(topics.HANDOVERS,
                       new_event("partners", type_, handover["returnee_id"], payload, deps.clock.now()))


def _webhook_push(deps: Deps, type_: str, handover: dict, **extra) -> dict:
    """The `$push` clause that queues a webhook to the handover's partner; {} when it has no webhook."""
    if not webhooks.configured(deps.repo.get_partner(handover["partner_id"])):
        return {}
    return {"webhook_outbox": webhooks.message(type_, handover, deps.clock.now(), **extra)}


# --- organisations and credentials (administrators) ----------------------------------------------

def register_partner(deps: Deps, data: dict) -> dict:
    """Create a partner organisation."""
    now = deps.clock.now()
    doc = {"_id": "prt_" + str(ULID()), **data, "active": True, "created_at": now, "updated_at": now}
    deps.repo.partners.insert_one(doc)
    return doc


def update_partner(deps: Deps, partner_id: str, changes: dict) -> dict:
    """Change a partner organisation's details."""
    doc = deps.repo.partners.find_one_and_update(
        {"_id": partner_id}, {"$set": {**changes, "updated_at": deps.clock.now()}}, return_document=True)
    if doc is None:
        raise Problem(404, "No such partner organisation.")
    return doc


def issue_credentials(deps: Deps, partner_id: str) -> dict:
    """New client credentials; the secret is returned once and stored only as a hash."""
    if deps.repo.get_partner(partner_id) is None:
        raise Problem(404, "No such partner organisation.")
    fresh = domain.new_client_secret()
    doc = {"_id": fresh.client_id, "partner_id": partner_id, "secret_hash": fresh.hashed,
           "created_at": deps.clock.now(), "revoked_at": None}
    deps.repo.credentials.insert_one(doc)
    return {"client_id": fresh.client_id, "client_secret": fresh.secret, "partner_id": partner_id,
            "created_at": doc["created_at"], "revoked_at": None}


def revoke_credentials(deps: Deps, partner_id: str, client_id: str) -> None:
    """Revoke a client id: its secret stops working at once (issued tokens live at most 15 min)."""
    result = deps.repo.credentials.update_one(
        {"_id": client_id, "partner_id": partner_id, "revoked_at": None},
        {"$set": {"revoked_at": deps.clock.now()}})
    if result.matched_count == 0 and deps.repo.credentials.find_one(
            {"_id": client_id, "partner_id": partner_id}) is None:
        raise Problem(404, "No such credentials for this partner organisation.")


def revoke_all_credentials(deps: Deps, partner_id: str) -> int:
    """Revoke every client id of a partner organisation (e.g. after a leak); returns how many."""
    if deps.repo.get_partner(partner_id) is None:
        raise Problem(404, "No such partner organisation.")
    result = deps.repo.credentials.update_many({"partner_id": partner_id, "revoked_at": None},
                                               {"$set": {"revoked_at": deps.clock.now()}})
    return result.modified_count


def exchange_token(deps: Deps, client_id: str, client_secret: str) -> dict:
    """OAuth2 client credentials grant: a short-lived JWT for the partner's organisation."""
    cred = deps.repo.credentials.find_one({"_id": client_id or ""})
    if cred is None or cred.get("revoked_at") or not domain.secret_matches(client_secret or "", cred["secret_hash"]):
        raise Problem(401, "Unknown client or wrong secret.", title="invalid_client",
                      headers={"WWW-Authenticate": 'Basic realm="homeward"'})
    partner = deps.repo.get_partner(cred["partner_id"])
    if partner is None or not partner.get("active", True):
        raise Problem(401, "The partner organisation is not active.", title="invalid_client")
    scope = "handovers checkins"
    token, ttl = deps.issuer.issue(client_id, "partner", org=partner["_id"], scope=scope)
    return {"access_token": token, "token_type": "Bearer", "expires_in": ttl, "scope": scope}


# --- handovers (partner side) ----------------------------------------------------------------------

def _own_handover(deps: Deps, who: Principal, handover_id: str) -> dict:
    handover = deps.repo.get_handover(handover_id, who.org if who.is_partner else None)
    if handover is None:
        raise Problem(404, "No such handover.")
    return handover


def _apply(deps: Deps, handover: dict, action: str, changes: dict, event_type: str, **event_data) -> dict:
    try:
        target = domain.next_status(handover["status"], action)
    except domain.StateConflict as exc:
        raise Problem(409, str(exc))
    changes = {**changes, "status": target}
    push = _event(deps, event_type, handover, **event_data)
    if not deps.repo.transition(handover["_id"], handover["status"], changes, push):
        raise Problem(409, "The handover changed meanwhile; read it again.")
    return {**handover, **changes}


def accept_handover(deps: Deps, who: Principal, handover_id: str) -> dict:
    """The partner takes the case."""
    handover = _own_handover(deps, who, handover_id)
    now = deps.clock.now()
    return _apply(deps, handover, "accept", {"answered_at": now}, "handover.accepted.v1",
                  accepted_at=now.isoformat())


def decline_handover(deps: Deps, who: Principal, handover_id: str, reason: str, detail: str) -> dict:
    """The partner declines; the consultant may offer the case to another partner."""
    handover = _own_handover(deps, who, handover_id)
    return _apply(deps, handover, "decline",
                  {"answered_at": deps.clock.now(), "decline": {"reason": reason, "detail": detail}},
                  "handover.declined.v1", reason=reason, detail=detail)


def confirm_arrival(deps: Deps, who: Principal, handover_id: str, arrived_on: date) -> dict:
    """The partner confirms the returnee arrived; monitoring starts from this date."""
    handover = _own_handover(deps, who, handover_id)
    errors = {}
    if arrived_on > deps.clock.today():
        errors["arrived_on"] = "Must not be in the future."
    departed = handover.get("departed_on")
    if departed is not None and arrived_on < departed.date():
        errors["arrived_on"] = "Must not be before the departure date."
    if errors:
        raise Problem(422, "The arrival date is not possible.", errors=errors)
    return _apply(deps, handover, "confirm_arrival", {"arrived_on": to_datetime(arrived_on)},
                  "returnee.arrived.v1", arrived_on=arrived_on.isoformat(), country=handover["country"],
                  region=handover.get("region"), vulnerabilities=handover.get("vulnerabilities", []))


def expire_stale_offers(deps: Deps, days: int) -> int:
    """Offers unanswered for `days` expire, so the consultant can offer the case elsewhere."""
    cutoff = deps.clock.now() - timedelta(days=days)
    expired = 0
    for handover in deps.repo.handovers.find({"status": "offered", "offered_at": {"$lte": cutoff}}):
        changes = {"status": domain.next_status("offered", "expire"), "answered_at": deps.clock.now()}
        push = _event(deps, "handover.expired.v1", handover, reason="expired",
                      detail=f"No answer within {days} days.")
        expired += deps.repo.transition(handover["_id"], "offered", changes, push)
    return expired


# --- events from intake -----------------------------------------------------------------------------

def offer_handover(deps: Deps, envelope: Envelope) -> None:
    """Create the handover a consultant requested; decline at once when the partner cannot take it."""
    data = read_event(HandoverRequestedSchema, envelope)
    partner = deps.repo.get_partner(data["partner_id"])
    now = deps.clock.now()
    doc = {
        "_id": data["handover_id"], "returnee_id": data["returnee_id"], "partner_id": data["partner_id"],
        "country": data["country_of_return"], "region": data["region"], "status": "offered",
        "offered_at": now, "answered_at": None, "decline": None, "departed_on": None, "arrived_on": None,
        "planned_departure_date": to_datetime(data["planned_departure_date"]) if data["planned_departure_date"] else None,
        "languages": data["languages"], "household": data["household"],
        "vulnerabilities": data["vulnerabilities"], "reintegration_plan": data["reintegration_plan"],
        "personal": None, "personal_sealed": None, "seen_events": [envelope.id], "outbox": [], "webhook_outbox": [],
    }
    reason = domain.coverage_problem(partner, doc["country"])
    if reason:
        detail = ("The partner organisation is unknown or inactive." if partner is None or reason == "other"
                  else f"The partner does not serve {doc['country']}.")
        doc.update(status="declined", answered_at=now, decline={"reason": reason, "detail": detail}, personal=None)
        doc["outbox"] = _event(deps, "handover.declined.v1", doc, reason=reason, detail=detail,
                               automatic=True)["outbox"]["$each"]
    else:
        doc["personal"], doc["personal_sealed"] = keys.open_personal(deps.key_source, data["returnee_id"],
                                                                     data["personal"])
        if webhooks.configured(partner):  # queued in the inserted document: offer and webhook stand or fall together
            doc["webhook_outbox"] = [webhooks.message(webhooks.OFFERED, doc, now)]
    try:
        deps.repo.handovers.insert_one(doc)
    except DuplicateKeyError:
        return  # redelivered: the handover exists already


def open_sealed_personal(deps: Deps) -> int:
    """Retry opening personal data that arrived while intake could not be asked; returns how many opened."""
    opened = 0
    for handover in deps.repo.handovers.find({"personal_sealed": {"$ne": None}}):
        personal, sealed = keys.open_personal(deps.key_source, handover["returnee_id"], handover["personal_sealed"])
        if sealed is None:
            deps.repo.handovers.update_one({"_id": handover["_id"], "personal_sealed": {"$ne": None}},
                                           {"$set": {"personal": personal, "personal_sealed": None}})
            opened += personal is not None
    return opened


def record_departure(deps: Deps, envelope: Envelope) -> None:
    """Note the departure date on the returnee's live handover."""
    data = read_event(DepartedSchema, envelope)
    live = {"returnee_id": data["returnee_id"], "status": {"$in": ["accepted", "offered"]}}
    handover = deps.repo.handovers.find_one(live)
    if handover is None:
        return
    update = {"$set": {"departed_on": to_datetime(data["departed_on"])},
              "$push": _webhook_push(deps, webhooks.DEPARTED, handover)}
    apply_once(deps.repo.handovers, {**live, "_id": handover["_id"]}, update, envelope.id)


def update_copy(deps: Deps, envelope: Envelope) -> None:
    """The consultant corrected details the partner holds: update the live handovers' copies."""
    data = read_event(ReturneeUpdatedSchema, envelope)
    changes = {k: v for k, v in data.items() if k not in ("returnee_id", "changed", "personal")}
    if "planned_departure_date" in changes:
        day = changes["planned_departure_date"]
        changes["planned_departure_date"] = to_datetime(day) if day else None
    if "personal" in data:
        changes["personal"], changes["personal_sealed"] = keys.open_personal(
            deps.key_source, data["returnee_id"], data["personal"])
    if not changes:
        return
    live = {"returnee_id": data["returnee_id"], "status": {"$in": ["offered", "accepted", "arrived"]}}
    for handover in deps.repo.handovers.find(live, {"_id": 1}):
        apply_once(deps.repo.handovers, {"_id": handover["_id"]}, {"$set": changes}, envelope.id)


def remind_partner(deps: Deps, envelope: Envelope) -> None:
    """A check-in falls due soon: tell the partner that follows the returnee (webhook `checkin.due_soon`)."""
    data = read_event(ReminderSchema, envelope)
    selector = {"returnee_id": data["returnee_id"], "partner_id": data["partner_id"], "status": "arrived"}
    handover = deps.repo.handovers.find_one(selector)
    if handover is None:
        return
    push = _webhook_push(deps, webhooks.DUE_SOON, handover, slot=data["slot"], due_on=data["due_on"])
    if push:
        apply_once(deps.repo.handovers, {"_id": handover["_id"]}, {"$push": push}, envelope.id)


def apply_consent_change(deps: Deps, envelope: Envelope) -> None:
    """Consent to share withdrawn: forget personal data and withdraw an unanswered offer."""
    data = read_event(ConsentChangedSchema, envelope)
    if data["share_with_partner"]:
        return
    repo = deps.repo
    for handover in repo.handovers.find({"returnee_id": data["returnee_id"]}):
        if handover["status"] == "offered":
            apply_once(repo.handovers, {"_id": handover["_id"], "status": "offered"},
                       {"$set": {"status": "withdrawn", "personal": None, "personal_sealed": None,
                                 "answered_at": deps.clock.now()},
                        "$push": _webhook_push(deps, webhooks.WITHDRAWN, handover)},
                       envelope.id)
        else:
            apply_once(repo.handovers, {"_id": handover["_id"]}, {"$set": {"personal": None, "personal_sealed": None}},
                       envelope.id)


def erase_returnee(deps: Deps, envelope: Envelope) -> None:
    """Right to erasure: delete the partner copy's personal data and free text."""
    data = read_event(ErasedSchema, envelope)
    selector = {"returnee_id": data["returnee_id"]}
    deps.repo.handovers.update_many(selector, {"$set": {"personal": None, "personal_sealed": None, "reintegration_plan": {},
                                                           "erased": True}})
    deps.repo.handovers.update_many({**selector, "decline.reason": {"$exists": True}},
                                    {"$set": {"decline.detail": ""}})


HANDLERS = {
    "returnee.updated.v1": update_copy,
    "checkin.reminder_due.v1": remind_partner,
    "returnee.handover_requested.v1": offer_handover,
    "returnee.departed.v1": record_departure,
    "returnee.consent_changed.v1": apply_consent_change,
    "returnee.erased.v1": erase_returnee,
}
