"""A judgement before return as recorded and answered (services/intake/assessments.py)."""
from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from services.intake.schemas.days import EVENT_DAY, plausible_event
from services.intake.vocabulary import ASSESSMENT_MOMENTS, DOCUMENT_STATUSES, DOMAINS, SAFETY_SITUATIONS
from shared.fields import StrictSchema, one_of

JUDGEMENT_MAX = 20_000
SCALE = {"description": "1-5, the scale and rubric partners score check-ins with (monitoring's "
                        "GET /v1/vocabularies/domains); null or absent: not assessed"}


def _score():
    return fields.Integer(allow_none=True, load_default=None, validate=validate.Range(min=1, max=5), metadata=SCALE)


class DomainScoresSchema(StrictSchema):
    economic = _score()
    housing = _score()
    social = _score()
    health = _score()
    resilience = _score()

    @ma.validates_schema
    def some_score(self, data, **kwargs):
        if not any(data.get(domain) is not None for domain in DOMAINS):
            raise ma.ValidationError("Give at least one domain's score.", "economic")


class AssessmentSchema(StrictSchema):
    assessed_on = fields.Date(required=True, validate=plausible_event, metadata=EVENT_DAY)
    moment = fields.String(required=True, validate=one_of(ASSESSMENT_MOMENTS), metadata={
        "description": "the decision moment (vocabulary assessment_moments)"})
    scores = fields.Nested(DomainScoresSchema, required=True)
    documents = fields.String(required=True, validate=one_of(DOCUMENT_STATUSES), metadata={
        "description": "the identity and travel documents (vocabulary document_statuses)"})
    safety = fields.String(required=True, validate=one_of(SAFETY_SITUATIONS), metadata={
        "description": "the safety situation in the country of return (vocabulary safety_situations)"})
    judgement = fields.String(allow_none=True, load_default=None, validate=validate.Length(max=JUDGEMENT_MAX),
                              metadata={"description": "the consultant's judgement on the return; sealed at rest"})


class AssessmentOutSchema(AssessmentSchema):
    id = fields.String(required=True)
    returnee_id = fields.String(required=True)
    scores = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True,
                         metadata={"description": "the assessed domains only"})
    assessed_by = fields.String(required=True, metadata={"description": "the token's subject who assessed"})
    recorded_at = fields.DateTime(required=True)


class AssessmentListSchema(StrictSchema):
    items = fields.List(fields.Nested(AssessmentOutSchema), required=True)
