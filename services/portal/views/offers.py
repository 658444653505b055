"""Offers: a case offered to the organisation, with what it needs to decide (languages, household,
vulnerabilities, region, the plan and its planned support; personal details once accepted, as the API gives
them); accept, or decline with a reason."""
from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for

from services.portal.clients import ApiError
from services.portal.messages import field_errors, problem_message
from services.portal.views.common import choices, portal, today
from services.portal.views.home import days_left, offers_waiting

bp = Blueprint("offers", __name__)


@bp.route("/offers")
def offers():
    cursor = request.args.get("cursor") or None
    offers, next_cursor = offers_waiting(today(), cursor)
    return render_template("offers.html", offers=offers, next_cursor=next_cursor, done=request.args.get("done"))


def _offer_page(handover: dict, errors: dict | None = None, error: str | None = None, values=None, status=200):
    return render_template("offer.html", offer={**handover, "days_left": days_left(handover, today())},
                           reasons=choices("partners", "decline_reasons"), errors=errors or {}, error=error,
                           values=values or {}), status


@bp.route("/offers/<handover_id>")
def offer(handover_id: str):
    return _offer_page(portal().partners.handover(handover_id))


@bp.route("/offers/<handover_id>/accept", methods=["POST"])
def accept(handover_id: str):
    try:
        handover = portal().partners.post(f"/v1/handovers/{handover_id}/accept")
    except ApiError as refused:
        if refused.status != 409:
            raise
        return _offer_page(portal().partners.handover(handover_id), error=problem_message(refused), status=409)
    return redirect(url_for("cases.case", returnee_id=handover["returnee_id"], done="accepted"))


@bp.route("/offers/<handover_id>/decline", methods=["POST"])
def decline(handover_id: str):
    body = {"reason": request.form.get("reason", ""), "detail": request.form.get("detail", "").strip()}
    try:
        portal().partners.post(f"/v1/handovers/{handover_id}/decline", body)
    except ApiError as refused:
        if refused.status not in (409, 422):
            raise
        return _offer_page(portal().partners.handover(handover_id), errors=field_errors(refused),
                           error=problem_message(refused), values=body, status=refused.status)
    return redirect(url_for("offers.offers", done="declined"))
