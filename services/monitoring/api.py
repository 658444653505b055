"""The monitoring HTTP API: check-ins (single and batch), cases, alerts.

Run: `gunicorn 'services.monitoring.api:create_app()'`
"""
from __future__ import annotations

import marshmallow as ma
from flask import request
from flask_smorest import Blueprint

from services.monitoring import handlers
from services.monitoring.bootstrap import MonitoringService, bootstrap
from services.monitoring.domain.case import effective_checkins, summary
from services.monitoring.domain.outcomes import GROUPINGS, outcome_table, scorecard
from services.monitoring.insights import empty_insight
from services.monitoring.schemas import (AlertActionSchema, AlertQuerySchema, BatchSchema, CaseQuerySchema,
                                         CheckinOutSchema, CheckinSchema)
from shared.http import (Problem, audit_resource, csv_response, flatten_errors, idempotent, principal,
                         problem_response, require, runtime, service_app, wants_csv)

WRITERS = ("partner", "consultant")
STAFF = ("consultant", "project_lead", "admin")


def _service() -> MonitoringService:
    return runtime().extras["service"]


def _scope() -> str:
    who = principal()
    return f"org:{who.org}" if who.is_partner else f"user:{who.sub}"


checkins_blp = Blueprint("checkins", __name__, url_prefix="/v1/checkins",
                         description="Monitoring check-ins from partners and consultants")
IDEMPOTENCY_HEADER = {"name": "Idempotency-Key", "in": "header", "required": True, "schema": {"type": "string"}}


def _record(data: dict) -> tuple[dict, int]:
    checkin = handlers.record_checkin(_service().deps, principal(), data)
    return CheckinOutSchema().dump(checkin), 201


@checkins_blp.route("", methods=["POST"])
@checkins_blp.doc(parameters=[IDEMPOTENCY_HEADER])
@checkins_blp.arguments(CheckinSchema)
@checkins_blp.response(201, CheckinOutSchema)
@require(*WRITERS)
def post_checkin(data):
    """Record a check-in. Retries with the same Idempotency-Key and body get the stored response."""
    key = request.headers.get("Idempotency-Key", "").strip()
    if not key or len(key) > 200:
        raise Problem(400, "The Idempotency-Key header is required (at most 200 characters).",
                      errors={"Idempotency-Key": "required"})
    audit_resource(data["returnee_id"])
    body, status = idempotent(_scope(), key, request.get_json(), lambda: _record(data))
    return body, status


@checkins_blp.route("/batch", methods=["POST"])
@checkins_blp.arguments(BatchSchema)
@require(*WRITERS)
def post_batch(batch):
    """Record check-ins collected offline: one result per item, in order; a bad item never blocks the rest."""
    items = batch["items"]
    limit = _service().batch_max_items
    if len(items) > limit:
        raise Problem(413, f"At most {limit} items per batch; split the upload.")
    return {"results": [_batch_item(item) for item in items]}, 200


def _batch_item(item: dict) -> dict:
    key = item["idempotency_key"]
    try:
        data = CheckinSchema().load(item["checkin"])
    except ma.ValidationError as exc:
        return {"idempotency_key": key, "status": 422,
                "error": {"title": "Unprocessable Entity", "status": 422,
                          "detail": "The check-in has invalid fields.", "errors": flatten_errors(exc.messages)}}
    try:
        body, status = idempotent(_scope(), key, item["checkin"], lambda: _record(data))
    except Problem as problem:
        error = problem_response(problem.code, problem.detail, problem.errors).get_json()
        return {"idempotency_key": key, "status": problem.code, "error": error}
    return {"idempotency_key": key, "status": status, "checkin": body}


cases_blp = Blueprint("cases", __name__, url_prefix="/v1/cases", description="Monitoring cases")


def _case_item(case: dict) -> dict:
    brief = summary(case)
    upcoming = [s for s in case["slots"] if s["due_on"] == brief["next_due_on"]]
    return {"returnee_id": case["returnee_id"], "country": case["country"], "partner_id": case["partner_id"],
            "arrived_on": case["arrived_on"], "state": case["state"], "next_due_on": brief["next_due_on"],
            "next_due": {k: upcoming[0][k] for k in ("slot", "due_on", "status")} if upcoming else None,
            "latest_index": case["latest_index"], "open_alerts": brief["open_alerts"]}


def _case_detail(case: dict) -> dict:
    dump = CheckinOutSchema().dump
    by_id = {c["id"]: c for c in case["checkins"]}
    slots = [{**{k: s[k] for k in ("slot", "due_on", "status")},
              "checkin": dump(by_id[s["checkin_id"]]) if s["checkin_id"] else None} for s in case["slots"]]
    scores = [{"checkin_id": c["id"], "slot": c["slot"], "contact_date": c["contact_date"], "index": c["index"],
               "rss": c["rss"], "scheme_version": c["scheme_version"], "scores": c["scores"]}
              for c in effective_checkins(case)]
    return {**_case_item(case), "departed_on": case.get("departed_on"), "outcome": case.get("outcome"),
            "vulnerabilities": case.get("vulnerabilities", []), "slots": slots,
            "checkins": [dump(c) for c in sorted(case["checkins"], key=lambda c: c["recorded_at"])],
            "scores": scores, "alerts": [handlers.alert_view(case, a) for a in case["alerts"]]}


@cases_blp.route("")
@cases_blp.arguments(CaseQuerySchema, location="query")
@require("partner", *STAFF)
def list_cases(args):
    """List cases: a partner sees its own (with the next due check-in); staff filter by country, partner, state."""
    who = principal()
    selector = {k: args[k] for k in ("country", "partner_id", "state") if args.get(k)}
    if who.is_partner:
        selector["partner_id"] = who.org
        selector.setdefault("state", {"$ne": "awaiting_arrival"})
    query = dict(selector)
    if args.get("cursor"):
        query["_id"] = {"$gt": args["cursor"]}
    docs = list(_service().repo.cases.find(query).sort("_id", 1).limit(args["limit"] + 1))
    more = len(docs) > args["limit"]
    docs = docs[:args["limit"]]
    return {"items": [_case_item(d) for d in docs], "next_cursor": docs[-1]["_id"] if more and docs else None}


@cases_blp.route("/<returnee_id>")
@require("partner", *STAFF)
def get_case(returnee_id):
    """A returnee's plan, slots, check-ins, scores over time and alerts."""
    return _case_detail(handlers.visible_case(_service().deps, principal(), returnee_id))


alerts_blp = Blueprint("alerts", __name__, url_prefix="/v1/alerts", description="Alerts for consultants")


@alerts_blp.route("")
@alerts_blp.arguments(AlertQuerySchema, location="query")
@require(*STAFF)
def list_alerts(args):
    """List alerts (filter by status, country, type, returnee), oldest first."""
    selector = {"alerts.0": {"$exists": True}}
    for name, path in (("country", "country"), ("returnee_id", "_id")):
        if args.get(name):
            selector[path] = args[name]
    found = []
    for case in _service().repo.cases.find(selector):
        for alert in case["alerts"]:
            if all(alert[k] == args[k] for k in ("status", "type") if args.get(k)):
                found.append(handlers.alert_view(case, alert))
    found.sort(key=lambda a: a["id"])
    if args.get("cursor"):
        found = [a for a in found if a["id"] > args["cursor"]]
    page = found[:args["limit"]]
    return {"items": page, "next_cursor": page[-1]["id"] if len(found) > args["limit"] else None}


@alerts_blp.route("/<alert_id>/acknowledge", methods=["POST"])
@alerts_blp.arguments(AlertActionSchema, required=False)
@require("consultant", "admin")
def acknowledge(body, alert_id):
    """Acknowledge an alert: someone is on it."""
    return handlers.act_on_alert(_service().deps, principal(), alert_id, "acknowledge", (body or {}).get("note", ""))


@alerts_blp.route("/<alert_id>/resolve", methods=["POST"])
@alerts_blp.arguments(AlertActionSchema, required=False)
@require("consultant", "admin")
def resolve(body, alert_id):
    """Resolve an alert, with an optional note."""
    return handlers.act_on_alert(_service().deps, principal(), alert_id, "resolve", (body or {}).get("note", ""))


scoring_blp = Blueprint("scoring", __name__, url_prefix="/v1/scoring", description="The scoring scheme")


@scoring_blp.route("")
@require(*STAFF)
def scoring_scheme():
    """The scoring scheme in use: version and how domains feed the RSS dimensions."""
    scheme = _service().deps.scheme
    return {"version": scheme.version, "dimensions": scheme.dimensions,
            "index": "mean over scored domains of (score - 1) / 4"}


@scoring_blp.route("/recompute", methods=["POST"])
@require("admin")
def recompute():
    """Recompute every stored check-in with the current scheme; old values stay in each check-in's history."""
    changed = handlers.rescore_all(_service().deps, _service().deps.scheme)
    return {"scheme_version": _service().deps.scheme.version, "checkins_rescored": changed}


reports_blp = Blueprint("reports", __name__, description="Insights, outcomes and the partner scorecard")


class OutcomeQuerySchema(ma.Schema):
    by = ma.fields.String(load_default="country", validate=ma.validate.OneOf(GROUPINGS))
    format = ma.fields.String(load_default="json", validate=ma.validate.OneOf(("json", "csv")))


class FormatQuerySchema(ma.Schema):
    format = ma.fields.String(load_default="json", validate=ma.validate.OneOf(("json", "csv")))


@reports_blp.route("/v1/insights/<country>")
@require(*STAFF)
def country_insights(country):
    """The latest computed insight for a country (suppressed below k returnees)."""
    code = country.upper()
    if len(code) != 2 or not code.isalpha():
        raise Problem(422, "Not a country code.", errors={"country": "Not an ISO 3166-1 alpha-2 code."})
    return _service().insights.get(code) or empty_insight(code, _service().settings.suppression_k)


@reports_blp.route("/v1/outcomes")
@reports_blp.arguments(OutcomeQuerySchema, location="query")
@require("project_lead", "admin")
def outcomes(args):
    """Reintegration outcomes by country, partner, arrival cohort, vulnerability (or per pseudonymous returnee)."""
    service = _service()
    table = outcome_table(list(service.repo.cases.find({"arrived_on": {"$ne": None}})), args["by"],
                          service.settings.suppression_k, service.deps.rules.months)
    if args["format"] == "csv" or wants_csv():
        return csv_response(table["rows"], f"outcomes-by-{args['by']}.csv")
    return table


@reports_blp.route("/v1/scorecard", endpoint="scorecard")
@reports_blp.route("/v1/outcomes/partners", endpoint="scorecard_by_partner")
@reports_blp.arguments(FormatQuerySchema, location="query")
@require("project_lead", "admin")
def partner_scorecard(args):
    """Per partner: days to accept and to confirm arrival, check-in completion, overdue rate, missing answers."""
    service = _service()
    rows = scorecard(list(service.repo.cases.find({})), service.infra.clock.today(), service.deps.rules)
    if args["format"] == "csv" or wants_csv():
        return csv_response(rows, "partner-scorecard.csv")
    return {"partners": rows}


def create_app(settings=None, service: MonitoringService | None = None):
    """Build the monitoring app; in the embedded mode it also runs the worker loops as threads."""
    service = service or bootstrap(settings=settings)
    return service_app(__name__, "Homeward monitoring", service,
                       (checkins_blp, cases_blp, alerts_blp, scoring_blp, reports_blp))
