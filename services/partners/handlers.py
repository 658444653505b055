"""Partners' use cases: organisations and credentials, tokens, and the handover lifecycle.

Handlers raise domain errors (`shared.errors`); the HTTP layer maps them to problem responses.
"""
from __future__ import annotations

from datetime import date, timedelta

from ulid import ULID

from services.partners import domain, keys, webhooks
from services.partners.events import (CONSENT_CHANGED, HANDOVER_ACCEPTED, HANDOVER_DECLINED, HANDOVER_EXPIRED,
                                      HANDOVER_REQUESTED, MONITORING_COMPLETED, REMINDER_DUE, RETURNEE_ARRIVED,
                                      RETURNEE_DEPARTED, RETURNEE_ERASED, RETURNEE_EXITED, RETURNEE_UPDATED,
                                      build_event)
from services.partners.repository import AbstractPartnersRepository
from services.partners.targets import SystemResolver, TargetPolicy
from services.partners.schemas import (ConsentChangedSchema, DepartedSchema, ErasedSchema, ExitedSchema, ReminderSchema,
                                       MonitoringCompletedSchema,
                                       ReturneeUpdatedSchema,
                                       HandoverRequestedSchema)
from shared.auth import Principal, TokenIssuer
from shared.clock import earliest_local_day, latest_local_day
from shared.errors import DomainError, Invalid, NotFound
from shared.events import Envelope
from shared.kafka import read_event
from shared.texts import Text

NO_PARTNER = Text("No such partner organisation.")


class InvalidClient(DomainError):
    """Unknown client, wrong secret or inactive organisation (OAuth `invalid_client`)."""

    status = 401


class Deps:
    """What the handlers need; built by bootstrap, replaced piecemeal in tests."""

    def __init__(self, repo: AbstractPartnersRepository, clock, issuer: TokenIssuer | None,
                 key_source: keys.AbstractKeySource, targets: TargetPolicy | None = None,
                 secret_overlap: timedelta = timedelta(hours=24), access=None):
        self.repo = repo
        self.clock = clock
        self.issuer = issuer
        self.key_source = key_source
        self.targets = targets or TargetPolicy(SystemResolver())  # where webhooks may go
        self.secret_overlap = secret_overlap  # how long a rotated webhook secret still signs
        self.access = access  # services.partners.access.AccessEnds: tokens that end before their expiry


def _event(deps: Deps, type_: str, handover: dict, **data) -> Envelope:
    payload = {"handover_id": handover["_id"], "returnee_id": handover["returnee_id"],
               "partner_id": handover["partner_id"], **data}
    return build_event(type_, handover["returnee_id"], payload, deps.clock.now())


def _webhook(deps: Deps, type_: str, handover: dict, **extra) -> dict | None:
    """The webhook message to queue for the handover's partner; None when it has no webhook."""
    if not webhooks.configured(deps.repo.get_partner(handover["partner_id"])):
        return None
    return webhooks.message(type_, handover, deps.clock.now(), **extra)


# --- organisations and credentials (administrators) ----------------------------------------------

def register_partner(deps: Deps, data: dict) -> dict:
    """Create a partner organisation."""
    now = deps.clock.now()
    return deps.repo.add_partner({"_id": "prt_" + str(ULID()), **data, "active": True, "created_at": now,
                                  "updated_at": now})


def get_partner(deps: Deps, partner_id: str) -> dict:
    """A partner organisation (404 when unknown)."""
    partner = deps.repo.get_partner(partner_id)
    if partner is None:
        raise NotFound(NO_PARTNER)
    return partner


def list_partners(deps: Deps, country: str | None, limit: int, cursor: str | None) -> dict:
    """One page of partner organisations, optionally only those serving `country`."""
    return deps.repo.partners_page(country, limit, cursor)


def update_partner(deps: Deps, partner_id: str, changes: dict) -> dict:
    """Change a partner organisation's details."""
    partner = deps.repo.update_partner(partner_id, {**changes, "updated_at": deps.clock.now()})
    if partner is None:
        raise NotFound(NO_PARTNER)
    if changes.get("active") is False and deps.access is not None:
        deps.access.organisation(partner_id)  # its tokens end now, everywhere, not in up to 15 minutes
    return partner


def list_credentials(deps: Deps, partner_id: str) -> list[dict]:
    """A partner's client ids, oldest first (never the secrets)."""
    get_partner(deps, partner_id)
    return deps.repo.credentials_of(partner_id)


def issue_credentials(deps: Deps, partner_id: str) -> dict:
    """New client credentials; the secret is returned once and stored only as a hash."""
    get_partner(deps, partner_id)
    fresh = domain.new_client_secret()
    now = deps.clock.now()
    deps.repo.add_credential({"_id": fresh.client_id, "partner_id": partner_id, "secret_hash": fresh.hashed,
                              "created_at": now})
    return {"client_id": fresh.client_id, "client_secret": fresh.secret, "partner_id": partner_id,
            "created_at": now, "revoked_at": None}


def revoke_credentials(deps: Deps, partner_id: str, client_id: str) -> None:
    """Revoke a client id: its secret stops working at once, and so do the tokens issued with it."""
    if not deps.repo.revoke_credential(partner_id, client_id, deps.clock.now()):
        raise NotFound("No such credentials for this partner organisation.")
    if deps.access is not None:
        deps.access.subjects(partner_id, [client_id])


def revoke_all_credentials(deps: Deps, partner_id: str) -> int:
    """Revoke every client id of a partner organisation (e.g. after a leak), and end their tokens; returns how many."""
    get_partner(deps, partner_id)
    live = [c["_id"] for c in deps.repo.credentials_of(partner_id) if not c.get("revoked_at")]
    revoked = deps.repo.revoke_all_credentials(partner_id, deps.clock.now())
    if deps.access is not None:
        deps.access.subjects(partner_id, live)
    return revoked


def exchange_token(deps: Deps, client_id: str, client_secret: str) -> dict:
    """OAuth2 client credentials grant: a short-lived JWT for the partner's organisation."""
    cred = deps.repo.credential(client_id)
    # the secret is checked whether or not the client id exists or is revoked: the same answer after the same work
    right = domain.secret_matches(client_secret, cred["secret_hash"] if cred else domain.dummy_secret_hash())
    if cred is None or not right or cred.get("revoked_at"):
        raise InvalidClient("Unknown client or wrong secret.")
    partner = deps.repo.get_partner(cred["partner_id"])
    if partner is None or not partner.get("active", True):
        raise InvalidClient("The partner organisation is not active.")
    scope = "handovers checkins"
    token, ttl = deps.issuer.issue(client_id, "partner", org=partner["_id"], scope=scope)
    return {"access_token": token, "token_type": "Bearer", "expires_in": ttl, "scope": scope}


# --- handovers (partner side) ----------------------------------------------------------------------

def list_handovers(deps: Deps, who: Principal, filters: dict, limit: int, cursor: str | None) -> dict:
    """One page of handovers: a partner sees only its own organisation's."""
    filters = {k: filters.get(k) for k in ("status", "returnee_id")}
    if who.is_partner:
        filters["partner_id"] = who.org
    return deps.repo.handovers_page(filters, limit, cursor)


def own_handover(deps: Deps, who: Principal, handover_id: str) -> dict:
    """A handover the caller may see (a partner: only its own organisation's), else 404."""
    handover = deps.repo.get_handover(handover_id, who.org if who.is_partner else None)
    if handover is None:
        raise NotFound("No such handover.")
    return handover


def _apply(deps: Deps, handover: dict, action: str, changes: dict, event_type: str, **event_data) -> dict:
    changes = {**changes, "status": domain.next_status(handover["status"], action)}
    event = _event(deps, event_type, handover, **event_data)
    if not deps.repo.transition(handover["_id"], handover["status"], changes, [event]):
        raise domain.StateConflict("The handover changed meanwhile; read it again.")
    return {**handover, **changes}


def alternatives(deps: Deps, handover: dict) -> list[dict]:
    """The other active partner organisations serving the handover's country that have not already declined
    or let lapse an offer of this returnee: what the consultant's alert suggests for a re-offer."""
    tried = {h["partner_id"] for h in deps.repo.handovers_of(handover["returnee_id"])}
    candidates = deps.repo.partners_page(handover["country"], 50, None)["items"]
    return [{"partner_id": p["id"], "name": p["name"], "languages": p.get("languages", []),
             "services": p.get("services", [])}
            for p in candidates if p.get("active", True) and p["id"] not in tried | {handover["partner_id"]}]


def accept_handover(deps: Deps, who: Principal, handover_id: str) -> dict:
    """The partner takes the case."""
    handover = own_handover(deps, who, handover_id)
    now = deps.clock.now()
    return _apply(deps, handover, "accept", {"answered_at": now}, HANDOVER_ACCEPTED,
                  accepted_at=now.isoformat())


def decline_handover(deps: Deps, who: Principal, handover_id: str, reason: str, detail: str) -> dict:
    """The partner declines; the consultant may offer the case to another partner."""
    handover = own_handover(deps, who, handover_id)
    return _apply(deps, handover, "decline",
                  {"answered_at": deps.clock.now(), "decline": {"reason": reason, "detail": detail}},
                  HANDOVER_DECLINED, reason=reason, detail=detail, alternatives=alternatives(deps, handover))


def confirm_arrival(deps: Deps, who: Principal, handover_id: str, arrived_on: date) -> dict:
    """The partner confirms the returnee arrived; monitoring starts from this date."""
    handover = own_handover(deps, who, handover_id)
    accepted, departed = handover.get("answered_at"), handover.get("departed_on")
    problem = None
    if arrived_on > latest_local_day(deps.clock.now()):
        problem = Text("Must not be in the future.")
    elif departed is not None and arrived_on < departed.date():
        problem = Text("Must not be before the departure date.")
    elif accepted is not None and handover["status"] == "accepted" and arrived_on < earliest_local_day(accepted):
        problem = Text("Must not be before the handover was accepted.")
    if problem:
        raise Invalid("The arrival date is not possible.", errors={"arrived_on": problem})
    return _apply(deps, handover, "confirm_arrival", {"arrived_on": arrived_on},
                  RETURNEE_ARRIVED, arrived_on=arrived_on.isoformat(), country=handover["country"],
                  region=handover.get("coarse_region"), vulnerabilities=handover.get("vulnerabilities", []))


def expire_stale_offers(deps: Deps, days: int) -> int:
    """Offers unanswered for `days` expire, so the consultant can offer the case elsewhere."""
    expired = 0
    for handover in deps.repo.stale_offers(deps.clock.now() - timedelta(days=days)):
        changes = {"status": domain.next_status("offered", "expire"), "answered_at": deps.clock.now()}
        event = _event(deps, HANDOVER_EXPIRED, handover, reason="expired",
                       detail=f"No answer within {days} days.", alternatives=alternatives(deps, handover))
        expired += deps.repo.transition(handover["_id"], "offered", changes, [event])
    return expired


# --- events from intake -----------------------------------------------------------------------------

def offer_handover(deps: Deps, envelope: Envelope) -> None:
    """Create the handover a consultant requested; decline at once when the partner cannot take it."""
    data = read_event(HandoverRequestedSchema, envelope)
    partner = deps.repo.get_partner(data["partner_id"])
    now = deps.clock.now()
    handover = {
        "_id": data["handover_id"], "returnee_id": data["returnee_id"], "partner_id": data["partner_id"],
        "country": data["country_of_return"], "region": data["region"], "coarse_region": data["region"],
        "status": "offered", "offered_at": now,
        "planned_departure_date": data["planned_departure_date"], "languages": data["languages"],
        "household": data["household"], "vulnerabilities": data["vulnerabilities"],
        "reintegration_plan": data["reintegration_plan"],
    }
    events, webhook = [], None
    reason = domain.coverage_problem(partner, handover["country"])
    if reason:
        detail = ("The partner organisation is unknown or inactive." if partner is None or reason == "other"
                  else f"The partner does not serve {handover['country']}.")
        handover.update(status="declined", answered_at=now, decline={"reason": reason, "detail": detail})
        events.append(_event(deps, HANDOVER_DECLINED, handover, reason=reason, detail=detail, automatic=True,
                             alternatives=alternatives(deps, handover)))
    else:
        sealed = {name: data[name] for name in ("personal", "profile") if data[name] is not None}
        handover.update(keys.open_copy(deps.key_source, data["returnee_id"], **sealed))
        if webhooks.configured(partner):  # queued in the inserted document: offer and webhook stand or fall together
            webhook = webhooks.message(webhooks.OFFERED, handover, now)
    deps.repo.add_handover(handover, events, webhook, envelope.id)  # False when redelivered: it exists


def open_sealed_personal(deps: Deps) -> int:
    """Retry opening sealed data that arrived while intake could not be asked; returns how many opened."""
    opened = 0
    for handover in deps.repo.sealed_handovers():
        sealed = {name: handover[f"{name}_sealed"] for name in ("personal", "profile") if handover.get(f"{name}_sealed")}
        changes = keys.open_copy(deps.key_source, handover["returnee_id"], **sealed)
        if not any(changes.get(f"{name}_sealed") for name in sealed) and deps.repo.store_opened(handover["_id"], changes):
            opened += changes.get("personal") is not None or "reintegration_plan" in changes
    return opened


def record_departure(deps: Deps, envelope: Envelope) -> None:
    """Note the departure date on the returnee's live handover (and tell the partner), or on the arrived one
    when the partner confirmed the arrival before the departure reached us (no webhook: the person is there)."""
    data = read_event(DepartedSchema, envelope)
    current = deps.repo.handovers_of(data["returnee_id"], domain.DEPARTURE_NOTED)
    if not current:
        return  # declined, expired or withdrawn: that partner no longer follows the returnee
    handover, changes = current[0], {"departed_on": data["departed_on"]}
    # while live, with the webhook; if it was arrived (or became so meanwhile), the date alone
    if not deps.repo.apply_event(handover["_id"], envelope.id, changes,
                                 webhook=_webhook(deps, webhooks.DEPARTED, handover), statuses=domain.LIVE):
        deps.repo.apply_event(handover["_id"], envelope.id, changes, statuses=("arrived",))


def update_copy(deps: Deps, envelope: Envelope) -> None:
    """The consultant corrected details the partner holds: update the live handovers' copies."""
    data = read_event(ReturneeUpdatedSchema, envelope)
    changes = {k: v for k, v in data.items() if k not in ("returnee_id", "changed", "personal", "profile")}
    if "region" in data:
        changes["coarse_region"] = data["region"]  # what travels in clear, passed on in `returnee.arrived.v1`
        if "profile" in data:
            del changes["region"]  # the exact region comes sealed in the profile
    sealed = {name: data[name] for name in ("personal", "profile") if name in data}
    if sealed:
        changes.update(keys.open_copy(deps.key_source, data["returnee_id"], **sealed))
    if not changes:
        return
    for handover in deps.repo.handovers_of(data["returnee_id"], domain.FOLLOWED):
        deps.repo.apply_event(handover["_id"], envelope.id, changes)


def remind_partner(deps: Deps, envelope: Envelope) -> None:
    """A check-in falls due soon: tell the partner that follows the returnee (webhook `checkin.due_soon`)."""
    data = read_event(ReminderSchema, envelope)
    followed = deps.repo.handovers_of(data["returnee_id"], ("arrived",), partner_id=data["partner_id"])
    if not followed:
        return
    webhook = _webhook(deps, webhooks.DUE_SOON, followed[0], slot=data["slot"], due_on=data["due_on"])
    if webhook:
        deps.repo.apply_event(followed[0]["_id"], envelope.id, webhook=webhook)


def apply_consent_change(deps: Deps, envelope: Envelope) -> None:
    """Consent to share withdrawn: forget personal data and withdraw an unanswered offer."""
    data = read_event(ConsentChangedSchema, envelope)
    if data["share_with_partner"]:
        return
    forget = {"personal": None, "personal_sealed": None}
    for handover in deps.repo.handovers_of(data["returnee_id"]):
        if handover["status"] == "offered":
            deps.repo.apply_event(handover["_id"], envelope.id,
                                  {**forget, "status": domain.next_status("offered", "withdraw"),
                                   "answered_at": deps.clock.now()},
                                  webhook=_webhook(deps, webhooks.WITHDRAWN, handover), statuses=("offered",))
        else:
            deps.repo.apply_event(handover["_id"], envelope.id, forget)


def withdraw_for_exit(deps: Deps, envelope: Envelope) -> None:
    """The client left the programme before departing (another return organisation, out of sight, ...):
    an offered or accepted handover is withdrawn, the partner told (webhook `handover.withdrawn`) and
    the copy's personal data forgotten (the rest goes with the retention of withdrawn copies)."""
    data = read_event(ExitedSchema, envelope)
    for handover in deps.repo.handovers_of(data["returnee_id"], domain.LIVE):
        changes = {"status": domain.next_status(handover["status"], "retract"), "personal": None,
                   "personal_sealed": None}
        if handover["status"] == "offered":
            changes["answered_at"] = deps.clock.now()
        deps.repo.apply_event(handover["_id"], envelope.id, changes,
                              webhook=_webhook(deps, webhooks.WITHDRAWN, handover), statuses=(handover["status"],))


def erase_returnee(deps: Deps, envelope: Envelope) -> None:
    """Right to erasure: delete the partner copy's personal data and free text."""
    deps.repo.erase_returnee(read_event(ErasedSchema, envelope)["returnee_id"])


def note_monitoring_ended(deps: Deps, envelope: Envelope) -> None:
    """Monitoring ended: the partner's copy of personal data is kept PARTNER_RETENTION_DAYS from now."""
    data = read_event(MonitoringCompletedSchema, envelope)
    for handover in deps.repo.handovers_of(data["returnee_id"], ("arrived",)):
        deps.repo.apply_event(handover["_id"], envelope.id, {"monitoring_ended_at": envelope.time})


HANDLERS = {
    MONITORING_COMPLETED: note_monitoring_ended,
    RETURNEE_UPDATED: update_copy,
    REMINDER_DUE: remind_partner,
    HANDOVER_REQUESTED: offer_handover,
    RETURNEE_DEPARTED: record_departure,
    CONSENT_CHANGED: apply_consent_change,
    RETURNEE_ERASED: erase_returnee,
    RETURNEE_EXITED: withdraw_for_exit,
}
