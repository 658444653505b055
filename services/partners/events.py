"""Partners' events: what it emits on `homeward.handovers`, a strict schema per type and version, checked
when `build_event` builds one; and the names of the types it reads from intake and monitoring (their
readers are in `schemas.py`). tests/unit/contract/test_events.py pairs these with every consumer.
"""
from __future__ import annotations

from datetime import datetime

from marshmallow import fields

from shared.events import Envelope, declared_event
from shared.fields import StrictSchema

# --- emitted on homeward.handovers ------------------------------------------------------------------
HANDOVER_ACCEPTED = "handover.accepted.v1"
HANDOVER_DECLINED = "handover.declined.v1"
HANDOVER_EXPIRED = "handover.expired.v1"
RETURNEE_ARRIVED = "returnee.arrived.v1"
WEBHOOK_PAUSED = "partner.webhook_paused.v1"  # for operators and the log: no service acts on these two
WEBHOOK_RESUMED = "partner.webhook_resumed.v1"
ACCESS_REVOKED = "partner.access_revoked.v1"  # tokens that end before their expiry, everywhere (shared.revocations)

# --- read from intake (homeward.returnees) and monitoring (homeward.monitoring) -----------------------
HANDOVER_REQUESTED = "returnee.handover_requested.v1"
RETURNEE_UPDATED = "returnee.updated.v1"
RETURNEE_DEPARTED = "returnee.departed.v1"
CONSENT_CHANGED = "returnee.consent_changed.v1"
RETURNEE_EXITED = "returnee.exited.v1"
RETURNEE_ERASED = "returnee.erased.v1"
REMINDER_DUE = "checkin.reminder_due.v1"
ALERT_RAISED = "alert.raised.v1"  # a check-in overdue: the partner's people get a mail
MONITORING_COMPLETED = "monitoring.completed.v1"
ITEM_SHARED = "returnee.item_shared.v1"  # a note or document shared with the partner holding the case
ITEM_UNSHARED = "returnee.item_unshared.v1"


class HandoverEventSchema(StrictSchema):
    handover_id = fields.String(required=True)
    returnee_id = fields.String(required=True)
    partner_id = fields.String(required=True)


class AcceptedSchema(HandoverEventSchema):
    accepted_at = fields.DateTime(required=True)


class AlternativeSchema(StrictSchema):
    """Another partner organisation the consultant may offer the case to."""
    partner_id = fields.String(required=True)
    name = fields.String(required=True)
    languages = fields.List(fields.String(), required=True)
    services = fields.List(fields.String(), required=True)


class ExpiredSchema(HandoverEventSchema):
    reason = fields.String(required=True)
    detail = fields.String(required=True)
    alternatives = fields.List(fields.Nested(AlternativeSchema), required=True)


class DeclinedSchema(ExpiredSchema):
    automatic = fields.Boolean(metadata={"description": "declined by partners itself (coverage), not by the partner"})


class ArrivedSchema(HandoverEventSchema):
    arrived_on = fields.Date(required=True)
    country = fields.String(required=True)
    region = fields.String(required=True, allow_none=True)
    vulnerabilities = fields.List(fields.String(), required=True)
    source = fields.String(required=True, metadata={
        "description": "partner: the partner confirmed it; import: from the organisation's old records (a caseload "
                       "import), recorded when the partner accepted"})
    go_live_on = fields.Date(required=True, allow_none=True, metadata={
        "description": "an imported arrival's go-live date: check-ins due before it without one are 'before "
                       "Homeward' (no alert); null: every slot is judged"})


class WebhookPausedSchema(StrictSchema):
    partner_id = fields.String(required=True)
    paused_at = fields.DateTime(required=True)
    failing_since = fields.DateTime(required=True)
    last_error = fields.String(required=True, allow_none=True)


class WebhookResumedSchema(StrictSchema):
    partner_id = fields.String(required=True)
    resumed_at = fields.DateTime(required=True)


class AccessRevokedSchema(StrictSchema):
    """A credential revoked, a person deactivated or the whole organisation deactivated: every service refuses
    the tokens of `subjects` (client ids, person ids), or with `organisation` all of the partner's, issued at
    or before `revoked_at`."""
    partner_id = fields.String(required=True)
    subjects = fields.List(fields.String(), required=True)
    organisation = fields.Boolean(required=True)
    revoked_at = fields.DateTime(required=True)


EMITS = {
    HANDOVER_ACCEPTED: AcceptedSchema(),
    HANDOVER_DECLINED: DeclinedSchema(),
    HANDOVER_EXPIRED: ExpiredSchema(),
    RETURNEE_ARRIVED: ArrivedSchema(),
    WEBHOOK_PAUSED: WebhookPausedSchema(),
    WEBHOOK_RESUMED: WebhookResumedSchema(),
    ACCESS_REVOKED: AccessRevokedSchema(),
}


def build_event(type_: str, subject: str, data: dict, now: datetime) -> Envelope:
    """A new partners event, its data checked against the schema of its type (UndeclaredEvent if not)."""
    return declared_event("partners", EMITS, type_, subject, data, now)
