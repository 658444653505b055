"""Alerts for consultants: list, acknowledge, resolve."""
from __future__ import annotations

from flask_smorest import Blueprint

from services.monitoring import handlers
from shared import access
from services.monitoring.api.common import ALERT_FREE_TEXT, STAFF, _service, for_caller
from services.monitoring.repository import AlertFilters
from services.monitoring.schemas import (AlertActionSchema, AlertCountsQuerySchema, AlertCountsSchema,
                                         AlertQuerySchema, AlertSchema)
from shared.http import audit_resource, page_of, principal, require

alerts_blp = Blueprint("alerts", __name__, url_prefix="/v1/alerts", description="Alerts for consultants")


@alerts_blp.route("")
@alerts_blp.arguments(AlertQuerySchema, location="query")
@alerts_blp.alt_response(200, schema=page_of(AlertSchema), success=True)
@require(*STAFF)
def list_alerts(args):
    """List alerts (filter by statuses, country, type, returnee, following consultant or office), oldest first
    or in the worklist's order (`order=worklist`: most serious type first, newest first within a type); a
    consultant's are those of their caseload (their offices' clients, their own, their team's and covered ones')."""
    page = _service().repo.alerts_page(_filters(args), args.get("cursor"), args["limit"], args["order"])
    return {"items": [for_caller(handlers.alert_view(case, alert), ALERT_FREE_TEXT) for case, alert in page["items"]],
            "next_cursor": page["next_cursor"]}


@alerts_blp.route("/counts")
@alerts_blp.arguments(AlertCountsQuerySchema, location="query")
@alerts_blp.alt_response(200, schema=AlertCountsSchema, success=True)
@require(*STAFF)
def count_alerts(args):
    """How many alerts (filter by statuses, country, following consultant or office), per country and type."""
    counts = _service().repo.alert_counts(_filters(args))
    by_type, by_country, both = {}, {}, {}
    for (country, type_), n in sorted(counts.items()):
        by_type[type_] = by_type.get(type_, 0) + n
        by_country[country] = by_country.get(country, 0) + n
        both.setdefault(country, {})[type_] = n
    return {"total": sum(counts.values()), "by_type": by_type, "by_country": by_country, "by_country_and_type": both}


def _filters(args: dict) -> AlertFilters:
    """The filters asked, within the caller's caseload (a consultant's: shared.access)."""
    return AlertFilters(statuses=tuple(args.get("status") or ()), visible=access.visible_filter(principal()),
                        **{k: args.get(k) for k in ("type", "country", "returnee_id", "consultant", "office")})


@alerts_blp.route("/<alert_id>/acknowledge", methods=["POST"])
@alerts_blp.arguments(AlertActionSchema, required=False)
@alerts_blp.alt_response(200, schema=AlertSchema, success=True)
@alerts_blp.alt_response(409, response="CONFLICT")
@require("consultant", "admin")
def acknowledge(body, alert_id):
    """Acknowledge an alert: someone is on it."""
    return _audited(handlers.act_on_alert(_service().deps, principal(), alert_id, "acknowledge",
                                          (body or {}).get("note", "")))


@alerts_blp.route("/<alert_id>/resolve", methods=["POST"])
@alerts_blp.arguments(AlertActionSchema, required=False)
@alerts_blp.alt_response(200, schema=AlertSchema, success=True)
@alerts_blp.alt_response(409, response="CONFLICT")
@require("consultant", "admin")
def resolve(body, alert_id):
    """Resolve an alert, with an optional note."""
    return _audited(handlers.act_on_alert(_service().deps, principal(), alert_id, "resolve",
                                          (body or {}).get("note", "")))


def _audited(alert: dict) -> dict:
    """The alert as answered, written to the audit log under its returnee (`?returnee_id=`)."""
    audit_resource(alert["id"], returnee_id=alert["returnee_id"])
    return alert
