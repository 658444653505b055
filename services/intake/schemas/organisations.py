"""Return organisations, handover requests and the eligibility calculator's question and answer."""
from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from shared.fields import CountryCode, NonBlank, StrictSchema
from shared.http.openapi import AnswerSchema
from shared.ids import PARTNER, Id
from services.intake.schemas.days import PLANNED_DAY, plausible_departure


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


class EligibilityQuerySchema(StrictSchema):
    country = CountryCode(required=True, metadata={
        "description": "the nationality: the REAN exclusions and the HRT list name nationals"})
    country_of_return = CountryCode(load_default=None, metadata={
        "description": "where the client goes; default: the nationality (another country: `third_country`)"})
    adults = fields.Integer(load_default=1, validate=validate.Range(min=0, max=30), metadata={
        "description": "adults, unaccompanied and accompanied minors together: at least one (`no_person`)"})
    unaccompanied_minors = fields.Integer(load_default=0, validate=validate.Range(min=0, max=30))
    accompanied_minors = fields.Integer(load_default=0, validate=validate.Range(min=0, max=30))
    left_via_rean_within_5_years = fields.Boolean(load_default=False, metadata={
        "description": "left the Netherlands through REAN in the five years before"})
    deported_within_5_years = fields.Boolean(load_default=False, metadata={
        "description": "deported at the Dutch government's expense in the five years before"})
    dublin_claimant = fields.Boolean(load_default=False, metadata={
        "description": "a Dublin claimant (excluded from HRT for some nationalities: Mongolia)"})
    via_ngo = fields.Boolean(load_default=True)
    on = fields.Date(load_default=None, validate=plausible_departure,  # the rules on a (planned) departure day
                     metadata=PLANNED_DAY)

    @ma.validates_schema
    def someone(self, data, **kwargs):
        if data["adults"] + data["unaccompanied_minors"] + data["accompanied_minors"] == 0:
            raise ma.ValidationError("At least one person is needed.", "adults")


class SchemeAssessmentSchema(AnswerSchema):
    eligible = fields.Boolean(required=True)
    reasons = fields.List(fields.String(), required=True, metadata={"description": "why it does not apply"})
    amount_eur = fields.Integer(required=True)


class EligibilitySchema(AnswerSchema):
    country = fields.String(required=True, metadata={"description": "the nationality, as asked"})
    nationality = fields.String(required=True)
    country_of_return = fields.String(required=True)
    third_country = fields.Boolean(required=True, metadata={"description": "a return to another country than the "
                                                                           "nationality"})
    rule_year = fields.Integer(required=True, metadata={"description": "the year of the rule set used"})
    rules_valid_from = fields.Date(required=True)
    rules_outdated = fields.Boolean(required=True, metadata={
        "description": "the rules used are of an earlier year than the day judged: check with IOM"})
    warnings = fields.List(fields.String(), required=True, metadata={
        "description": "codes: rules_outdated, third_country_return"})
    rean = fields.Nested(SchemeAssessmentSchema, required=True)
    hrt = fields.Nested(SchemeAssessmentSchema, required=True)
    ngo_support_eur = fields.Integer(required=True)
    total_eur = fields.Integer(required=True)
    notes = fields.List(fields.String(), required=True)
