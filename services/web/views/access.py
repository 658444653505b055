"""Need-to-know pages (issue 20): the reason asked before another client's file opens ("break the glass"), an
administrator's choice of a person's offices, team and cover, and the list of glass breaks."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from services.web import access, accounts
from services.web.security import roles, web
from shared.pages.headers import safe_path

bp = Blueprint("access", __name__)
REASON_PROBLEM = "/problems/access-reason-required"


def asks_reason(problem: dict) -> bool:
    """Whether an API's refusal is intake's: a reason is needed to open this client's file."""
    return str(problem.get("type", "")).endswith(REASON_PROBLEM)


def reason_page(returnee_id: str, status: int = 403, error: bool = False):
    """The page that asks why the person opens a file outside their caseload, then goes where they were going."""
    back = safe_path(request.full_path.rstrip("?")) if request.method == "GET" else None
    return render_template("returnees/access_reason.html", returnee_id=returnee_id, error=error,
                           next=back or url_for("returnees.detail", returnee_id=returnee_id)), status


@bp.route("/returnees/<returnee_id>/access", methods=["POST"])
@roles("consultant", "admin")
def give_reason(returnee_id):
    """Keep the reason for this session; every call about this client then carries it to intake, which records it."""
    if access.keep_reason(returnee_id, request.form.get("reason", "")) is None:
        return reason_page(returnee_id, 422, error=True)
    return redirect(safe_path(request.form.get("next", "")) or url_for("returnees.detail", returnee_id=returnee_id))


@bp.route("/staff/<username>/access", methods=["GET", "POST"])
@roles("admin")
def staff_access(username):
    """A person's offices, team and the colleagues they cover for: whose clients they read."""
    account = next((a for a in accounts.list_accounts() if a.username == username), None)
    if account is None:
        return redirect(url_for("admin.staff"))
    regions = web().intake.offices()
    colleagues = [a for a in accounts.list_accounts() if a.username != username and a.role == "consultant"]
    errors = {}
    if request.method == "POST":
        known = {office["id"] for region in regions for office in region["offices"]}
        try:
            access.set_access(username, request.form.getlist("offices"), request.form.get("team", ""),
                              request.form.getlist("covers_for"), known)
        except access.AccessRefused as refused:
            errors[refused.field] = _("Check this field.")
        else:
            web().tokens.forget(username)
            flash(_("Access of %(username)s saved.", username=username))
            return redirect(url_for("access.staff_access", username=username))
    return render_template("staff_access.html", account=account, regions=regions, colleagues=colleagues,
                           errors=errors), 422 if errors else 200


@bp.route("/admin/glass-breaks")
@roles("admin")
def glass_breaks():
    """Who opened which client's file outside their caseload, why and when: intake's list (the client files) and
    monitoring's (the cases), one page of each per view."""
    returnee_id = request.args.get("returnee_id") or None
    files = web().intake.glass_breaks(cursor=request.args.get("cursor") or None, returnee_id=returnee_id)
    cases = web().monitoring.glass_breaks(cursor=request.args.get("case_cursor") or None, returnee_id=returnee_id)
    return render_template("glass_breaks.html", page=files, cases=cases)
