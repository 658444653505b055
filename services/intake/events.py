"""Intake's events: the types it emits on `homeward.returnees` with one strict schema each (every event is
built by `build_event`, which refuses what its schema does not declare), and the types it reads from
partners and monitoring with the reader schemas of `schemas.py`. README "Topics" tells the whole contract.
"""
from __future__ import annotations

from datetime import datetime

from marshmallow import fields

from shared.events import Envelope, declared_event
from shared.fields import StrictSchema

# --- emitted on homeward.returnees ------------------------------------------------------------------
RETURNEE_REGISTERED = "returnee.registered.v1"
RETURNEE_UPDATED = "returnee.updated.v1"
CONSENT_CHANGED = "returnee.consent_changed.v1"
HANDOVER_REQUESTED = "returnee.handover_requested.v1"
RETURNEE_DEPARTED = "returnee.departed.v1"
RETURNEE_EXITED = "returnee.exited.v1"
RETURNEE_ASSESSED = "returnee.assessed.v1"
RETURNEE_ERASED = "returnee.erased.v1"
ITEM_SHARED = "returnee.item_shared.v1"  # a note or document shared with the partner holding the case
ITEM_UNSHARED = "returnee.item_unshared.v1"  # ... and no longer (unshared, or the document deleted)

# --- read from partners (homeward.handovers) and monitoring (homeward.monitoring, homeward.insights) ----
HANDOVER_ACCEPTED = "handover.accepted.v1"
HANDOVER_DECLINED = "handover.declined.v1"
HANDOVER_EXPIRED = "handover.expired.v1"
RETURNEE_ARRIVED = "returnee.arrived.v1"
CHECKIN_RECORDED = "checkin.recorded.v1"
ALERT_RAISED = "alert.raised.v1"
ALERT_RESOLVED = "alert.resolved.v1"
MONITORING_COMPLETED = "monitoring.completed.v1"
PLAN_UPDATED = "monitoring.plan_updated.v1"
INSIGHTS_UPDATED = "country.insights_updated.v1"


def _nullable(field_class, **kwargs):
    return field_class(required=True, allow_none=True, **kwargs)


class SealedSchema(StrictSchema):
    """Data sealed with the returnee's own key (shared.sealing): what no reader sees without that key."""
    sealed = fields.String(required=True)
    key_id = fields.String(required=True)
    ciphertext = fields.String(required=True)


class PlannedLineSchema(StrictSchema):
    """A planned support line in clear (no description): monitoring's support report adds these up."""
    type = fields.String(required=True)
    amount = _nullable(fields.Float)
    currency = fields.String(required=True)
    funding_source = _nullable(fields.String)


class ReturneeEventSchema(StrictSchema):
    returnee_id = fields.String(required=True)


class OfficeEventSchema(ReturneeEventSchema):
    office = _nullable(fields.String)
    office_region = _nullable(fields.String)


class RegisteredSchema(OfficeEventSchema):
    country_of_return = fields.String(required=True)
    registered_on = fields.Date(required=True)
    trajectory = fields.String(required=True)
    consultant = fields.String(allow_none=True, metadata={
        "description": "the staff user name that follows the client: whom the staff notifications mail"})


class UpdatedSchema(ReturneeEventSchema):
    """Only what changed, of what a partner or monitoring holds a copy of."""
    changed = fields.List(fields.String(), required=True)
    region = fields.String(allow_none=True)
    vulnerabilities = fields.List(fields.String())
    planned_departure_date = fields.Date(allow_none=True)
    profile = fields.Nested(SealedSchema)
    personal = fields.Nested(SealedSchema)
    planned_support = fields.List(fields.Nested(PlannedLineSchema))
    office = fields.String(allow_none=True)
    office_region = fields.String(allow_none=True)
    consultant = fields.String(allow_none=True)  # another staff member follows the client now (mail, "mine")


class ConsentChangedSchema(ReturneeEventSchema):
    share_with_partner = fields.Boolean(required=True)
    share_outcomes_with_chain_partners = fields.Boolean(required=True)


class ImportedReturnSchema(StrictSchema):
    """A caseload import's returned client: what the old records say, recorded when the partner accepts."""
    departed_on = _nullable(fields.Date)
    arrived_on = _nullable(fields.Date)
    go_live_on = _nullable(fields.Date, metadata={
        "description": "slots due before it without a check-in are 'before Homeward': no alert"})


class HandoverRequestedSchema(OfficeEventSchema):
    handover_id = fields.String(required=True)
    partner_id = fields.String(required=True)
    country_of_return = fields.String(required=True)
    region = _nullable(fields.String)
    vulnerabilities = fields.List(fields.String(), required=True)
    planned_departure_date = _nullable(fields.Date)
    planned_support = fields.List(fields.Nested(PlannedLineSchema), required=True)
    personal = fields.Nested(SealedSchema, required=True)
    profile = fields.Nested(SealedSchema, required=True)
    consultant = _nullable(fields.String)  # the staff user who follows the client: monitoring files alerts under it
    imported = fields.Nested(ImportedReturnSchema, required=True, allow_none=True, metadata={
        "description": "null, or a caseload import's dates of a client who already returned"})


class DepartedSchema(OfficeEventSchema):
    departed_on = fields.Date(required=True)
    handover_id = fields.String(required=True)
    partner_id = fields.String(required=True)
    country = fields.String(required=True)


class ExitedSchema(OfficeEventSchema):
    reason = fields.String(required=True)
    exited_on = fields.Date(required=True)
    organisation = _nullable(fields.String)
    trajectory = fields.String(required=True)
    handover_id = _nullable(fields.String)
    partner_id = _nullable(fields.String)
    handover_status = _nullable(fields.String)


class AssessedSchema(ReturneeEventSchema):
    """A judgement before return as monitoring compares it: codes and scores, never the judgement's text."""
    assessment_id = fields.String(required=True)
    assessed_on = fields.Date(required=True)
    moment = fields.String(required=True)
    scores = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True)
    documents = fields.String(required=True)
    safety = fields.String(required=True)


class ItemUnsharedSchema(ReturneeEventSchema):
    item_id = fields.String(required=True)
    item_type = fields.String(required=True, metadata={"description": "note or document"})
    handover_id = fields.String(required=True)
    partner_id = fields.String(required=True)


class ItemSharedSchema(ItemUnsharedSchema):
    """The item's content sealed with the returnee's key, as the plan: a note's text, kind and date; a
    document's title, kind, type and size (its bytes do not travel: partners fetch them from intake)."""
    shared_at = fields.DateTime(required=True)
    content = fields.Nested(SealedSchema, required=True)


EMITS = {
    RETURNEE_REGISTERED: RegisteredSchema(),
    RETURNEE_UPDATED: UpdatedSchema(),
    CONSENT_CHANGED: ConsentChangedSchema(),
    HANDOVER_REQUESTED: HandoverRequestedSchema(),
    RETURNEE_DEPARTED: DepartedSchema(),
    RETURNEE_EXITED: ExitedSchema(),
    RETURNEE_ASSESSED: AssessedSchema(),
    RETURNEE_ERASED: ReturneeEventSchema(),
    ITEM_SHARED: ItemSharedSchema(),
    ITEM_UNSHARED: ItemUnsharedSchema(),
}


def build_event(type_: str, subject: str, data: dict, now: datetime) -> Envelope:
    """A new intake event, its data checked against the schema of its type (UndeclaredEvent if not)."""
    return declared_event("intake", EMITS, type_, subject, data, now)
