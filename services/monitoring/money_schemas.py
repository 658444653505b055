"""Monitoring's schemas about money: the planned lines read from intake's events, the rate table, receipts
and the support report (services/monitoring/domain/support.py computes it)."""
from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from services.monitoring.vocabulary import SUPPORT_GROUPINGS
from shared.fields import CurrencyCode, ReaderSchema, StrictSchema
from shared.http.openapi import AnswerSchema

REPORT_GROUPINGS = SUPPORT_GROUPINGS
REPORT_FORMATS = ("json", "csv", "xlsx", "pdf")


class PlannedLineReader(ReaderSchema):
    """A planned support line as intake sends it in clear (returnee.handover_requested.v1, returnee.updated.v1)."""
    type = fields.String(required=True)
    amount = fields.Float(load_default=None, allow_none=True)
    currency = fields.String(load_default="EUR")
    funding_source = fields.String(load_default=None, allow_none=True)


class RateSchema(StrictSchema):
    currency = CurrencyCode(required=True)
    units_per_eur = fields.Float(required=True, allow_nan=False, validate=validate.Range(min=0.0001, max=1e9), metadata={
        "description": "how many units of `currency` one euro buys from `valid_from` on (e.g. 145.5 ETB)"})
    valid_from = fields.Date(required=True)


class RateTableSchema(StrictSchema):
    rates = fields.List(fields.Nested(RateSchema), required=True, validate=validate.Length(max=2000), metadata={
        "description": "the whole table: it replaces the one before (EUR needs no rate; of two rows for one "
                       "currency and day, the later counts)"})


class RateTableOutSchema(AnswerSchema):
    rates = fields.List(fields.Nested(RateSchema), required=True)
    updated_at = fields.DateTime(allow_none=True, required=True)
    updated_by = fields.String(allow_none=True, required=True)


class SupportQuerySchema(ma.Schema):
    from_ = fields.Date(data_key="from", load_default=None, metadata={"description": "deliveries from this day"})
    to = fields.Date(load_default=None, metadata={"description": "deliveries up to this day (default today)"})
    by = fields.String(load_default="client", validate=validate.OneOf(REPORT_GROUPINGS))
    format = fields.String(load_default="json", validate=validate.OneOf(REPORT_FORMATS))

    @ma.validates_schema
    def window(self, data, **kwargs):
        if data.get("from_") and data.get("to") and data["to"] < data["from_"]:
            raise ma.ValidationError({"to": ["Must not be before `from`."]})


class ReceiptSchema(AnswerSchema):
    returnee_id = fields.String(required=True)
    checkin_id = fields.String(required=True)
    index = fields.Integer(required=True, metadata={"description": "the support line's position in the check-in"})
    content_type = fields.String(required=True)
    size = fields.Integer(required=True)
    uploaded_at = fields.DateTime(required=True)


class SupportReportSchema(AnswerSchema):
    by = fields.String(required=True)
    period = fields.Dict(required=True, metadata={"description": "{from, to}"})
    rows = fields.List(fields.Dict(), required=True, metadata={
        "description": "per group: planned_eur, delivered_eur, open_eur, and what is not converted per currency"})
    totals = fields.Dict(required=True)
    deliveries = fields.List(fields.Dict(), required=True, metadata={
        "description": "each delivery with the rate it was converted at, or `converted: false`"})
    statements = fields.List(fields.Dict(), required=True, metadata={
        "description": "per client: the partner's final statement (planned and delivered per support type)"})
