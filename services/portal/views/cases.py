"""Cases: the organisation's accepted and followed returnees, a page at a time (the newest offered first, each
page two calls: partners' handovers, monitoring's cases of that page); one case with its plan, the monitoring
schedule (each check-in's due date and state), the check-ins sent, and the arrival confirmation."""
from __future__ import annotations

from flask import Blueprint, Response, abort, redirect, render_template, request, url_for

from services.portal.clients import ApiError
from services.portal.messages import field_errors, problem_message
from services.portal.views.common import latest_by_returnee, optional, portal, today

bp = Blueprint("cases", __name__)
FOLLOWED = ("accepted", "arrived")
CASES_PAGE = 50


@bp.route("/cases")
def cases():
    cursor = request.args.get("cursor") or None
    page = portal().partners.handovers(FOLLOWED, limit=CASES_PAGE, cursor=cursor, order="newest")
    handovers = latest_by_returnee(page["items"])
    arrived = [rid for rid, h in handovers.items() if h["status"] == "arrived"]
    monitored = {c["returnee_id"]: c for c in portal().monitoring.cases(
        len(arrived), returnee_ids=arrived)["items"]} if arrived else {}
    rows = [{"handover": h, "case": monitored.get(rid)} for rid, h in handovers.items()]
    return render_template("cases.html", rows=rows, next_cursor=page["next_cursor"], first=cursor is None)


def handover_of(returnee_id: str) -> dict:
    """The organisation's handover of this returnee (accepted or followed first); 404 when it has none."""
    try:
        found = portal().partners.handovers_of(returnee_id)
    except ApiError as refused:
        if refused.status != 422:  # not a returnee id at all
            raise
        found = []
    if not found:
        abort(404)
    followed = [h for h in found if h["status"] in FOLLOWED]
    return max(followed or found, key=lambda h: h.get("offered_at") or "")


def case_page(returnee_id: str, errors=None, error=None, status=200, refused_line=None):
    """The case page; `refused_line` (`<checkin id>:<index>`): the support line whose receipt was refused."""
    handover = handover_of(returnee_id)
    case = optional(lambda: portal().monitoring.case(returnee_id)) if handover["status"] == "arrived" else None
    receipts = {f"{r['checkin_id']}:{r['index']}": r for r in (case or {}).get("receipts", [])}
    shared = optional(lambda: portal().partners.shared(handover["id"])) if handover["status"] in FOLLOWED else []
    return render_template("case.html", handover=handover, case=case, shared=shared, errors=errors or {}, error=error,
                           done=request.args.get("done"), today=today().isoformat(), receipts=receipts,
                           refused_line=refused_line), status


@bp.route("/cases/<returnee_id>")
def case(returnee_id: str):
    return case_page(returnee_id)


@bp.route("/cases/<returnee_id>/shared/<item_id>")
def shared_document(returnee_id: str, item_id: str):
    """A document the consultant shared, passed on from the partners API as an attachment (never kept offline:
    the service worker keeps pages only)."""
    handover = handover_of(returnee_id)
    try:
        got = portal().partners.shared_content(handover["id"], item_id)
    except ApiError as refused:
        abort(404 if refused.status in (403, 404, 422) else 502)
    return Response(got.content, mimetype=got.headers.get("Content-Type", "application/octet-stream"), headers={
        "Content-Disposition": got.headers.get("Content-Disposition", "attachment")})


@bp.route("/cases/<returnee_id>/arrival", methods=["POST"])
def arrival(returnee_id: str):
    handover = handover_of(returnee_id)
    try:
        portal().partners.post(f"/v1/handovers/{handover['id']}/arrival",
                               {"arrived_on": request.form.get("arrived_on", "").strip()})
    except ApiError as refused:
        if refused.status not in (409, 422):
            raise
        return case_page(returnee_id, errors=field_errors(refused), error=problem_message(refused),
                          status=refused.status)
    return redirect(url_for("cases.case", returnee_id=returnee_id, done="arrived"))
