"""Intake's HTTP schemas and the fields it reads from other services' events."""
from __future__ import annotations

import re

from datetime import date, datetime, timezone

import marshmallow as ma
from marshmallow import fields, validate

from services.intake import offices
from services.intake.domain import DEFAULT_TRAJECTORY
from services.intake.vocabulary import (DOMAINS, EXIT_REASONS, GENDERS, STATUSES, SUPPORT_TYPES, TRAJECTORIES,
                                        VULNERABILITIES)
from shared.clock import latest_local_day
from shared.fields import DATE_FROM_1900, DATE_FROM_2000, CountryCode, NonBlank, ReaderSchema, StrictSchema, one_of
from shared.http import PageQuerySchema
from shared.http.openapi import AnswerSchema
from shared.ids import PARTNER, RETURNEE, Id

EARLIEST = date(1900, 1, 1)
EARLIEST_EVENT = date(2000, 1, 1)  # consent, departure, rules asked about: Homeward follows returns from 2000 on


def _not_future(value: date) -> None:
    if value > latest_local_day(datetime.now(timezone.utc)):
        raise ma.ValidationError("Must not be in the future.")


def _plausible_event(value: date) -> None:
    """Something that happened: not in the future, not before 2000 (a typo such as 0001-01-01 or 2202)."""
    _not_future(value)
    if value < EARLIEST_EVENT:
        raise ma.ValidationError("Must not be before 2000-01-01.")


def _plausible_birth(value: date) -> None:
    _not_future(value)
    if value < EARLIEST:
        raise ma.ValidationError("Must be after 1900-01-01.")


def _plausible_departure(value: date) -> None:
    if value.year < 2000 or value > date.today().replace(year=date.today().year + 3):
        raise ma.ValidationError("Must be between 2000 and three years from now.")


EVENT_DAY = {"pattern": DATE_FROM_2000, "description": "from 2000-01-01, not after today"}
BIRTH_DAY = {"pattern": DATE_FROM_1900, "description": "from 1900-01-01, not after today"}
PLANNED_DAY = {"pattern": DATE_FROM_2000, "description": "from 2000, at most three years ahead"}


def _unique(values) -> None:
    if len(set(values)) != len(values):
        raise ma.ValidationError("Must not repeat values.")


class HouseholdSchema(StrictSchema):
    adults = fields.Integer(load_default=1, validate=validate.Range(min=0, max=30))
    minors = fields.Integer(load_default=0, validate=validate.Range(min=0, max=30))


class ConsentSchema(StrictSchema):
    share_with_partner = fields.Boolean(required=True)
    share_outcomes_with_chain_partners = fields.Boolean(load_default=False)
    given_on = fields.Date(required=True, validate=_plausible_event, metadata=EVENT_DAY)


class SupportSchema(StrictSchema):
    type = fields.String(required=True, validate=one_of(SUPPORT_TYPES))
    description = fields.String(load_default="", validate=validate.Length(max=2000))
    budget_eur = fields.Float(load_default=None, allow_none=True, allow_nan=False,
                              validate=validate.Range(min=0, max=100_000))


class PlanSchema(StrictSchema):
    goals = fields.Dict(keys=fields.String(validate=one_of(DOMAINS)),
                        values=fields.String(validate=validate.Length(max=2000)), load_default=dict,
                        metadata={"openapi": {"additionalProperties": False, "properties": {  # keys: the domains
                            domain: {"type": "string", "maxLength": 2000} for domain in DOMAINS}}})
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


class TrajectoryStepSchema(ma.Schema):
    trajectory = fields.String()
    started_on = fields.Date()
    recorded_at = fields.DateTime()


class ExitStateSchema(ma.Schema):
    reason = fields.String()
    exited_on = fields.Date()
    organisation = fields.String(allow_none=True)
    note = fields.String()
    recorded_at = fields.DateTime()


# a staff member as their token names them (`sub`: the web app's `web:<user name>`, an OIDC subject, ...)
STAFF_NAME_PATTERN = re.compile(r"[A-Za-z0-9._@:-]{1,64}")


class ReturneeSchema(StrictSchema):
    id = fields.String(dump_only=True)
    status = fields.String(dump_only=True)
    client_ref = fields.String(validate=validate.Length(max=64), allow_none=True)
    given_name = NonBlank(required=True, validate=validate.Length(max=200))
    family_name = NonBlank(required=True, validate=validate.Length(max=200))
    date_of_birth = fields.Date(allow_none=True, validate=_plausible_birth, metadata=BIRTH_DAY)
    gender = fields.String(load_default="unknown", validate=one_of(GENDERS))
    nationality = CountryCode(allow_none=True)
    country_of_return = CountryCode(required=True)
    region = fields.String(allow_none=True, validate=validate.Length(max=200))
    languages = fields.List(fields.String(validate=validate.Length(min=2, max=35)), load_default=list)
    household = fields.Nested(HouseholdSchema, load_default=lambda: {"adults": 1, "minors": 0})
    vulnerabilities = fields.List(fields.String(validate=one_of(VULNERABILITIES)), load_default=list,
                                  validate=_unique, metadata={"uniqueItems": True})
    consent = fields.Nested(ConsentSchema, allow_none=True, load_default=None)
    reintegration_plan = fields.Nested(PlanSchema, load_default=lambda: {"goals": {}, "planned_support": []})
    planned_departure_date = fields.Date(allow_none=True, validate=_plausible_departure, metadata=PLANNED_DAY)
    contact = fields.Nested(ContactSchema, allow_none=True)
    office = fields.String(allow_none=True, validate=one_of(offices.offices()))
    office_region = fields.Function(lambda r: offices.region_of(r.get("office")), dump_only=True)
    consultant = Id(STAFF_NAME_PATTERN, allow_none=True, metadata={
        "description": "the consultant who follows the client (user name); default: who registers"})
    trajectory = fields.String(load_default=DEFAULT_TRAJECTORY, validate=one_of(TRAJECTORIES))
    trajectory_history = fields.List(fields.Nested(TrajectoryStepSchema), dump_only=True)
    decided_on = fields.Date(dump_only=True, allow_none=True)
    exit = fields.Nested(ExitStateSchema, dump_only=True, allow_none=True)
    handover = fields.Nested(HandoverStateSchema, dump_only=True, allow_none=True)
    history = fields.List(fields.Nested(StepSchema), dump_only=True)
    departed_on = fields.Date(dump_only=True)
    arrived_on = fields.Date(dump_only=True)
    monitoring = fields.Dict(dump_only=True)
    events_as_of = fields.DateTime(dump_only=True, allow_none=True, metadata={
        "description": "on reads: `handover` and `monitoring` (partners' and monitoring's state, copied from their "
                       "events) are current as of this moment, when intake had last read every event; null if not known"})
    created_at = fields.DateTime(dump_only=True)
    updated_at = fields.DateTime(dump_only=True)


class ReturneeOutSchema(ReturneeSchema):
    """A returnee as answered: project leads get the pseudonymous view, without names, contact or file number."""

    given_name = fields.String()
    family_name = fields.String()
    departed_on = fields.Date(allow_none=True)
    arrived_on = fields.Date(allow_none=True)


class ReturneePatchSchema(ReturneeSchema):
    """Everything but the server-owned fields, consent and trajectory (which have their own endpoints)."""

    class Meta:
        exclude = ("consent", "trajectory")


class ReturneeQuerySchema(PageQuerySchema):
    cursor = Id(RETURNEE, load_default=None)
    status = fields.String(validate=one_of(STATUSES))
    country = CountryCode()
    office = fields.String(validate=one_of(offices.offices()))
    trajectory = fields.String(validate=one_of(TRAJECTORIES))
    consultant = Id(STAFF_NAME_PATTERN, metadata={"description": "the returnees this consultant follows"})
    q = fields.String(validate=validate.Length(max=200), metadata={
        "description": "words that each start a given or family name word or the client reference (accents and "
                       "case ignored), or a returnee id; consultants and administrators only"})
    attention = fields.Boolean(load_default=False, metadata={
        "description": "only the returnees who need attention today: open alerts, a check-in overdue, a handover "
                       "declined, or an arrival confirmed without a departure recorded"})


class CountsQuerySchema(StrictSchema):
    office = fields.String(validate=one_of(offices.offices()))
    trajectory = fields.String(validate=one_of(TRAJECTORIES))
    consultant = Id(STAFF_NAME_PATTERN)


class ReturneeCountsSchema(AnswerSchema):
    total = fields.Integer(required=True, metadata={"description": "returnees not erased"})
    by_status = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True)
    by_country = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True,
                             metadata={"description": "per country of return"})


class TrajectoryChangeSchema(StrictSchema):
    trajectory = fields.String(required=True, validate=one_of(TRAJECTORIES))
    decided_on = fields.Date(required=True)


class ExitSchema(StrictSchema):
    reason = fields.String(required=True, validate=one_of(EXIT_REASONS))
    exited_on = fields.Date(required=True)
    organisation = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=64), metadata={
        "description": "the receiving return organisation: required with the reason other_return_organisation, "
                       "refused with any other (`organisation_for_referral`)"})
    note = fields.String(load_default="", validate=validate.Length(max=2000))

    @ma.validates_schema
    def organisation_with_referral_only(self, data, **kwargs):
        referral = data.get("reason") == "other_return_organisation"
        if referral and not data.get("organisation"):
            raise ma.ValidationError("Name the receiving return organisation.", "organisation")
        if data.get("organisation") and not referral:
            raise ma.ValidationError("Only for the reason other_return_organisation.", "organisation")


class OrganisationSchema(StrictSchema):
    id = fields.String(validate=validate.Regexp(r"^[a-z0-9][a-z0-9-]{0,62}$",
                                                error="Lower-case letters, digits and hyphens."))
    name = NonBlank(required=True, validate=validate.Length(max=200))
    active = fields.Boolean(dump_only=True)
    created_at = fields.DateTime(dump_only=True)


class OrganisationPatchSchema(StrictSchema):
    active = fields.Boolean(required=True)


class OrganisationQuerySchema(StrictSchema):
    include_inactive = fields.Boolean(load_default=False)


class HandoverRequestSchema(StrictSchema):
    partner_id = Id(PARTNER, required=True)


class DepartureSchema(StrictSchema):
    departed_on = fields.Date(required=True, validate=_plausible_event, metadata=EVENT_DAY)


class EligibilityQuerySchema(StrictSchema):
    country = CountryCode(required=True)
    adults = fields.Integer(load_default=1, validate=validate.Range(min=0, max=30), metadata={
        "description": "adults, unaccompanied and accompanied minors together: at least one (`no_person`)"})
    unaccompanied_minors = fields.Integer(load_default=0, validate=validate.Range(min=0, max=30))
    accompanied_minors = fields.Integer(load_default=0, validate=validate.Range(min=0, max=30))
    left_via_rean_within_5_years = fields.Boolean(load_default=False)
    dublin_claimant = fields.Boolean(load_default=False)
    via_ngo = fields.Boolean(load_default=True)
    on = fields.Date(load_default=None, validate=_plausible_departure,  # the rules on a (planned) departure day
                     metadata=PLANNED_DAY)

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
    automatic = fields.Boolean(load_default=False)  # partners declined by its own rule: its detail is English
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


class ReportFilterSchema(StrictSchema):
    """Reports for one office or one of the programme's regions (not the region in the country of return)."""

    office = fields.String(load_default=None, validate=one_of(offices.offices()),
                           metadata={"description": "not with `region` (`office_or_region`)"})
    region = fields.String(load_default=None, validate=one_of(offices.regions()),
                           metadata={"description": "not with `office` (`office_or_region`)"})
    format = fields.String(load_default="json", validate=one_of(("json", "csv", "xlsx")))

    @ma.validates_schema
    def one_place(self, data, **kwargs):
        if data.get("office") and data.get("region"):
            raise ma.ValidationError("Filter by office or by region, not both.", "region")


class QuarterQuerySchema(ReportFilterSchema):
    format = fields.String(load_default="json", validate=one_of(("json", "csv", "xlsx", "pdf")))
    year = fields.Integer(required=True, validate=validate.Range(min=2000, max=2100))
    quarter = fields.Integer(required=True, validate=validate.Range(min=1, max=4))


class ProgrammeQuerySchema(ReportFilterSchema):
    from_ = fields.Date(data_key="from", load_default=None,
                        metadata={"description": "not after `to`, by default today (`before_from`)"})
    to = fields.Date(load_default=None, metadata={"description": "default today; not before `from` (`before_from`)"})

    @ma.validates_schema
    def ordered(self, data, **kwargs):
        if data.get("from_") and data.get("to") and data["from_"] > data["to"]:
            raise ma.ValidationError("Must not be before `from`.", "to")


class ProgressQuerySchema(StrictSchema):
    until = fields.Date(load_default=None)
    format = fields.String(load_default="json", validate=one_of(("json", "pdf")))


class ProgressBatchQuerySchema(ProgressQuerySchema):
    """Every client of an office (or region) registered by `until`, each with their half-year, in one PDF."""
    format = fields.String(load_default="pdf", validate=one_of(("pdf",)))
    office = fields.String(load_default=None, validate=one_of(offices.offices()))
    region = fields.String(load_default=None, validate=one_of(offices.regions()))


class BriefQuerySchema(StrictSchema):
    lang = fields.String(load_default=None, validate=one_of(("en", "nl", "fr")))
    format = fields.String(load_default="html", validate=one_of(("html", "pdf")))


# --- answers documented in the OpenAPI document (the views build these dicts themselves) ----------

class SchemeAssessmentSchema(AnswerSchema):
    eligible = fields.Boolean(required=True)
    reasons = fields.List(fields.String(), required=True, metadata={"description": "why it does not apply"})
    amount_eur = fields.Integer(required=True)


class EligibilitySchema(AnswerSchema):
    country = fields.String(required=True)
    rule_year = fields.Integer(required=True)
    rean = fields.Nested(SchemeAssessmentSchema, required=True)
    hrt = fields.Nested(SchemeAssessmentSchema, required=True)
    ngo_support_eur = fields.Integer(required=True)
    total_eur = fields.Integer(required=True)
    notes = fields.List(fields.String(), required=True)


class CountryInsightSchema(AnswerSchema):
    """Monitoring's latest insight for a country; figures only when built from at least k returnees."""

    country = fields.String(required=True)
    suppressed = fields.Boolean(required=True)


class PersonalKeySchema(AnswerSchema):
    returnee_id = fields.String(required=True)
    algorithm = fields.String(required=True)
    key = fields.String(required=True)


class QuarterlyReportSchema(AnswerSchema):
    year = fields.Integer(required=True)
    quarter = fields.Integer(required=True)
    period = fields.Dict(keys=fields.String(), values=fields.String(), required=True)
    figures = fields.Dict(keys=fields.String(), values=fields.Dict(), required=True)


class ChainPartnerQuerySchema(StrictSchema):
    chain_partner = NonBlank(required=True, validate=validate.Length(max=100))
