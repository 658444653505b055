"""Intake's HTTP schemas and the fields it reads from other services' events."""
from __future__ import annotations

from datetime import date

import marshmallow as ma
from marshmallow import fields, validate

from services.intake.domain import DOMAINS, GENDERS, STATUSES, SUPPORT_TYPES, VULNERABILITIES
from shared.fields import CountryCode, NonBlank, ReaderSchema, StrictSchema, one_of
from shared.http import PageQuerySchema

EARLIEST = date(1900, 1, 1)


def _not_future(value: date) -> None:
    if value > date.today():
        raise ma.ValidationError("Must not be in the future.")


def _plausible_birth(value: date) -> None:
    _not_future(value)
    if value < EARLIEST:
        raise ma.ValidationError("Must be after 1900-01-01.")


def _plausible_departure(value: date) -> None:
    if value.year < 2000 or value > date.today().replace(year=date.today().year + 3):
        raise ma.ValidationError("Must be between 2000 and three years from now.")


def _unique(values) -> None:
    if len(set(values)) != len(values):
        raise ma.ValidationError("Must not repeat values.")


class HouseholdSchema(StrictSchema):
    adults = fields.Integer(load_default=1, validate=validate.Range(min=0, max=30))
    minors = fields.Integer(load_default=0, validate=validate.Range(min=0, max=30))


class ConsentSchema(StrictSchema):
    share_with_partner = fields.Boolean(required=True)
    share_outcomes_with_chain_partners = fields.Boolean(load_default=False)
    given_on = fields.Date(required=True, validate=_not_future)


class SupportSchema(StrictSchema):
    type = fields.String(required=True, validate=one_of(SUPPORT_TYPES))
    description = fields.String(load_default="", validate=validate.Length(max=2000))
    budget_eur = fields.Float(load_default=None, allow_none=True, allow_nan=False,
                              validate=validate.Range(min=0, max=100_000))


class PlanSchema(StrictSchema):
    goals = fields.Dict(keys=fields.String(validate=one_of(DOMAINS)),
                        values=fields.String(validate=validate.Length(max=2000)), load_default=dict)
    planned_support = fields.List(fields.Nested(SupportSchema), load_default=list)


class ContactSchema(StrictSchema):
    phone = fields.String(validate=validate.Length(max=50))
    email = fields.Email()
    address = fields.String(validate=validate.Length(max=500))


class StepSchema(ma.Schema):
    status = fields.String()
    at = fields.DateTime()


class HandoverStateSchema(ma.Schema):
    id = fields.String()
    partner_id = fields.String()
    status = fields.String()
    requested_at = fields.DateTime()
    decline = fields.Dict(allow_none=True)


class ReturneeSchema(StrictSchema):
    id = fields.String(dump_only=True)
    status = fields.String(dump_only=True)
    client_ref = fields.String(validate=validate.Length(max=64), allow_none=True)
    given_name = NonBlank(required=True, validate=validate.Length(max=200))
    family_name = NonBlank(required=True, validate=validate.Length(max=200))
    date_of_birth = fields.Date(allow_none=True, validate=_plausible_birth)
    gender = fields.String(load_default="unknown", validate=one_of(GENDERS))
    nationality = CountryCode(allow_none=True)
    country_of_return = CountryCode(required=True)
    region = fields.String(allow_none=True, validate=validate.Length(max=200))
    languages = fields.List(fields.String(validate=validate.Length(min=2, max=35)), load_default=list)
    household = fields.Nested(HouseholdSchema, load_default=lambda: {"adults": 1, "minors": 0})
    vulnerabilities = fields.List(fields.String(validate=one_of(VULNERABILITIES)), load_default=list,
                                  validate=_unique)
    consent = fields.Nested(ConsentSchema, allow_none=True, load_default=None)
    reintegration_plan = fields.Nested(PlanSchema, load_default=lambda: {"goals": {}, "planned_support": []})
    planned_departure_date = fields.Date(allow_none=True, validate=_plausible_departure)
    contact = fields.Nested(ContactSchema, allow_none=True)
    handover = fields.Nested(HandoverStateSchema, dump_only=True, allow_none=True)
    history = fields.List(fields.Nested(StepSchema), dump_only=True)
    departed_on = fields.Date(dump_only=True)
    arrived_on = fields.Date(dump_only=True)
    monitoring = fields.Dict(dump_only=True)
    created_at = fields.DateTime(dump_only=True)
    updated_at = fields.DateTime(dump_only=True)


class ReturneePatchSchema(ReturneeSchema):
    """Everything but the server-owned fields and consent (which has its own endpoint)."""

    class Meta:
        exclude = ("consent",)


class ReturneeQuerySchema(PageQuerySchema):
    status = fields.String(validate=one_of(STATUSES))
    country = CountryCode()


class HandoverRequestSchema(StrictSchema):
    partner_id = NonBlank(required=True, validate=validate.Length(max=100))


class DepartureSchema(StrictSchema):
    departed_on = fields.Date(required=True)


class EligibilityQuerySchema(StrictSchema):
    country = CountryCode(required=True)
    adults = fields.Integer(load_default=1, validate=validate.Range(min=0, max=30))
    unaccompanied_minors = fields.Integer(load_default=0, validate=validate.Range(min=0, max=30))
    accompanied_minors = fields.Integer(load_default=0, validate=validate.Range(min=0, max=30))
    left_via_rean_within_5_years = fields.Boolean(load_default=False)
    dublin_claimant = fields.Boolean(load_default=False)
    via_ngo = fields.Boolean(load_default=True)
    on = fields.Date(load_default=None)

    @ma.validates_schema
    def someone(self, data, **kwargs):
        if data["adults"] + data["unaccompanied_minors"] + data["accompanied_minors"] == 0:
            raise ma.ValidationError("At least one person is needed.", "adults")


# --- events read from partners and monitoring (tolerant) ----------------------------------------------

class HandoverEventSchema(ReaderSchema):
    returnee_id = fields.String(required=True)
    handover_id = fields.String(required=True)
    partner_id = fields.String(required=True)
    reason = fields.String(load_default=None, allow_none=True)
    detail = fields.String(load_default=None, allow_none=True)
    arrived_on = fields.Date(load_default=None, allow_none=True)


class MonitoringEventSchema(ReaderSchema):
    returnee_id = fields.String(required=True)
    summary = fields.Dict(required=True)
    type = fields.String(load_default=None)
    outcome = fields.String(load_default=None)


class InsightsEventSchema(ReaderSchema):
    country = fields.String(required=True)
    version = fields.Integer(required=True)
    suppressed = fields.Boolean(required=True)


class QuarterQuerySchema(StrictSchema):
    year = fields.Integer(required=True, validate=validate.Range(min=2000, max=2100))
    quarter = fields.Integer(required=True, validate=validate.Range(min=1, max=4))
    format = fields.String(load_default="json", validate=one_of(("json", "csv")))


class BriefQuerySchema(StrictSchema):
    lang = fields.String(load_default=None, validate=one_of(("en", "nl")))


class ChainPartnerQuerySchema(StrictSchema):
    chain_partner = NonBlank(required=True, validate=validate.Length(max=100))
