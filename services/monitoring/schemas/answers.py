"""Answers documented in the OpenAPI document (the views build these dicts themselves)."""
from __future__ import annotations

from marshmallow import fields

from shared.http.openapi import AnswerSchema
from services.monitoring.schemas.checkins import CheckinOutSchema


class BatchResultSchema(AnswerSchema):
    index = fields.Integer(required=True, metadata={"description": "the item's position in `items`, from 0"})
    idempotency_key = fields.String(required=True, allow_none=True,
                                    metadata={"description": "the item's; null for an item without a usable one"})
    status = fields.Integer(required=True, metadata={"description": "201, or the item's problem status"})
    checkin = fields.Nested(CheckinOutSchema, metadata={"description": "when recorded"})
    error = fields.Dict(metadata={"description": "a problem (RFC 9457) when refused"})


class BatchResultsSchema(AnswerSchema):
    results = fields.List(fields.Nested(BatchResultSchema), required=True,
                          metadata={"description": "one per item, in order"})


class AlertSchema(AnswerSchema):
    id = fields.String(required=True)
    type = fields.String(required=True)
    status = fields.String(required=True)
    raised_at = fields.String(required=True)
    detail = fields.String(metadata={"description": "in English; `code` and `params` say the same for clients "
                                                    "that write it in their own language"})
    code = fields.String(allow_none=True, metadata={"description": "the message code (the alert's type); none on "
                                                                  "alerts raised before codes existed"})
    params = fields.Dict(metadata={"description": "the message's parameters, e.g. critical_domain "
                                                  "{\"domains\": [\"economic\"], \"score\": 1}"})
    resolution_code = fields.String(allow_none=True, metadata={
        "description": "when the system resolved it: superseded or cause_gone (`resolution` in English)"})
    returnee_id = fields.String(required=True)
    country = fields.String(required=True)
    partner_id = fields.String(required=True, allow_none=True)
    acknowledged_at = fields.String(allow_none=True)
    acknowledged_by = fields.String(metadata={"description": "who acknowledged it (once acknowledged)"})
    acknowledged_note = fields.String(metadata={"description": "the note typed on acknowledging (once acknowledged)"})
    resolved_at = fields.String(allow_none=True)
    resolution = fields.String(allow_none=True, metadata={"description": "the note typed on resolving"})


class CaseItemSchema(AnswerSchema):
    returnee_id = fields.String(required=True)
    country = fields.String(required=True)
    partner_id = fields.String(required=True, allow_none=True)
    arrived_on = fields.String(required=True, allow_none=True)
    state = fields.String(required=True)
    next_due_on = fields.String(required=True, allow_none=True)
    next_due = fields.Dict(required=True, allow_none=True)
    latest_index = fields.Float(required=True, allow_none=True)
    open_alerts = fields.Integer(required=True)


class CaseSchema(CaseItemSchema):
    """One returnee's whole case: plan, slots, check-ins, scores over time and alerts."""

    departed_on = fields.String(allow_none=True)
    outcome = fields.String(allow_none=True)
    vulnerabilities = fields.List(fields.String())
    slots = fields.List(fields.Dict(), required=True)
    checkins = fields.List(fields.Nested(CheckinOutSchema), required=True)
    scores = fields.List(fields.Dict(), required=True)
    alerts = fields.List(fields.Nested(AlertSchema), required=True)
    receipts = fields.List(fields.Dict(), required=True, metadata={
        "description": "the receipts attached to its support lines: checkin_id, index (the line's position), "
                       "content_type, size, uploaded_at; the file itself at "
                       "/v1/cases/{returnee_id}/checkins/{checkin_id}/support/{index}/receipt"})


class ScoringSchemeSchema(AnswerSchema):
    version = fields.String(required=True)
    dimensions = fields.Dict(required=True)
    index = fields.String(required=True)


class RecomputeSchema(AnswerSchema):
    scheme_version = fields.String(required=True)
    checkins_rescored = fields.Integer(required=True)


class InsightSchema(AnswerSchema):
    """The latest insight for a country: figures only when built from at least k returnees."""

    country = fields.String(required=True)
    suppressed = fields.Boolean(required=True)


class OutcomesSchema(AnswerSchema):
    by = fields.String(required=True)
    rows = fields.List(fields.Dict(), required=True, metadata={
        "description": "one per group; a hidden group is {group, suppressed: true, suppressed_reason: "
                       "small_group | protects_other}"})


class ScorecardSchema(AnswerSchema):
    partners = fields.List(fields.Dict(), required=True)


class AlertCountsSchema(AnswerSchema):
    total = fields.Integer(required=True)
    by_type = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True)
    by_country = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True)
    by_country_and_type = fields.Dict(keys=fields.String(), values=fields.Dict(), required=True, metadata={
        "description": "country -> alert type -> alerts"})
