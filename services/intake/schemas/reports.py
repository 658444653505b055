"""Reports, the printed brief, country insights, personal keys and chain partners' questions."""
from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from services.intake import offices
from services.intake.reports.breakdowns import DIMENSIONS
from shared.fields import CountryCode, NonBlank, StrictSchema, one_of
from shared.http.openapi import AnswerSchema


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


class BreakdownFilterSchema(ReportFilterSchema):
    breakdown = fields.String(load_default=None, validate=one_of(DIMENSIONS), metadata={
        "description": "the programme's figures also per group of this dimension (`breakdown` in the answer; "
                       "groups of fewer than k clients hidden, docs/reports.md)"})


class QuarterQuerySchema(BreakdownFilterSchema):
    format = fields.String(load_default="json", validate=one_of(("json", "csv", "xlsx", "pdf")))
    year = fields.Integer(required=True, validate=validate.Range(min=2000, max=2100))
    quarter = fields.Integer(required=True, validate=validate.Range(min=1, max=4))


class ProgrammeQuerySchema(BreakdownFilterSchema):
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


class InsightsQuerySchema(StrictSchema):
    country = fields.List(CountryCode(), required=True, validate=validate.Length(min=1, max=60), metadata={
        "description": "the countries (ISO 3166-1 alpha-2; repeat the parameter, up to 60)"})


class CountryInsightSchema(AnswerSchema):
    """Monitoring's latest insight for a country; figures only when built from at least k returnees."""

    country = fields.String(required=True)
    suppressed = fields.Boolean(required=True)


class CountryInsightsSchema(AnswerSchema):
    items = fields.List(fields.Nested(CountryInsightSchema), required=True, metadata={
        "description": "one per country asked, in the order asked"})


class PersonalKeySchema(AnswerSchema):
    returnee_id = fields.String(required=True)
    algorithm = fields.String(required=True)
    key = fields.String(required=True)


class TargetsSchema(AnswerSchema):
    """The period's targets with the result from its start: `rows` of {target, kind (count|share), result, met,
    minimum and maximum (count) or share, numerator and denominator (share)}."""
    period = fields.String(required=True, metadata={"description": "the year (`2026`) or quarter (`2026-Q1`) set"})
    from_ = fields.String(data_key="from", attribute="from", required=True)
    to = fields.String(required=True)
    rows = fields.List(fields.Dict(), required=True)


class QuarterlyReportSchema(AnswerSchema):
    year = fields.Integer(required=True)
    quarter = fields.Integer(required=True)
    period = fields.Dict(keys=fields.String(), values=fields.String(), required=True)
    figures = fields.Dict(keys=fields.String(), values=fields.Dict(), required=True)
    targets = fields.Nested(TargetsSchema, required=True)
    breakdown = fields.Dict(allow_none=True, required=True, metadata={
        "description": "with `breakdown=`: {by, k, rows: [{group, suppressed, clients, figures} | {group, "
                       "suppressed: true, suppressed_reason}]}; else null"})


class TargetsQuerySchema(ReportFilterSchema):
    format = fields.String(load_default="json", validate=one_of(("json",)))
    year = fields.Integer(load_default=None, validate=validate.Range(min=2000, max=2100),
                          metadata={"description": "default this year; results from 1 January to today or 31 December"})


class ChainPartnerQuerySchema(StrictSchema):
    chain_partner = NonBlank(required=True, validate=validate.Length(max=100))
