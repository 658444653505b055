"""The files behind the staff pages' download buttons: the APIs write them (in the page's language) and the
web app passes them on; the outcomes workbook is built here, from the JSON the page shows, with the names
the page shows (partners, offices, countries) and its total row."""
from __future__ import annotations

from flask import Blueprint, Response, request
from flask_babel import get_locale, gettext as _, ngettext

from services.web import vocabulary
from services.web.security import roles, web
from services.web.views.reports import LEADS, MONTHS, _group_names, _grouping, _place, _quarter, _window
from shared.http.workbook import XLSX, sheet, workbook_bytes
from shared.pages.formatting import country_name

bp = Blueprint("downloads", __name__)
STAFF = ("consultant", "project_lead", "admin")


def _language() -> str:
    return str(get_locale())[:2]


def _pass_on(response) -> Response:
    """The API's file as it came: body, type and file name."""
    headers = {name: response.headers[name] for name in ("Content-Disposition", "Content-Language")
               if name in response.headers}
    return Response(response.content, mimetype=response.headers.get("Content-Type"), headers=headers)


@bp.route("/reports/quarterly.<any(xlsx, pdf):kind>")
@roles(*LEADS)
def quarterly_file(kind):
    year, quarter = _quarter()
    return _pass_on(web().intake.download("/v1/reports/quarterly", _language(), year=year, quarter=quarter,
                                          format=kind, **_place()))


@bp.route("/reports/programme.xlsx")
@roles(*LEADS)
def programme_xlsx():
    start, end = _window()
    return _pass_on(web().intake.download("/v1/reports/programme", _language(), format="xlsx",
                                          **{"from": start, "to": end}, **_place()))


@bp.route("/reports/progress.pdf")
@roles(*STAFF)
def progress_reports_pdf():
    """Every client of the office or region: their half-yearly progress reports up to `until`, in one PDF."""
    until = request.args.get("until", "").strip() or None
    return _pass_on(web().intake.download("/v1/reports/progress", _language(), until=until, **_place()))


@bp.route("/returnees/<returnee_id>/progress-report.pdf")
@roles(*STAFF)
def progress_pdf(returnee_id):
    until = request.args.get("until", "").strip() or None
    return _pass_on(web().intake.download(f"/v1/returnees/{returnee_id}/progress-report", _language(),
                                          until=until, format="pdf"))


@bp.route("/countries/<code>/brief.pdf")
@roles(*STAFF)
def brief_pdf(code):
    lang = request.args.get("lang") if request.args.get("lang") in ("en", "nl", "fr") else _language()
    return _pass_on(web().intake.download(f"/v1/countries/{code.upper()[:2]}/brief", lang, lang=lang, format="pdf"))


@bp.route("/outcomes.xlsx")
@roles(*LEADS)
def outcomes_xlsx():
    by = _grouping()
    table, names = web().monitoring.outcomes(by), _group_names(by)

    def group(code: str) -> str:
        if by == "country":
            return country_name(code)
        if code in names:
            return names[code]
        if code == "none":
            return _("none")
        return vocabulary.label("vulnerabilities", code) if by == "vulnerability" else code

    def row(label: str, r: dict) -> list:
        if r.get("suppressed"):
            return [label, _hidden_because(r, table.get("k"))]
        return [label, r["returnees"], r["completed_share"]] + [r["mean_index_by_slot"].get(m) for m in MONTHS]

    header = [_("Group"), _("Returnees"), _("Completed")] + [_("index month %(m)s", m=m) for m in MONTHS]
    rows = [row(group(r["group"]), r) for r in table["rows"]]
    if table.get("total"):
        rows.append(row(_("Total"), table["total"]))
    body = workbook_bytes([sheet(vocabulary.label("outcome_groupings", by), header, rows)], _language())
    return Response(body, mimetype=XLSX, headers={"Content-Disposition": f'attachment; filename="outcomes-by-{by}.xlsx"'})


def _hidden_because(cell: dict, k: int | None) -> str:
    """Why a group is not shown, in the words of the page (macros.html `hidden_because`)."""
    if cell.get("suppressed_reason") == "protects_other":
        return _("not shown, so that a smaller group cannot be worked out")
    if cell.get("suppressed_reason") == "only_region":
        return _("not shown: the only region")
    return ngettext("fewer than %(num)d returnee", "fewer than %(num)d returnees", k or 5)
