"""What partners does with intake's and monitoring's events: offer, departure, copy updates, consent, exit, erasure."""
from __future__ import annotations



from datetime import date

from services.partners import domain, keys, mail, webhooks
from services.partners.events import (HANDOVER_DECLINED)
from services.partners.mail import AlertRaisedSchema
from services.partners.schemas import (ConsentChangedSchema, DepartedSchema, ErasedSchema, ExitedSchema, ReminderSchema,
                                       MonitoringCompletedSchema,
                                       ReturneeUpdatedSchema,
                                       HandoverRequestedSchema)
from shared.dates import iso_day
from shared.events import Envelope
from shared.kafka import read_event
from services.partners.handlers.handovers import alternatives
from services.partners.handlers.common import _event, _webhook, Deps

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
        "imported": {name: iso_day(day) for name, day in data["imported"].items()} if data["imported"] else None,
    }
    events, webhook, mails = [], None, []
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
        mails = mail.entries(deps, handover["partner_id"], "offer_new", handover["country"], None,
                             f"/offers/{handover['_id']}")  # queued with the offer, as the webhook
    deps.repo.add_handover(handover, events, webhook, envelope.id, mails)  # False when redelivered: it exists


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
    mails = mail.entries(deps, data["partner_id"], "checkin_due_soon", followed[0]["country"],
                         date.fromisoformat(data["due_on"]), f"/cases/{data['returnee_id']}")
    if webhook or mails:
        deps.repo.apply_event(followed[0]["_id"], envelope.id, webhook=webhook, mails=mails)


def tell_checkin_overdue(deps: Deps, envelope: Envelope) -> None:
    """Monitoring raised a check-in overdue alert: mail the people of the partner that follows the returnee."""
    data = read_event(AlertRaisedSchema, envelope)
    if data["type"] != "checkin_overdue" or not data.get("partner_id"):
        return
    followed = deps.repo.handovers_of(data["returnee_id"], ("arrived",), partner_id=data["partner_id"])
    mails = mail.entries(deps, data["partner_id"], "checkin_overdue", data.get("country"), None,
                         f"/cases/{data['returnee_id']}")
    if followed and mails:
        deps.repo.apply_event(followed[0]["_id"], envelope.id, mails=mails)


def apply_consent_change(deps: Deps, envelope: Envelope) -> None:
    """Consent to share withdrawn: forget personal data and withdraw an unanswered offer."""
    data = read_event(ConsentChangedSchema, envelope)
    if data["share_with_partner"]:
        return
    forget = {"personal": None, "personal_sealed": None, "shared": []}
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
                   "personal_sealed": None, "shared": []}
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
