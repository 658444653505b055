"""Monitoring's HTTP schemas and the fields it reads from intake's and partners' events."""
from __future__ import annotations

import re
from datetime import timezone

import marshmallow as ma
from marshmallow import fields, validate

from services.monitoring.vocabulary import (ALERT_STATUSES, ALERT_TYPES, CASE_STATES, CONTACT_MODES, DOMAINS,
                                           RETURNEE_STATUSES, SCORES, SUPPORT_TYPES)
from shared.fields import CountryCode, CurrencyCode, ReaderSchema, StrictSchema, one_of, with_metadata
from shared.http import PageQuerySchema
from shared.http.openapi import AnswerSchema
from shared.ids import ULID, Id
from shared.texts import Text


class SlotField(fields.Field):
    """A scheduled month (an integer) or the string `ad_hoc`."""

    default_error_messages = {"invalid": "Must be a scheduled month (e.g. 1, 3, 6) or 'ad_hoc'."}

    def __init__(self, **kwargs):
        super().__init__(**with_metadata(kwargs, {"oneOf": [{"type": "integer", "minimum": 1, "maximum": 24},
                                                            {"type": "string", "enum": ["ad_hoc"]}]}))

    def _deserialize(self, value, attr, data, **kwargs):
        if value == "ad_hoc":
            return value
        if isinstance(value, bool) or not isinstance(value, (int, str)):
            raise self.make_error("invalid")
        try:
            month = int(value)
        except ValueError:
            raise self.make_error("invalid")
        if not 1 <= month <= 24:
            raise self.make_error("invalid")
        return month

    def _serialize(self, value, attr, obj, **kwargs):
        return value


# one score per domain of the vocabulary (a check-in may leave some out)
ScoresSchema = StrictSchema.from_dict(
    {domain: fields.Integer(strict=True, allow_none=True, validate=validate.Range(min=SCORES[0], max=SCORES[-1]))
     for domain in DOMAINS}, name="ScoresSchema")


class SupportDeliveredSchema(StrictSchema):
    """One support delivered: `amount_eur` is its value in euros (what the totals add up); `amount` and
    `currency` (ISO 4217), given together, what was paid. Paid in euros, `amount_eur` defaults to `amount`."""
    type = fields.String(required=True, validate=one_of(SUPPORT_TYPES))
    amount_eur = fields.Float(load_default=None, allow_none=True, allow_nan=False,
                              validate=validate.Range(min=0, max=100_000),
                              metadata={"description": "the value in euros, what the totals add up"})
    amount = fields.Float(load_default=None, allow_none=True, allow_nan=False,
                          validate=validate.Range(min=0, max=1_000_000_000_000), metadata={
                              "description": "the amount as paid, in `currency`: required with it (`amount_with_currency`)"})
    currency = CurrencyCode(load_default=None, allow_none=True, metadata={
        "description": "ISO 4217 code of `amount` (e.g. GNF; `invalid_currency`): required with it (`currency_with_amount`)"})
    delivered_on = fields.Date(load_default=None, allow_none=True, metadata={
        "description": "not after the check-in's contact date (`after_contact_date`)"})
    description = fields.String(load_default="", validate=validate.Length(max=1000))

    @ma.validates_schema
    def paid_together(self, data, **kwargs):
        if data.get("amount") is not None and not data.get("currency"):
            raise ma.ValidationError({"currency": [Text("Required with the amount.")]})
        if data.get("currency") and data.get("amount") is None:
            raise ma.ValidationError({"amount": [Text("Required with the currency.")]})

    @ma.pre_load
    def euro_value(self, data, **kwargs):
        if (isinstance(data, dict) and str(data.get("currency") or "").upper() == "EUR"
                and data.get("amount_eur") is None and data.get("amount") is not None):
            return {**data, "amount_eur": data["amount"]}
        return data


class CheckinSchema(StrictSchema):
    returnee_id = fields.String(required=True, validate=validate.Length(min=1, max=100))
    slot = SlotField(required=True, metadata={"description": "a month of the returnee's plan (`not_in_plan`)"})
    contact_date = fields.Date(required=True, metadata={
        "description": "not before the arrival (`before_arrival`), not after today (`future_date`)"})
    contact_made = fields.Boolean(required=True)
    contact_mode = fields.String(load_default=None, allow_none=True, validate=one_of(CONTACT_MODES), metadata={
        "description": "required when contact was made (`mode_with_contact`)"})
    reason = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=2000), metadata={
        "description": "why no contact was made: required then (`reason_without_contact`)"})
    scores = fields.Nested(ScoresSchema, load_default=dict, metadata={
        "description": "none without contact (`scores_without_contact`)"})
    safety_concern = fields.Boolean(load_default=False)
    status = fields.String(load_default="in_country", validate=one_of(RETURNEE_STATUSES))
    support_delivered = fields.List(fields.Nested(SupportDeliveredSchema), load_default=list,
                                    validate=validate.Length(max=50))
    notes = fields.String(load_default="", validate=validate.Length(max=4000))
    supersedes = fields.String(load_default=None, allow_none=True)
    correction = fields.Boolean(load_default=False)  # true: supersede the slot's current check-in

    @ma.validates_schema
    def contact_rules(self, data, **kwargs):
        errors = {}
        scored = {d: s for d, s in (data.get("scores") or {}).items() if s is not None}
        if data.get("contact_made"):
            if not data.get("contact_mode"):
                errors["contact_mode"] = [Text("Required when contact was made.")]
        else:
            if not (data.get("reason") or "").strip():
                errors["reason"] = [Text("Say why no contact was made.")]
            if scored:
                errors["scores"] = [Text("No scores without contact.")]
        for i, item in enumerate(data.get("support_delivered") or []):
            if item.get("delivered_on") and data.get("contact_date") and item["delivered_on"] > data["contact_date"]:
                errors.setdefault("support_delivered", {})[i] = {
                    "delivered_on": [Text("Must not be after the contact date.")]}
        if errors:
            raise ma.ValidationError(errors)


class CheckinOutSchema(ma.Schema):
    id = fields.String()
    returnee_id = fields.String()
    slot = SlotField()
    contact_date = fields.String()
    contact_made = fields.Boolean()
    contact_mode = fields.String(allow_none=True)
    reason = fields.String(allow_none=True)
    scores = fields.Dict()
    safety_concern = fields.Boolean()
    status = fields.String()
    support_delivered = fields.List(fields.Dict())
    notes = fields.String()
    supersedes = fields.String(allow_none=True)
    superseded_by = fields.String(allow_none=True)
    index = fields.Float(allow_none=True)
    rss = fields.Dict()
    scheme_version = fields.String()
    score_history = fields.List(fields.Dict())
    recorded_at = fields.String()
    recorded_by = fields.Dict()


class BatchItemSchema(StrictSchema):
    idempotency_key = fields.String(required=True, validate=validate.Length(min=1, max=200))
    checkin = fields.Dict(required=True)


class BatchSchema(StrictSchema):
    """Only the envelope is checked whole; each item is checked alone and answered in its own result."""

    items = fields.List(fields.Raw(allow_none=True, metadata={"anyOf": [  # null too: an item of its own
        {"$ref": "#/components/schemas/BatchItem"},
        {"description": "anything else is that item's own 422 result (`error.errors` names `items.<index>`)"}]}),
        required=True, validate=validate.Length(min=1))


class CaseQuerySchema(PageQuerySchema):
    country = CountryCode()
    partner_id = fields.String()
    state = fields.String(validate=one_of(CASE_STATES))


# an alert id names its case (`alr_<ulid>.<returnee id>`, see repository.ALERT_SCOPE); older ones do not
ALERT_ID = re.compile(rf"alr_{ULID}(?:\.[A-Za-z0-9_-]{{1,64}})?")


class AlertQuerySchema(PageQuerySchema):
    cursor = Id(ALERT_ID, load_default=None)  # the last alert id of the previous page
    status = fields.String(validate=one_of(ALERT_STATUSES))
    country = CountryCode()
    type = fields.String(validate=one_of(ALERT_TYPES))
    returnee_id = fields.String()


class AlertActionSchema(StrictSchema):
    note = fields.String(load_default="", validate=validate.Length(max=2000))


# --- events read from intake and partners (tolerant) ----------------------------------------------

class HandoverRequestedSchema(ReaderSchema):
    returnee_id = fields.String(required=True)
    handover_id = fields.String(required=True)
    partner_id = fields.String(required=True)
    country_of_return = fields.String(required=True)
    region = fields.String(load_default=None, allow_none=True)
    vulnerabilities = fields.List(fields.String(), load_default=list)
    office = fields.String(load_default=None, allow_none=True)
    office_region = fields.String(load_default=None, allow_none=True)


class HandoverAnsweredSchema(ReaderSchema):
    returnee_id = fields.String(required=True)
    handover_id = fields.String(required=True)


class DepartedSchema(ReaderSchema):
    returnee_id = fields.String(required=True)
    departed_on = fields.Date(required=True)
    country = fields.String(load_default=None)
    partner_id = fields.String(load_default=None)


class ArrivedSchema(ReaderSchema):
    returnee_id = fields.String(required=True)
    partner_id = fields.String(required=True)
    country = fields.String(required=True)
    arrived_on = fields.Date(required=True)
    region = fields.String(load_default=None, allow_none=True)
    vulnerabilities = fields.List(fields.String(), load_default=list)


class ErasedSchema(ReaderSchema):
    returnee_id = fields.String(required=True)


class AccessRevokedSchema(ReaderSchema):
    """partner.access_revoked.v1: the tokens of `subjects`, or with `organisation` all of the partner's, end."""
    partner_id = fields.String(required=True)
    subjects = fields.List(fields.String(), load_default=list)
    organisation = fields.Boolean(load_default=False)
    revoked_at = fields.AwareDateTime(required=True, default_timezone=timezone.utc)


class ExitedSchema(ReaderSchema):
    returnee_id = fields.String(required=True)


class ReturneeUpdatedSchema(ReaderSchema):
    returnee_id = fields.String(required=True)
    region = fields.String(allow_none=True)
    vulnerabilities = fields.List(fields.String())
    office = fields.String(allow_none=True)
    office_region = fields.String(allow_none=True)


# --- answers documented in the OpenAPI document (the views build these dicts themselves) ----------

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
