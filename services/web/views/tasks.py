"""The consultant's worklist (/tasks): what is due from the files they follow, soonest first; each task can be
done, postponed to a day with a reason, or given to a colleague. Consultants and administrators."""
from __future__ import annotations

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from services.web import forms
from services.web.clients import ApiError
from services.web.security import roles, web
from services.web.tokens import staff_subject
from services.web.views.returnee_page import WRITERS

bp = Blueprint("tasks", __name__)
ACTIONS = ("done", "postpone", "reassign")


def _tasks_page(errors: dict | None = None, status: int = 200, failed: str | None = None):
    due_before = request.args.get("due_before") or None
    tasks = web().intake.tasks(consultant=staff_subject(g.user.username), due_before=due_before)
    names = {r["id"]: r for r in web().intake.returnees_by_id(list({t["returnee_id"] for t in tasks})[:200])}
    return render_template("tasks.html", tasks=tasks, returnees=names, due_before=due_before or "",
                           errors=errors or {}, failed=failed, today=web().clock.today().isoformat()), status


@bp.route("/tasks")
@roles(*WRITERS)
def tasks_page():
    return _tasks_page()


@bp.route("/tasks/<task_id>/<action>", methods=["POST"])
@roles(*WRITERS)
def act(task_id, action):
    if action not in ACTIONS:
        return _tasks_page(status=404)
    body = None
    if action == "postpone":
        body = {"until": request.form.get("until", "").strip(), "reason": request.form.get("reason", "").strip()}
    elif action == "reassign":
        to = request.form.get("to", "").strip()
        body = {"to": staff_subject(to) if to else ""}
    try:
        web().intake.task_action(task_id, action, body)
    except ApiError as error:
        if error.status not in (404, 422):
            raise
        return _tasks_page(forms.field_errors(error), error.status, failed=task_id)
    flash({"done": _("The task is done."), "postpone": _("The task was postponed."),
           "reassign": _("The task was given to a colleague.")}[action])
    return redirect(url_for("tasks.tasks_page"))
