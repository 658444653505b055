"""Intake's reports for project leads: the quarterly report and the programme results (JSON, CSV, XLSX, PDF),
and the half-yearly progress reports of an office's clients in one PDF."""
from __future__ import annotations

from datetime import date, datetime

from flask_smorest import Blueprint

from services.intake import domain, handlers, offices
from services.intake.reports import programme_rows, report_rows
from services.intake.reports.targets import against
from services.intake.reports.days import programme_from_days, quarterly_from_days
from services.intake.reports.downloads import programme_sheets, quarterly_html, quarterly_sheets
from services.intake.reports.printing import progress_html
from services.intake.schemas import (ProgrammeQuerySchema, ProgressBatchQuerySchema, QuarterQuerySchema,
                                     QuarterlyReportSchema, TargetsQuerySchema, TargetsSchema)
from shared import access
from shared.errors import Invalid, NotFound
from shared.http import principal, require, runtime
from shared.http.openapi import AnswerSchema, csv_alternative, download_alternative
from shared.http.workbook import export_language, in_format, pdf_response
from shared.redaction import without

reports_blp = Blueprint("reports", __name__, url_prefix="/v1/reports", description="Reports for project leads")


def _deps():
    return runtime().extras["service"].deps


def _chosen(args) -> set[str] | None:
    """The offices of the office or region asked for (None: the whole programme)."""
    return {args["office"]} if args["office"] else offices.offices_in(args["region"]) if args["region"] else None


def _report_input(args) -> tuple:
    """The day table of the office or region asked for, the managed organisations, and the filter as named."""
    place = {"office": args["office"], "region": args["region"]}
    repo = _deps().repo
    days = repo.report_days(args["office"], None if args["office"] else args["region"], bool(args.get("breakdown")))
    return days, repo.organisations(include_inactive=True), place


def _extras(args) -> dict:
    """The breakdown asked for, the suppression threshold and the targets' file."""
    service = runtime().extras["service"]
    return {"by": args.get("breakdown"), "k": service.settings.suppression_k, "targets_file": service.config.targets_file}


def _suffix(args) -> str:
    return f"-{args['office'] or args['region']}" if args["office"] or args["region"] else ""


@reports_blp.route("/quarterly")
@reports_blp.arguments(QuarterQuerySchema, location="query")
@reports_blp.alt_response(200, schema=QuarterlyReportSchema, success=True)
@csv_alternative(reports_blp)
@download_alternative(reports_blp, "xlsx")
@download_alternative(reports_blp, "pdf")
@require("project_lead", "admin")
def quarterly(args):
    """The programme's quarterly figures, then Homeward's monitoring figures; JSON, CSV, XLSX or PDF, per office
    or region."""
    days, organisations, place = _report_input(args)
    report = quarterly_from_days(days, args["year"], args["quarter"], organisations, place, **_extras(args))
    return in_format(args["format"], f"quarterly-{args['year']}-Q{args['quarter']}{_suffix(args)}", report,
                     csv=lambda: report_rows(report), xlsx=lambda lang: quarterly_sheets(report, lang),
                     pdf=lambda lang: quarterly_html(report, lang))


@reports_blp.route("/targets")
@reports_blp.arguments(TargetsQuerySchema, location="query")
@reports_blp.response(200, TargetsSchema)
@require("project_lead", "admin")
def programme_targets(args):
    """The programme's targets for a year (000_... §5; the quarter's where one is set) with the results from
    1 January to today (or to 31 December of a past year), per office or region."""
    today = runtime().clock.today()
    year = args["year"] or today.year
    days, _, _ = _report_input(args)
    end = min(today, date(year, 12, 31)) if year >= today.year else date(year, 12, 31)
    quarter = (end.month - 1) // 3 + 1 if year == today.year else None
    return against(days, year, max(end, date(year, 1, 1)), quarter, _extras(args)["targets_file"])


@reports_blp.route("/programme")
@reports_blp.arguments(ProgrammeQuerySchema, location="query")
@reports_blp.alt_response(200, schema=AnswerSchema, success=True, description="The programme results")
@csv_alternative(reports_blp)
@download_alternative(reports_blp, "xlsx")
@require("project_lead", "admin")
def programme(args):
    """The programme results (enrolled, referred, returned) over `from`..`to`; JSON, CSV or XLSX, per office or
    region."""
    to = args["to"] or runtime().clock.today()
    if args["from_"] and args["from_"] > to:
        raise Invalid("The window is empty.", errors={"from": "Must not be after `to` (default today)."})
    days, organisations, place = _report_input(args)
    report = programme_from_days(days, args["from_"], to, organisations, place, **_extras(args))
    return in_format(args["format"], f"programme-{report['from'] or 'start'}-{report['to']}{_suffix(args)}", report,
                     csv=lambda: programme_rows(report), xlsx=lambda lang: programme_sheets(report, lang))


@reports_blp.route("/progress")
@reports_blp.arguments(ProgressBatchQuerySchema, location="query")
@download_alternative(reports_blp, "pdf")
@require("consultant", "project_lead", "admin")
def progress_reports(args):
    """Every client of the office or region (or the programme) registered by `until`, each with the half year
    that ends then, in one PDF (a reporting moment of 001_... §7); pseudonymous for project leads; a consultant's
    holds only their caseload's clients (shared.access)."""
    deps, until = _deps(), args["until"] or runtime().clock.today()
    if until > deps.clock.today():
        raise Invalid("Implausible report date.", errors={"until": "Must not be in the future."})
    lead = principal().role == "project_lead"
    facts, place = deps.repo.report_facts(_chosen(args)), {"office": args["office"], "region": args["region"]}
    chosen = sorted(f["_id"] for f in facts if f.get("registered_on") and _day(f["registered_on"]) <= until
                    and access.may_read(principal(), f.get("office"), f.get("consultant")))  # a consultant's caseload
    reports = []
    for returnee_id in chosen:
        try:
            report = handlers.progress_report(deps, returnee_id, until, with_names=not lead)
        except NotFound:  # erased meanwhile
            continue
        reports.append(without(report, domain.LEAD_HIDDEN_IN_REPORT) if lead else report)
    lang = export_language()
    return pdf_response(progress_html(reports, lang), f"progress-{until.isoformat()}{_suffix(place)}.pdf", lang)


def _day(value) -> date:
    return value.date() if isinstance(value, datetime) else value
