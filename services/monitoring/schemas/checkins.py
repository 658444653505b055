"""What a check-in (alone or in a batch) writes: its slot, scores per domain, support delivered."""
from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from services.monitoring.vocabulary import CONTACT_MODES, DOMAINS, RETURNEE_STATUSES, SCORES, SUPPORT_TYPES
from shared.fields import CurrencyCode, StrictSchema, one_of, with_metadata
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
