"""The consultants' worklist of alerts: most serious and newest first; acknowledge and resolve with a note."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from services.web.clients import ApiError
from services.web.security import roles, web

bp = Blueprint("alerts", __name__, url_prefix="/alerts")
SERIOUSNESS = ("safety_concern", "deceased", "re_migrated", "critical_domain", "lost_contact", "index_drop",
               "arrival_not_confirmed", "checkin_overdue", "handover_unanswered")


def worklist(alerts: list[dict]) -> list[dict]:
    """Most serious type first, newest first within a type."""
    rank = {t: i for i, t in enumerate(SERIOUSNESS)}
    newest_first = sorted(alerts, key=lambda a: a.get("raised_at") or "", reverse=True)
    return sorted(newest_first, key=lambda a: rank.get(a.get("type"), len(SERIOUSNESS)))


@bp.route("")
@roles("consultant", "admin")
def worklist_page():
    """Open and acknowledged alerts."""
    country = (request.args.get("country") or "").upper() or None
    found = web().monitoring.alerts(status="open", country=country) + \
        web().monitoring.alerts(status="acknowledged", country=country)
    return render_template("alerts.html", alerts=worklist(found), country=country or "")


@bp.route("/<alert_id>/<action>", methods=["POST"])
@roles("consultant", "admin")
def act(alert_id, action):
    if action not in ("acknowledge", "resolve"):
        return redirect(url_for("alerts.worklist_page"))
    try:
        web().monitoring.act_on_alert(alert_id, action, request.form.get("note", "").strip())
    except ApiError as error:
        if error.status != 409:
            raise
        flash(error.detail, "error")
        return redirect(url_for("alerts.worklist_page"))
    flash(_("Alert acknowledged.") if action == "acknowledge" else _("Alert resolved."))
    back = request.form.get("back", "")
    return redirect(back if back.startswith("/returnees/") else url_for("alerts.worklist_page"))
