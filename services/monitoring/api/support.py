"""The support report: planned against delivered, in euros at the rate table, for project leads."""
from __future__ import annotations

from flask_smorest import Blueprint

from services.monitoring.api.common import _service
from services.monitoring.api.support_downloads import csv_rows, support_html, support_sheets
from services.monitoring.domain.support import support_report
from services.monitoring.money_schemas import SupportQuerySchema, SupportReportSchema
from shared.http import require
from shared.http.openapi import csv_alternative, download_alternative
from shared.http.workbook import in_format

support_blp = Blueprint("support", __name__, description="Support planned and delivered (the funders' figures)")


@support_blp.route("/v1/reports/support")
@support_blp.arguments(SupportQuerySchema, location="query")
@support_blp.alt_response(200, schema=SupportReportSchema, success=True)
@csv_alternative(support_blp)
@download_alternative(support_blp, "xlsx")
@download_alternative(support_blp, "pdf")
@require("project_lead", "admin")
def support(args):
    """Planned against delivered per client (pseudonymous), partner, country, funding source or period (month),
    with what is still open, the totals, each delivery with the rate used and each client's final statement.
    Amounts stay as entered; a currency without a rate on the day is listed as not converted, never as 0."""
    service = _service()
    end = args.get("to") or service.clock.today()
    report = support_report(service.repo.everything(), service.rates.all(), args["by"], args.get("from_"), end)
    name = f"support-by-{args['by']}-{end.isoformat()}"
    return in_format(args["format"], name, report, csv=lambda: csv_rows(report),
                     xlsx=lambda lang: support_sheets(report, lang), pdf=lambda lang: support_html(report, lang))
