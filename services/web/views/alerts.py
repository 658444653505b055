"""The consultants' worklist of alerts: most serious and newest first, a page at a time in monitoring's order;
acknowledge and resolve with a note."""
from __future__ import annotations

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from services.web.clients import ApiError, ApiUnavailable
from services.web.security import roles, web
from services.web.tokens import staff_subject
from shared.ids import RETURNEE, is_id

bp = Blueprint("alerts", __name__, url_prefix="/alerts")
SERIOUSNESS = ("safety_concern", "deceased", "re_migrated", "critical_domain", "lost_contact", "index_drop",
               "arrival_not_confirmed", "checkin_overdue", "handover_unanswered")


PAGE = 50
PENDING = ("open", "acknowledged")


def worklist(alerts: list[dict]) -> list[dict]:
    """Most serious type first, newest first within a type (a returnee's alerts: monitoring orders the list)."""
    rank = {t: i for i, t in enumerate(SERIOUSNESS)}
    newest_first = sorted(alerts, key=lambda a: a.get("raised_at") or "", reverse=True)
    return sorted(newest_first, key=lambda a: rank.get(a.get("type"), len(SERIOUSNESS)))


@bp.route("")
@roles("consultant", "admin")
def worklist_page():
    """Open and acknowledged alerts, a page at a time (one call: monitoring filters, orders and pages), with the
    returnee's name; a consultant's own clients only on request (monitoring knows who follows each client)."""
    country = (request.args.get("country") or "").upper() or None
    mine = request.args.get("mine") == "1" and g.user.role == "consultant"
    cursor = request.args.get("cursor") or None
    page = web().monitoring.alerts_page(PENDING, country=country, cursor=cursor, limit=PAGE,
                                        consultant=staff_subject(g.user.username) if mine else None)
    found = page["items"]
    followed = _returnees({a.get("returnee_id") for a in found if a.get("returnee_id")})
    names = {} if g.user.role == "project_lead" else {
        rid: f"{r.get('given_name') or ''} {r.get('family_name') or ''}".strip() for rid, r in followed.items()}
    return render_template("alerts.html", alerts=found, country=country or "", mine=mine, names=names,
                           next_cursor=page.get("next_cursor"), paged=bool(cursor))


def _returnees(ids: set[str]) -> dict:
    """{id: returnee} read from intake: the returnees of the page in one call (intake's list by ids), an id of
    another shape (from before ids were ULIDs) on its own. An erased or unknown returnee, or intake out of
    reach, leaves the id on the page."""
    listed = sorted(i for i in ids if is_id(i, RETURNEE))
    try:
        found = {r["id"]: r for r in web().intake.returnees_by_id(listed)}
    except ApiUnavailable:
        return {}
    for returnee_id in sorted(ids - set(listed)):
        try:
            found[returnee_id] = web().intake.returnee(returnee_id)
        except ApiError as error:
            if error.status not in (404, 410):
                raise
        except ApiUnavailable:
            break
    return found


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
        flash(_("This alert was already resolved."), "error")
        return redirect(url_for("alerts.worklist_page"))
    flash(_("Alert acknowledged.") if action == "acknowledge" else _("Alert resolved."))
    back = request.form.get("back", "")
    return redirect(back if back.startswith("/returnees/") else url_for("alerts.worklist_page"))
