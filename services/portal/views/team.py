"""The coordinator's page: the organisation's people (invite with a one-time code and link, a new code,
deactivate) and where the organisation's messages go: its webhook and its state (active, failing, paused), and
notifications: the home page, and mail to each person as they chose (`settings.py`)."""
from __future__ import annotations

from flask import Blueprint, g, redirect, render_template, request, url_for

from services.portal.clients import ApiError
from services.portal.messages import field_errors, problem_message
from services.portal.views.common import coordinator_only, optional, portal

bp = Blueprint("team", __name__)


def _team_page(invited=None, errors=None, error=None, values=None, status=200):
    partner_id = g.session.partner_id
    people = portal().partners.users(partner_id)
    partner = optional(lambda: portal().partners.partner(partner_id)) or {}
    webhook = optional(lambda: portal().partners.webhook(partner_id))
    link = (f"{portal().settings.public_url}/welcome?code={invited['invite_code']}" if invited else None)
    return render_template("team.html", people=people, partner=partner, webhook=webhook, invited=invited, link=link,
                           errors=errors or {}, error=error, values=values or {}, done=request.args.get("done"),
                           me=g.session.user_id), status


@bp.route("/team")
@coordinator_only
def team():
    return _team_page()


@bp.route("/team/invite", methods=["POST"])
@coordinator_only
def invite():
    body = {"username": request.form.get("username", "").strip(),
            "display_name": request.form.get("display_name", "").strip(), "role": "field_worker",
            "email": request.form.get("email", "").strip() or None}  # required: the API says so in the language
    try:
        invited = portal().partners.post(f"/v1/partners/{g.session.partner_id}/users", body)
    except ApiError as refused:
        if refused.status not in (409, 422):
            raise
        return _team_page(errors=field_errors(refused), error=problem_message(refused), values=body,
                          status=refused.status)
    return _team_page(invited=invited, status=201)


@bp.route("/team/<user_id>/invitation", methods=["POST"])
@coordinator_only
def reinvite(user_id: str):
    invited = portal().partners.post(f"/v1/partners/{g.session.partner_id}/users/{user_id}/invitation")
    return _team_page(invited=invited, status=201)


@bp.route("/team/<user_id>/deactivate", methods=["POST"])
@coordinator_only
def deactivate(user_id: str):
    portal().partners.post(f"/v1/partners/{g.session.partner_id}/users/{user_id}/deactivate")
    return redirect(url_for("team.team", done="deactivated"))
