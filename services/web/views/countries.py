"""Country information for counselling: what the first year looked like for earlier returnees."""
from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for

from services.web import vocabulary
from services.web.security import roles, web

bp = Blueprint("countries", __name__, url_prefix="/countries")
FOCUS = ("NG", "ET", "GN", "AM", "IQ")


@bp.route("")
@roles("consultant", "project_lead", "admin")
def index():
    code = (request.args.get("code") or "").strip().upper()
    if len(code) == 2 and code.isalpha():
        return redirect(url_for("countries.insight", code=code))
    return render_template("countries/index.html", focus=FOCUS)


def _insight(code: str) -> dict:
    if len(code) != 2 or not code.isalpha():
        abort(404)
    return web().intake.insight(code.upper())


@bp.route("/<code>")
@roles("consultant", "project_lead", "admin")
def insight(code):
    """Per domain and month; cells of fewer than k returnees say so, never zero."""
    return render_template("countries/insight.html", i=_insight(code), code=code.upper(),
                           domains=vocabulary.codes("intake.domains"))


@bp.route("/<code>/brief")
@roles("consultant", "project_lead", "admin")
def brief(code):
    """The printable counselling brief, in the page's language, with correct plurals."""
    return render_template("countries/brief.html", i=_insight(code), code=code.upper(),
                           domains=vocabulary.codes("intake.domains"),
                           today=web().clock.today())
