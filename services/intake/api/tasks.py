"""The consultant's worklist (services/intake/tasks.py): consultants and administrators only."""
from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from services.intake import access, tasks
from services.intake.api.common import WRITERS, _deps
from services.intake.schemas.tasks import PostponeSchema, ReassignSchema, TaskListSchema, TaskQuerySchema, TaskSchema
from shared.http import audit_resource, principal, require

tasks_blp = Blueprint("tasks", __name__, url_prefix="/v1/tasks", description="The consultants' worklist")


@tasks_blp.route("")
class Tasks(MethodView):
    @tasks_blp.arguments(TaskQuerySchema, location="query")
    @tasks_blp.response(200, TaskListSchema)
    @require(*WRITERS)
    def get(self, args):
        """Open tasks due on or before `due_before`, soonest first, of one consultant or of everyone."""
        who = principal()
        visible = access.visible_to(who)
        if visible is not None:  # a task given to the caller is theirs to see, whoever follows the client
            visible = {"$or": [*visible["$or"], {"owner": who.sub}]}
        return {"items": tasks.list_tasks(_deps(), args.get("consultant"), args.get("due_before"), args["limit"],
                                          visible)}


def _readable(task_id: str) -> str:
    tasks.readable(_deps(), task_id, principal())
    return task_id


def _audited(task: dict) -> dict:
    audit_resource(task["id"], returnee_id=task["returnee_id"])
    return task


@tasks_blp.route("/<task_id>/done")
class Done(MethodView):
    @tasks_blp.response(200, TaskSchema)
    @require(*WRITERS)
    def post(self, task_id):
        """Mark the task done."""
        return _audited(tasks.mark_done(_deps(), _readable(task_id), principal().sub))


@tasks_blp.route("/<task_id>/postpone")
class Postpone(MethodView):
    @tasks_blp.arguments(PostponeSchema)
    @tasks_blp.response(200, TaskSchema)
    @require(*WRITERS)
    def post(self, data, task_id):
        """Postpone the task to `until`, saying why (the reason is sealed with the returnee's key)."""
        return _audited(tasks.postpone(_deps(), _readable(task_id), data["until"], data["reason"], principal().sub))


@tasks_blp.route("/<task_id>/reassign")
class Reassign(MethodView):
    @tasks_blp.arguments(ReassignSchema)
    @tasks_blp.response(200, TaskSchema)
    @require(*WRITERS)
    def post(self, data, task_id):
        """Give the task to a colleague (their user name)."""
        return _audited(tasks.reassign(_deps(), _readable(task_id), data["to"]))
