"""Reports: country insights, reintegration outcomes and the partner scorecard (JSON, CSV or XLSX)."""
from __future__ import annotations

import marshmallow as ma
from flask_smorest import Blueprint

from services.monitoring.api.common import STAFF, _service
from services.monitoring.api.downloads import outcome_sheets, returnee_sheets, scorecard_sheets
from services.monitoring.domain.outcomes import outcome_table, scorecard
from services.monitoring.domain.insight_changes import empty_insight
from services.monitoring.schemas import InsightSchema, OutcomesSchema, ScorecardSchema
from services.monitoring.vocabulary import GROUPINGS
from shared.http import Problem, require
from shared.http.openapi import csv_alternative, download_alternative
from shared.http.workbook import in_format

FORMATS = ("json", "csv", "xlsx")
reports_blp = Blueprint("reports", __name__, description="Insights, outcomes and the partner scorecard")


class OutcomeQuerySchema(ma.Schema):
    by = ma.fields.String(load_default="country", validate=ma.validate.OneOf(GROUPINGS))
    format = ma.fields.String(load_default="json", validate=ma.validate.OneOf(FORMATS))


class FormatQuerySchema(ma.Schema):
    format = ma.fields.String(load_default="json", validate=ma.validate.OneOf(FORMATS))


@reports_blp.route("/v1/insights/<country>")
@reports_blp.alt_response(200, schema=InsightSchema, success=True)
@require(*STAFF)
def country_insights(country):
    """The latest published insight for a country (suppressed below k returnees)."""
    code = country.upper()
    if len(code) != 2 or not code.isalpha():
        raise Problem(422, "Not a country code.", errors={"country": "Not an ISO 3166-1 alpha-2 code."})
    service = _service()
    service.insights_feed.run_once()  # what this process has written is followed before it is read
    return service.insights.get(code) or empty_insight(code, service.settings.suppression_k)


@reports_blp.route("/v1/outcomes")
@reports_blp.arguments(OutcomeQuerySchema, location="query")
@reports_blp.alt_response(200, schema=OutcomesSchema, success=True)
@csv_alternative(reports_blp)
@download_alternative(reports_blp, "xlsx")
@require("project_lead", "admin")
def outcomes(args):
    """Reintegration outcomes by country, partner, arrival cohort, vulnerability (or per pseudonymous returnee)."""
    service = _service()
    table = outcome_table(service.repo.monitored(), args["by"],
                          service.settings.suppression_k, service.deps.rules.months)
    return in_format(args["format"], f"outcomes-by-{args['by']}", table, csv=lambda: table["rows"],
                     xlsx=lambda lang: (returnee_sheets(table, lang) if args["by"] == "returnee"
                                        else outcome_sheets(table, service.deps.rules.months, lang)))


@reports_blp.route("/v1/scorecard", endpoint="scorecard")
@reports_blp.route("/v1/outcomes/partners", endpoint="scorecard_by_partner")
@reports_blp.arguments(FormatQuerySchema, location="query")
@reports_blp.alt_response(200, schema=ScorecardSchema, success=True)
@csv_alternative(reports_blp)
@download_alternative(reports_blp, "xlsx")
@require("project_lead", "admin")
def partner_scorecard(args):
    """Per partner: days to accept and to confirm arrival, check-in completion, overdue rate, missing answers."""
    service = _service()
    rows = scorecard(service.repo.everything(), service.clock.today(), service.deps.rules)
    return in_format(args["format"], "partner-scorecard", {"partners": rows}, csv=lambda: rows,
                     xlsx=lambda lang: scorecard_sheets(rows, lang))
