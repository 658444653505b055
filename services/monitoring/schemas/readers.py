"""The fields monitoring reads from intake's and partners' events (tolerant: unknown fields are ignored)."""
from __future__ import annotations

from datetime import timezone

from marshmallow import fields

from services.monitoring.money_schemas import PlannedLineReader
from shared.fields import ReaderSchema


class HandoverRequestedSchema(ReaderSchema):
    returnee_id = fields.String(required=True)
    handover_id = fields.String(required=True)
    partner_id = fields.String(required=True)
    country_of_return = fields.String(required=True)
    region = fields.String(load_default=None, allow_none=True)
    vulnerabilities = fields.List(fields.String(), load_default=list)
    office = fields.String(load_default=None, allow_none=True)
    office_region = fields.String(load_default=None, allow_none=True)
    consultant = fields.String(load_default=None, allow_none=True)  # who follows the client at intake
    planned_support = fields.List(fields.Nested(PlannedLineReader), load_default=list)  # money_schemas.py
    imported = fields.Dict(load_default=None, allow_none=True)  # a caseload import's dates (departed, arrived on)


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
    go_live_on = fields.Date(load_default=None, allow_none=True)  # an imported arrival's: slots before it no alert


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
    consultant = fields.String(allow_none=True)
    planned_support = fields.List(fields.Nested(PlannedLineReader))


class AssessedSchema(ReaderSchema):
    """returnee.assessed.v1: the judgement before return (its codes and scores, never its text)."""
    returnee_id = fields.String(required=True)
    assessment_id = fields.String(required=True)
    assessed_on = fields.Date(required=True)
    moment = fields.String(required=True)
    scores = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True)
    documents = fields.String(load_default=None, allow_none=True)
    safety = fields.String(load_default=None, allow_none=True)
