"""The perspective plan as written, fixed and answered (services/intake/plan_versions.py, docs/casefile.md)."""
from __future__ import annotations

from datetime import date

import marshmallow as ma
from marshmallow import fields, validate

from services.intake.plan_lines import GOAL
from services.intake.schemas.days import EVENT_DAY, plausible_event
from services.intake.vocabulary import DOMAINS, GOAL_ACTORS, GOAL_STATUSES, PLAN_CHANGES
from shared.fields import DATE_FROM_2000, NonBlank, StrictSchema, one_of
from shared.ids import Id

GOALS_MAX = 50


def plausible_deadline(value: date) -> None:
    if value < date(2000, 1, 1):
        raise ma.ValidationError("Must not be before 2000-01-01.")


class GoalSchema(StrictSchema):
    id = Id(GOAL, load_default=None, allow_none=True, metadata={
        "description": "the goal's id (`gol_` + ULID): give it to change a goal, leave it out for a new one"})
    domain = fields.String(required=True, validate=one_of(DOMAINS))
    goal = NonBlank(required=True, validate=validate.Length(min=1, max=2000))
    needed = fields.String(load_default="", validate=validate.Length(max=2000),
                           metadata={"description": "what is needed to reach it"})
    who = fields.String(required=True, validate=one_of(GOAL_ACTORS), metadata={"description": "who does it"})
    deadline = fields.Date(load_default=None, allow_none=True, validate=plausible_deadline, metadata={"pattern": DATE_FROM_2000, "description": "from 2000-01-01"})
    status = fields.String(load_default="open", validate=one_of(GOAL_STATUSES))


def _unique_ids(goals: list[dict]) -> None:
    ids = [goal["id"] for goal in goals if goal.get("id")]
    if len(ids) != len(set(ids)):
        raise ma.ValidationError("A goal's id must not repeat.")


class PerspectivePlanSchema(StrictSchema):
    goals = fields.List(fields.Nested(GoalSchema), required=True,
                        validate=[validate.Length(max=GOALS_MAX), _unique_ids])
    reason = fields.String(load_default="", validate=validate.Length(max=2000), metadata={
        "description": "what changed and why: required once the plan was fixed (`reason_required`)"})
    version = fields.Integer(load_default=None, allow_none=True, validate=validate.Range(min=0), metadata={
        "description": "the version the change starts from: 409 when the plan moved on meanwhile"})


class PlanFixSchema(StrictSchema):
    fixed_on = fields.Date(required=True, validate=plausible_event, metadata=EVENT_DAY)


class PlanChangeSchema(StrictSchema):
    goal = fields.String(required=True, metadata={"description": "the goal's id"})
    change = fields.String(required=True, validate=one_of(PLAN_CHANGES))
    fields_ = fields.List(fields.String(), data_key="fields", attribute="fields",
                          metadata={"description": "what changed of a changed goal"})


class GoalOutSchema(GoalSchema):
    id = fields.String(required=True)


class PerspectivePlanOutSchema(StrictSchema):
    returnee_id = fields.String(required=True)
    version = fields.Integer(required=True, metadata={"description": "0: no plan yet"})
    goals = fields.List(fields.Nested(GoalOutSchema), required=True)
    fixed_on = fields.Date(allow_none=True, metadata={"description": "the day this version was fixed (vastgesteld)"})
    fixed_by = fields.String(allow_none=True)
    fixed_version = fields.Integer(allow_none=True, metadata={"description": "the newest fixed version"})
    written_by = fields.String(allow_none=True)
    written_at = fields.DateTime(allow_none=True)
    reason = fields.String(allow_none=True, metadata={"description": "what changed and why"})
    changes = fields.List(fields.Nested(PlanChangeSchema), metadata={"description": "against the version before"})


class PerspectivePlanVersionsSchema(StrictSchema):
    items = fields.List(fields.Nested(PerspectivePlanOutSchema), required=True, metadata={"description": "oldest first"})
