"""A returnee as written and answered: details, consent, plan, trajectory, exit, departure, the caseload's queries."""
from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from services.intake import offices
from services.intake.domain import DEFAULT_TRAJECTORY
from services.intake.plan_lines import SupportSchema
from services.intake.vocabulary import (DOMAINS, EXIT_REASONS, GENDERS, STATUSES, TRAJECTORIES,
                                        VULNERABILITIES)
from shared.fields import CountryCode, NonBlank, StrictSchema, one_of
from shared.http import PageQuerySchema
from shared.http.openapi import AnswerSchema
from shared.ids import RETURNEE, Id
from services.intake.schemas.days import (BIRTH_DAY, EVENT_DAY, PLANNED_DAY, STAFF_NAME_PATTERN, plausible_birth,
                                          plausible_departure, plausible_event, unique)


class HouseholdSchema(StrictSchema):
    adults = fields.Integer(load_default=1, validate=validate.Range(min=0, max=30))
    minors = fields.Integer(load_default=0, validate=validate.Range(min=0, max=30), metadata={
        "description": "minors returning with a parent or guardian (accompanied)"})
    unaccompanied_minors = fields.Integer(load_default=0, validate=validate.Range(min=0, max=30), metadata={
        "description": "minors returning without a parent or guardian (REAN and HRT pay them the adult rate)"})


class EligibilityQuestionsSchema(StrictSchema):
    """What the REAN and HRT conditions ask that only the client can answer (docs/eligibility.md)."""

    left_via_rean_within_5_years = fields.Boolean(load_default=False)
    deported_within_5_years = fields.Boolean(load_default=False)
    dublin_claimant = fields.Boolean(load_default=False)
    via_ngo = fields.Boolean(load_default=True)


class ConsentSchema(StrictSchema):
    share_with_partner = fields.Boolean(required=True)
    share_outcomes_with_chain_partners = fields.Boolean(load_default=False)
    given_on = fields.Date(required=True, validate=plausible_event, metadata=EVENT_DAY)


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
    imported = fields.Dict(allow_none=True, metadata={
        "description": "offered by a caseload import: the departure, arrival and go-live days of the old "
                       "records, recorded when the partner accepts (docs/import.md)"})


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


class ReturneeSchema(StrictSchema):
    id = fields.String(dump_only=True)
    status = fields.String(dump_only=True)
    client_ref = fields.String(validate=validate.Length(max=64), allow_none=True)
    given_name = NonBlank(required=True, validate=validate.Length(max=200))
    family_name = NonBlank(required=True, validate=validate.Length(max=200))
    date_of_birth = fields.Date(allow_none=True, validate=plausible_birth, metadata=BIRTH_DAY)
    gender = fields.String(load_default="unknown", validate=one_of(GENDERS))
    nationality = CountryCode(allow_none=True)
    country_of_return = CountryCode(required=True)
    region = fields.String(allow_none=True, validate=validate.Length(max=200))
    languages = fields.List(fields.String(validate=validate.Length(min=2, max=35)), load_default=list)
    interpreter_needed = fields.Boolean(load_default=False, metadata={
        "description": "the conversations with the client need an interpreter (intake's own: not in the partner's copy)"})
    household = fields.Nested(HouseholdSchema, load_default=lambda: {"adults": 1, "minors": 0})
    vulnerabilities = fields.List(fields.String(validate=one_of(VULNERABILITIES)), load_default=list,
                                  validate=unique, metadata={"uniqueItems": True})
    consent = fields.Nested(ConsentSchema, allow_none=True, load_default=None)
    reintegration_plan = fields.Nested(PlanSchema, load_default=lambda: {"goals": {}, "planned_support": []})
    planned_departure_date = fields.Date(allow_none=True, validate=plausible_departure, metadata=PLANNED_DAY)
    contact = fields.Nested(ContactSchema, allow_none=True)
    office = fields.String(allow_none=True, validate=one_of(offices.offices()))
    office_region = fields.Function(lambda r: offices.region_of(r.get("office")), dump_only=True)
    consultant = Id(STAFF_NAME_PATTERN, allow_none=True, metadata={
        "description": "the consultant who follows the client (user name); default: who registers"})
    trajectory = fields.String(load_default=DEFAULT_TRAJECTORY, validate=one_of(TRAJECTORIES))
    enrolled_on = fields.Date(attribute="registered_on", validate=plausible_event, metadata={
        **EVENT_DAY, "description": "the day the client's trajectory really began (a case that started before it "
                                    "was entered); default: the registration day. The reports count the client "
                                    "from it; `trajectory_history` shows it beside when it was recorded"})
    eligibility_questions = fields.Nested(EligibilityQuestionsSchema, load_only=True, load_default=dict)
    eligibility = fields.Dict(dump_only=True, metadata={
        "description": "the REAN/HRT assessment made at registration (GET /v1/eligibility's answer: the rules used, "
                       "the amounts), on the nationality and country of return, the household and the planned "
                       "departure (or the registration day)"})
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
        exclude = ("consent", "trajectory", "enrolled_on", "eligibility_questions")


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
    id = fields.List(Id(RETURNEE), validate=validate.Length(max=200), metadata={
        "description": "only these returnees (repeat the parameter, up to 200): read by their ids, e.g. to name "
                       "the returnees of a page of alerts in one call"})


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


class DepartureSchema(StrictSchema):
    departed_on = fields.Date(required=True, validate=plausible_event, metadata=EVENT_DAY)
