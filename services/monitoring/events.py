"""Monitoring's events: a case's on `homeward.monitoring`, a country's insight on `homeward.insights`, each
type with its strict schema (`build_event` refuses data it does not declare), then the names of what it
reads from intake and partners, whose tolerant readers live in `schemas.py`.
"""
from __future__ import annotations

from datetime import datetime

from marshmallow import fields, validate

from shared.events import Envelope, declared_event
from shared.fields import StrictSchema

# --- emitted on homeward.monitoring -----------------------------------------------------------------
CHECKIN_RECORDED = "checkin.recorded.v1"
ALERT_RAISED = "alert.raised.v1"
ALERT_RESOLVED = "alert.resolved.v1"
MONITORING_COMPLETED = "monitoring.completed.v1"
PLAN_UPDATED = "monitoring.plan_updated.v1"  # the next due date moved
REMINDER_DUE = "checkin.reminder_due.v1"
# --- emitted on homeward.insights -------------------------------------------------------------------
INSIGHTS_UPDATED = "country.insights_updated.v1"

# --- read from intake (homeward.returnees) and partners (homeward.handovers) --------------------------
RETURNEE_UPDATED = "returnee.updated.v1"
HANDOVER_REQUESTED = "returnee.handover_requested.v1"
HANDOVER_ACCEPTED = "handover.accepted.v1"
HANDOVER_DECLINED = "handover.declined.v1"
HANDOVER_EXPIRED = "handover.expired.v1"
RETURNEE_DEPARTED = "returnee.departed.v1"
RETURNEE_ARRIVED = "returnee.arrived.v1"
RETURNEE_ERASED = "returnee.erased.v1"
RETURNEE_EXITED = "returnee.exited.v1"
RETURNEE_ASSESSED = "returnee.assessed.v1"  # the judgement before return (repository/before_return.py)
ACCESS_REVOKED = "partner.access_revoked.v1"  # a partner's tokens that end before their expiry


class LatestScoresSchema(StrictSchema):
    """The latest scored check-in's domain scores: each 1-5, or null when that domain was not scored."""
    economic = fields.Integer(required=True, allow_none=True, validate=validate.Range(1, 5))
    housing = fields.Integer(required=True, allow_none=True, validate=validate.Range(1, 5))
    social = fields.Integer(required=True, allow_none=True, validate=validate.Range(1, 5))
    health = fields.Integer(required=True, allow_none=True, validate=validate.Range(1, 5))
    resilience = fields.Integer(required=True, allow_none=True, validate=validate.Range(1, 5))


class SummarySchema(StrictSchema):
    """What intake shows on the returnee (domain.model.summary)."""
    next_due_on = fields.Date(required=True, allow_none=True)
    latest_index = fields.Float(required=True, allow_none=True)
    open_alerts = fields.Integer(required=True)
    state = fields.String(required=True)
    latest_scores = fields.Nested(LatestScoresSchema, required=True, allow_none=True, metadata={
        "description": "the latest scored check-in's domain scores (codes and figures only, no free text); "
                       "null before the first scored check-in"})
    latest_scored_on = fields.Date(required=True, allow_none=True, metadata={
        "description": "that check-in's contact date"})


class CaseEventSchema(StrictSchema):
    returnee_id = fields.String(required=True)
    country = fields.String(required=True)
    partner_id = fields.String(required=True, allow_none=True)
    summary = fields.Nested(SummarySchema, required=True)


class CheckinRecordedSchema(CaseEventSchema):
    checkin_id = fields.String(required=True)
    slot = fields.Raw(required=True, metadata={"description": "the month (1, 3, 6, 12) or ad_hoc"})
    contact_date = fields.Date(required=True)
    index = fields.Float(required=True, allow_none=True)
    supersedes = fields.String(required=True, allow_none=True)
    support_delivered_on = fields.Date(required=True, allow_none=True, metadata={
        "description": "the first day of the support this check-in reports delivered; null: none (intake's "
                       "programme results count a return with reintegration support from it)"})


class AlertRaisedSchema(CaseEventSchema):
    alert_id = fields.String(required=True)
    type = fields.String(required=True)
    detail = fields.String(required=True)
    checkin_id = fields.String()  # the alerts a check-in raised
    slot = fields.Raw()


class AlertResolvedSchema(CaseEventSchema):
    alert_id = fields.String(required=True)
    type = fields.String(required=True)
    resolved_by = fields.String(required=True)


class CompletedSchema(CaseEventSchema):
    outcome = fields.String(required=True)


class ReminderDueSchema(CaseEventSchema):
    """For the partner that follows the case (an active case has one)."""
    partner_id = fields.String(required=True)
    slot = fields.Raw(required=True)
    due_on = fields.Date(required=True)


class InsightsUpdatedSchema(StrictSchema):
    """A country's insight (domain.insights.insight_from_totals): figures only from at least k returnees."""
    country = fields.String(required=True)
    version = fields.Integer(required=True)
    returnees = fields.Integer(required=True)
    checkins = fields.Integer(required=True)
    suppressed = fields.Boolean(required=True)
    k = fields.Integer(required=True)
    updated_at = fields.DateTime(required=True)
    mean_scores_by_slot = fields.Dict()
    safety_concern_share = fields.Float()
    weakest_domain = fields.String(allow_none=True)
    support = fields.Dict()
    mean_latest_index = fields.Float(allow_none=True)
    latest_contact_on = fields.String(allow_none=True)
    regions = fields.Dict()


EMITS = {
    CHECKIN_RECORDED: CheckinRecordedSchema(),
    ALERT_RAISED: AlertRaisedSchema(),
    ALERT_RESOLVED: AlertResolvedSchema(),
    MONITORING_COMPLETED: CompletedSchema(),
    PLAN_UPDATED: CaseEventSchema(),
    REMINDER_DUE: ReminderDueSchema(),
    INSIGHTS_UPDATED: InsightsUpdatedSchema(),
}


def build_event(type_: str, subject: str, data: dict, now: datetime) -> Envelope:
    """A new monitoring event, its data checked against the schema of its type (UndeclaredEvent if not)."""
    return declared_event("monitoring", EMITS, type_, subject, data, now)
