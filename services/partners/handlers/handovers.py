"""Handovers as the partner sees them: list, read, accept, decline, confirm the arrival; stale offers expire."""
from __future__ import annotations

from datetime import date, timedelta

from services.partners import domain, mail
from services.partners.events import (HANDOVER_ACCEPTED, HANDOVER_DECLINED, HANDOVER_EXPIRED,
                                      RETURNEE_ARRIVED)
from shared.auth import Principal
from shared.clock import latest_local_day
from shared.errors import Invalid, NotFound
from shared.texts import Text
from services.partners.handlers.common import _event, Deps

EARLIEST_ARRIVAL = date(2000, 1, 1)  # as every event day: Homeward follows returns from 2000 on


def list_handovers(deps: Deps, who: Principal, filters: dict, limit: int, cursor: str | None) -> dict:
    """One page of handovers (`order` "newest": newest first): a partner sees only its own organisation's."""
    newest_first = filters.get("order") == "newest"
    filters = {k: filters.get(k) for k in ("status", "returnee_id")}
    if who.is_partner:
        filters["partner_id"] = who.org
    return deps.repo.handovers_page(filters, limit, cursor, newest_first=newest_first)


def own_handover(deps: Deps, who: Principal, handover_id: str) -> dict:
    """A handover the caller may see (a partner: only its own organisation's), else 404."""
    handover = deps.repo.get_handover(handover_id, who.org if who.is_partner else None)
    if handover is None:
        raise NotFound("No such handover.")
    return handover


def _apply(deps: Deps, handover: dict, action: str, changes: dict, event_type: str, **event_data) -> dict:
    changes = {**changes, "status": domain.next_status(handover["status"], action)}
    return _transition(deps, handover, changes, [_event(deps, event_type, handover, **event_data)])


def _transition(deps: Deps, handover: dict, changes: dict, events: list) -> dict:
    if not deps.repo.transition(handover["_id"], handover["status"], changes, events):
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
    """The partner takes the case. A case a caseload import offered with an arrival (a client who already
    returned, from the organisation's old records) is accepted and arrived in one step: that arrival is
    recorded as the import's (`arrival_source` import), monitoring starts from it with the go-live date."""
    handover = own_handover(deps, who, handover_id)
    now = deps.clock.now()
    arrived_on = (handover.get("imported") or {}).get("arrived_on")
    if not arrived_on:
        return _apply(deps, handover, "accept", {"answered_at": now}, HANDOVER_ACCEPTED,
                      accepted_at=now.isoformat())
    status = domain.next_status(domain.next_status(handover["status"], "accept"), "confirm_arrival")
    changes = {"answered_at": now, "status": status, "arrived_on": date.fromisoformat(arrived_on),
               "arrival_source": "import"}
    return _transition(deps, handover, changes, [
        _event(deps, HANDOVER_ACCEPTED, handover, accepted_at=now.isoformat()),
        _arrived(deps, handover, arrived_on, "import", handover["imported"].get("go_live_on"))])


def _arrived(deps: Deps, handover: dict, arrived_on: str, source: str, go_live_on: str | None = None):
    return _event(deps, RETURNEE_ARRIVED, handover, arrived_on=arrived_on, country=handover["country"],
                  region=handover.get("coarse_region"), vulnerabilities=handover.get("vulnerabilities", []),
                  source=source, go_live_on=go_live_on)


def decline_handover(deps: Deps, who: Principal, handover_id: str, reason: str, detail: str) -> dict:
    """The partner declines; the consultant may offer the case to another partner."""
    handover = own_handover(deps, who, handover_id)
    return _apply(deps, handover, "decline",
                  {"answered_at": deps.clock.now(), "decline": {"reason": reason, "detail": detail}},
                  HANDOVER_DECLINED, reason=reason, detail=detail, alternatives=alternatives(deps, handover))


def confirm_arrival(deps: Deps, who: Principal, handover_id: str, arrived_on: date) -> dict:
    """The partner confirms the returnee arrived; monitoring starts from this date. The date is judged against
    the departure (when recorded) and today, not against the day the partner accepted in Homeward: a returnee
    who travelled before the case was entered can be confirmed, and monitoring judges the past slots as they
    stand (missed, overdue, with their alerts)."""
    handover = own_handover(deps, who, handover_id)
    departed = handover.get("departed_on")
    problem = None
    if arrived_on > latest_local_day(deps.clock.now()):
        problem = Text("Must not be in the future.")
    elif arrived_on < EARLIEST_ARRIVAL:
        problem = Text("Must not be before 2000-01-01.")
    elif departed is not None and arrived_on < departed.date():
        problem = Text("Must not be before the departure date.")
    if problem:
        raise Invalid("The arrival date is not possible.", errors={"arrived_on": problem})
    changes = {"arrived_on": arrived_on, "arrival_source": "partner",
               "status": domain.next_status(handover["status"], "confirm_arrival")}
    return _transition(deps, handover, changes, [_arrived(deps, handover, arrived_on.isoformat(), "partner")])


def warn_expiring_offers(deps: Deps, days: int) -> int:
    """Offers that expire within `mail.OFFER_WARNING_DAYS`: the partner's people are told, once."""
    now, warned = deps.clock.now(), 0
    for handover in deps.repo.offers_to_warn(now - timedelta(days=max(0, days - mail.OFFER_WARNING_DAYS))):
        expires_on = (handover["offered_at"] + timedelta(days=days)).date()
        mails = mail.entries(deps, handover["partner_id"], "offer_expiring", handover["country"], expires_on,
                             f"/offers/{handover['_id']}")
        warned += deps.repo.warn_expiry(handover["_id"], now, mails)
    return warned


def expire_stale_offers(deps: Deps, days: int) -> int:
    """Offers unanswered for `days` expire, so the consultant can offer the case elsewhere."""
    expired = 0
    for handover in deps.repo.stale_offers(deps.clock.now() - timedelta(days=days)):
        changes = {"status": domain.next_status("offered", "expire"), "answered_at": deps.clock.now()}
        event = _event(deps, HANDOVER_EXPIRED, handover, reason="expired",
                       detail=f"No answer within {days} days.", alternatives=alternatives(deps, handover))
        expired += deps.repo.transition(handover["_id"], "offered", changes, [event])
    return expired
