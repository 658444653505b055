"""The eligibility rule sets as the API shows and takes them (the rules themselves are validated by
services/intake/rule_sets.py, as the shipped file's are)."""
from __future__ import annotations

from marshmallow import fields, validate

from shared.fields import DATE_FROM_2000, NonBlank, StrictSchema
from shared.http.openapi import AnswerSchema

COUNTRY_NAMES = {"type": "object", "additionalProperties": {"type": "string"},
                 "description": "ISO 3166-1 alpha-2 code -> the name as printed in the source"}


class AmountsSchema(StrictSchema):
    """Maximum contributions in whole euros."""

    rean_adult = fields.Integer(required=True, validate=validate.Range(min=0, max=100_000))
    rean_accompanied_minor = fields.Integer(required=True, validate=validate.Range(min=0, max=100_000))
    hrt_adult = fields.Integer(required=True, validate=validate.Range(min=0, max=100_000))
    hrt_accompanied_minor = fields.Integer(required=True, validate=validate.Range(min=0, max=100_000))
    ngo_extra = fields.Integer(required=True, validate=validate.Range(min=0, max=100_000))


class RuleSetBodySchema(StrictSchema):
    """One year's rule set, in the shape of a rule set of services/intake/eligibility_rules.json."""

    year = fields.Integer(required=True, validate=validate.Range(min=2000, max=2100))
    valid_from = fields.Date(required=True, metadata={
        "pattern": DATE_FROM_2000, "description": "in `year`, after the latest rule set's (`rule_set`); may be "
                                                  "ahead: the rules take effect that day"})
    source = NonBlank(required=True, validate=validate.Length(max=2000),
                      metadata={"description": "where the rules come from"})
    amounts_eur = fields.Nested(AmountsSchema, required=True)
    rean_excluded = fields.Dict(metadata={"openapi": COUNTRY_NAMES, "description": "left out: the previous list; "
                                                                                 "keys ISO codes (`rule_set`)"})
    hrt_countries = fields.Dict(metadata={"openapi": COUNTRY_NAMES, "description": "left out: the previous list"})
    hrt_dublin_excluded = fields.Dict(metadata={"openapi": COUNTRY_NAMES, "description": "left out: the previous list"})
    notes = fields.Dict()


class RuleSetLoadQuerySchema(StrictSchema):
    dry_run = fields.Boolean(load_default=False, metadata={
        "description": "validate and compare with the rule set in force before it, store nothing"})


class RuleSetSchema(AnswerSchema):
    year = fields.Integer(required=True)
    valid_from = fields.Date(required=True)
    source = fields.String(required=True)
    amounts_eur = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True)
    rean_excluded = fields.List(fields.String(), required=True)
    hrt_countries = fields.List(fields.String(), required=True)
    hrt_dublin_excluded = fields.List(fields.String(), required=True)
    origin = fields.String(required=True, metadata={"description": "shipped (the file) or loaded (an administrator)"})
    loaded_at = fields.DateTime(allow_none=True)
    loaded_by = fields.String(allow_none=True)
    in_force = fields.Boolean(required=True, metadata={"description": "the rule set in force today"})
    upcoming = fields.Boolean(required=True, metadata={"description": "takes effect after today"})


class RuleSetListSchema(AnswerSchema):
    items = fields.List(fields.Nested(RuleSetSchema), required=True)


class RuleSetPreviewSchema(AnswerSchema):
    dry_run = fields.Boolean(required=True)
    rule_set = fields.Nested(RuleSetSchema, required=True)
    compared_with = fields.Integer(required=True, metadata={"description": "the year of the rule set before it"})
    differences = fields.Dict(required=True, metadata={
        "description": "amounts_eur: {name: [before, after]}; lists: {name: {added, removed}}"})

