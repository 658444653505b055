"""The fields intake reads from partners' and monitoring's events (tolerant: unknown fields are ignored)."""
from __future__ import annotations

from marshmallow import fields

from shared.fields import ReaderSchema


class HandoverEventSchema(ReaderSchema):
    returnee_id = fields.String(required=True)
    handover_id = fields.String(required=True)
    partner_id = fields.String(required=True)
    reason = fields.String(load_default=None, allow_none=True)
    detail = fields.String(load_default=None, allow_none=True)
    automatic = fields.Boolean(load_default=False)  # partners declined by its own rule: its detail is English
    arrived_on = fields.Date(load_default=None, allow_none=True)


class MonitoringEventSchema(ReaderSchema):
    returnee_id = fields.String(required=True)
    summary = fields.Dict(required=True)
    type = fields.String(load_default=None)
    outcome = fields.String(load_default=None)
    support_delivered_on = fields.Date(load_default=None, allow_none=True)  # checkin.recorded.v1


class InsightsEventSchema(ReaderSchema):
    country = fields.String(required=True)
    version = fields.Integer(required=True)
    suppressed = fields.Boolean(required=True)
