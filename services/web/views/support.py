"""The support report page (project leads, administrators): planned against delivered, in euros at the rate
table, per client (pseudonymous), partner, country, funding source or month; with CSV, Excel and PDF."""
from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_babel import get_locale

from services.web import vocabulary
from services.web.security import roles, web
from services.web.views.common import partner_names
from services.web.views.downloads import _pass_on
from services.web.views.reports import LEADS, _window

bp = Blueprint("support", __name__)


def _by() -> str:
    by = request.args.get("by", "client")
    return by if by in vocabulary.codes("support_report_groupings") else "client"


def _query() -> dict:
    start, end = _window()
    return {"from": start, "to": end, "by": _by()}


@bp.route("/reports/support")
@roles(*LEADS)
def support():
    query = _query()
    report = web().monitoring.support(**query)
    return render_template("support.html", report=report, query=query, by=query["by"], partners=partner_names(),
                           groupings=vocabulary.codes("support_report_groupings"))


@bp.route("/reports/support.<any(csv, xlsx, pdf):kind>")
@roles(*LEADS)
def support_file(kind):
    return _pass_on(web().monitoring.download("/v1/reports/support", str(get_locale())[:2], format=kind, **_query()))
