"""The returnee's perspective plan (perspectiefplan): its goals edited in one form, fixed on a day, and its
versions side by side with what changed and why. Consultants and administrators only (project leads never see
the plan's free text): intake answers them 403, and so do these pages."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from services.web import forms
from services.web.clients import ApiError
from services.web.security import roles, web
from services.web.views.returnee_page import WRITERS

bp = Blueprint("plan", __name__, url_prefix="/returnees")
GOAL_FIELDS = ("id", "domain", "goal", "needed", "who", "deadline", "status")
BLANK_ROWS = 2  # empty goal rows under the plan's goals, for new ones


def goals_from(form) -> list[dict]:
    """The form's goal rows as the API's goals: a row without a goal text is left out (a new row left blank)."""
    rows = sorted({int(name.split(".")[1]) for name in form if name.startswith("goals.") and name.split(".")[1].isdigit()})
    goals = []
    for row in rows:
        values = {name: form.get(f"goals.{row}.{name}", "").strip() for name in GOAL_FIELDS}
        if not values["goal"]:
            continue
        goals.append({name: value or None for name, value in values.items()
                      if name not in ("needed",)} | {"needed": values["needed"]})
    return goals


def _page(returnee_id: str, errors: dict | None = None, values: dict | None = None, problem: str | None = None,
          status: int = 200):
    returnee = web().intake.returnee(returnee_id)
    versions = web().intake.plan_versions(returnee_id)
    current = versions[-1] if versions else web().intake.plan(returnee_id)
    rows = current["goals"] + [{} for _ in range(BLANK_ROWS)]
    if values is None:
        values = {f"goals.{i}.{name}": row.get(name) or "" for i, row in enumerate(rows) for name in GOAL_FIELDS}
    lines = {}  # the planned support lines linked to each goal (a line's `goal`)
    for line in (returnee.get("reintegration_plan") or {}).get("planned_support") or []:
        if line.get("goal"):
            lines.setdefault(line["goal"], []).append(line)
    return render_template("returnees/plan.html", r=returnee, plan=current, versions=versions, rows=rows, lines=lines,
                           errors=errors or {}, values=values, problem=problem,
                           today=web().clock.today().isoformat()), status


@bp.route("/<returnee_id>/plan", methods=["GET", "POST"])
@roles(*WRITERS)
def plan(returnee_id):
    if request.method == "GET":
        return _page(returnee_id)
    body = {"goals": goals_from(request.form), "reason": request.form.get("reason", "").strip(),
            "version": int(request.form.get("version") or 0)}
    try:
        web().intake.change_plan(returnee_id, body)
    except ApiError as error:
        if error.status not in (409, 422):
            raise
        return _page(returnee_id, forms.field_errors(error), request.form, _(
            "The plan changed meanwhile; look at it again.") if error.status == 409 else _(
            "The plan could not be saved: see the messages at the fields."), error.status)
    flash(_("The plan was saved as a new version."))
    return redirect(url_for("plan.plan", returnee_id=returnee_id))


@bp.route("/<returnee_id>/plan/fix", methods=["POST"])
@roles(*WRITERS)
def fix(returnee_id):
    try:
        web().intake.fix_plan(returnee_id, request.form.get("fixed_on", "").strip())
    except ApiError as error:
        if error.status not in (409, 422):
            raise
        return _page(returnee_id, forms.field_errors(error), None, _(
            "The plan could not be fixed: see the messages at the fields.") if error.status == 422 else _(
            "This version cannot be fixed (already fixed, or no plan yet)."), error.status)
    flash(_("The plan was fixed; the partner holding the case receives it."))
    return redirect(url_for("plan.plan", returnee_id=returnee_id))
