"""Following partners' and monitoring's events: the handover's progress, monitoring's summary, country insights."""
from __future__ import annotations

import logging
from datetime import date

from services.intake import domain
from services.intake.events import (ALERT_RAISED, ALERT_RESOLVED, CHECKIN_RECORDED, HANDOVER_ACCEPTED,
                                    HANDOVER_DECLINED, HANDOVER_EXPIRED, INSIGHTS_UPDATED, MONITORING_COMPLETED,
                                    PLAN_UPDATED, RETURNEE_ARRIVED)
from services.intake.vocabulary import DOMAINS
from services.intake.schemas import HandoverEventSchema, InsightsEventSchema, MonitoringEventSchema
from shared.events import Envelope
from shared.kafka import read_event
from services.intake.handlers.common import Deps
from services.intake.handlers.journey import record_departure
from shared.errors import DomainError

log = logging.getLogger(__name__)


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
    if envelope.type == HANDOVER_ACCEPTED:
        record_imported_departure(deps, data["returnee_id"], data["handover_id"])


def record_imported_departure(deps: Deps, returnee_id: str, handover_id: str) -> None:
    """A caseload import's client who already returned: the partner accepted, so the departure the old
    records give is recorded, through the departure's own command (once: a redelivery finds it recorded)."""
    returnee = deps.repo.get(returnee_id)
    handover = (returnee or {}).get("handover") or {}
    departed_on = (handover.get("imported") or {}).get("departed_on")
    if not departed_on or handover.get("id") != handover_id or returnee.get("departed_on"):
        return
    try:
        record_departure(deps, returnee_id, date.fromisoformat(departed_on))
    except DomainError as refusal:  # e.g. erased meanwhile: the departure can still be recorded on its page
        log.warning("imported departure of %s not recorded: %s", returnee_id, refusal.detail)


def follow_monitoring(deps: Deps, envelope: Envelope) -> None:
    """Show monitoring's latest summary (next due check-in, latest index, open alerts, the latest scored check-in's
    domain scores and day) on the returnee."""
    data = read_event(MonitoringEventSchema, envelope)
    summary = data["summary"]
    changes = {"monitoring": {"next_due_on": summary.get("next_due_on"),
                              "latest_index": summary.get("latest_index"),
                              "open_alerts": summary.get("open_alerts", 0),
                              **latest_scores(summary)}}
    if envelope.type == ALERT_RAISED and data.get("type") in ("lost_contact", "re_migrated"):
        changes[f"outcomes.{data['type']}_on"] = envelope.time.date()  # for the quarterly report
    if envelope.type == CHECKIN_RECORDED and data.get("support_delivered_on"):
        changes["outcomes.supported_on"] = data["support_delivered_on"]  # returned with support (programme results)
    completion = None
    if envelope.type == MONITORING_COMPLETED:
        target = "monitoring_completed" if data.get("outcome", "completed") == "completed" else "closed"
        completion = {"status": target, "at": deps.clock.now()}
    deps.repo.apply_monitoring_event(envelope.id, data["returnee_id"], changes, completion)


def latest_scores(summary: dict) -> dict:
    """The summary's `latest_scores` (the five domains, each 1-5 or null) and `latest_scored_on`, read tolerantly:
    an older monitoring that sends neither gives nulls, a value off the scale is dropped."""
    scores = summary.get("latest_scores")
    if not isinstance(scores, dict) or not summary.get("latest_scored_on"):
        return {"latest_scores": None, "latest_scored_on": None}
    return {"latest_scores": {d: v if isinstance(v, int) and 1 <= v <= 5 else None
                              for d, v in ((d, scores.get(d)) for d in DOMAINS)},
            "latest_scored_on": str(summary["latest_scored_on"])[:10]}


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
