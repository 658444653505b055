"""The worklist as asked for and answered (services/intake/tasks.py)."""
from __future__ import annotations

from marshmallow import fields, validate

from services.intake.schemas.days import STAFF_NAME_PATTERN
from services.intake.vocabulary import TASK_KINDS, TASK_STATES
from shared.fields import DATE_FROM_2000, NonBlank, StrictSchema, one_of
from shared.ids import Id

DAY = {"pattern": DATE_FROM_2000, "description": "from 2000-01-01"}


class TaskQuerySchema(StrictSchema):
    consultant = Id(STAFF_NAME_PATTERN, metadata={"description": "whose tasks (assigned to them, or of the clients "
                                                                 "they follow); none: everyone's"})
    due_before = fields.Date(metadata={**DAY, "description": "due on or before this day (default: within "
                                                             "TASK_HORIZON_DAYS)"})
    limit = fields.Integer(load_default=100, validate=validate.Range(min=1, max=500))


class PostponeSchema(StrictSchema):
    until = fields.Date(required=True, metadata=DAY)
    reason = NonBlank(required=True, validate=validate.Length(min=1, max=2000))


class ReassignSchema(StrictSchema):
    to = Id(STAFF_NAME_PATTERN, required=True, metadata={"description": "the colleague's user name"})


class TaskSchema(StrictSchema):
    id = fields.String(required=True)
    returnee_id = fields.String(required=True)
    kind = fields.String(required=True, validate=one_of(TASK_KINDS))
    state = fields.String(required=True, validate=one_of(TASK_STATES))
    due_on = fields.Date(required=True, metadata={"description": "the day postponed to, else the derived day"})
    derived_due_on = fields.Date(required=True, metadata={"description": "the day the file makes it due"})
    consultant = fields.String(allow_none=True, metadata={"description": "who follows the client"})
    assigned_to = fields.String(allow_none=True)
    owner = fields.String(allow_none=True, metadata={"description": "assigned_to, else consultant"})
    postponed_to = fields.Date(allow_none=True)
    postpone_reason = fields.String(allow_none=True)
    postponed_by = fields.String(allow_none=True)
    done_at = fields.DateTime(allow_none=True)
    done_by = fields.String(allow_none=True)
    goal_id = fields.String(allow_none=True, metadata={"description": "goal_deadline: the plan's goal"})
    domain = fields.String(allow_none=True)
    document_id = fields.String(allow_none=True, metadata={"description": "document_expiry: the document"})


class TaskListSchema(StrictSchema):
    items = fields.List(fields.Nested(TaskSchema), required=True, metadata={"description": "soonest first"})
