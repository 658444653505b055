"""The reports as workbooks (one sheet per section) and as printable HTML for the PDF, in the request's language.

The figures are the JSON's; the labels are the report's own (Dutch, or English for any other language)."""
from __future__ import annotations

from flask import render_template

from services.intake.printed import N_, translated
import services.intake.reports.sections as sections
from shared.http.workbook import sheet

QUARTERLY_COLUMNS = ("current", "period", "cumulative", "at_end")
PROGRAMME_COLUMNS, MONITORING_COLUMNS = QUARTERLY_COLUMNS[:3], QUARTERLY_COLUMNS[1:]  # as the page shows them
FIGURE, CLIENTS, PERIOD = N_("Figure"), N_("Clients"), N_("Period")  # printed.py: in the request's language


def label_language(lang: str) -> str:
    return "nl" if lang == "nl" else "en"


def quarterly_sheets(report: dict, lang: str) -> list[dict]:
    """The programme's figures (each organisation under its figure), then Homeward's monitoring figures."""
    labels, ll = report["labels"], label_language(lang)

    def header(columns) -> list:
        return [translated(FIGURE, lang)] + [labels["columns"][c][ll] for c in columns]

    def row(label: str, figure: dict, columns) -> list:
        return [label] + [figure.get(c) for c in columns]

    programme = []
    for name, figure in report["programme"].items():
        programme.append(row(labels["programme"][name][ll], figure, PROGRAMME_COLUMNS))
        programme += [row(f"– {org['name']}", org, PROGRAMME_COLUMNS) for org in figure.get("by_organisation", ())]
    monitoring = [row(labels["monitoring"][name][ll], figure, MONITORING_COLUMNS)
                  for name, figure in report["figures"].items()]
    columns = [(name, c, f"{labels['programme'][name][ll]}: {labels['columns'][c][ll]}")
               for name in report["programme"] for c in PROGRAMME_COLUMNS if c in report["programme"][name]]
    return [sheet(labels["sections"]["programme"][ll], header(PROGRAMME_COLUMNS), programme),
            sheet(labels["sections"]["monitoring"][ll], header(MONITORING_COLUMNS), monitoring),
            *extra_sheets(report, columns, lang)]


def extra_sheets(report: dict, columns: list, lang: str) -> list[dict]:
    """The targets' sheet, and the breakdown's when asked for."""
    t = sections.texts(lang)
    out = [sheet(t["section"], [translated(FIGURE, lang), t["target"], t["result"], t["met"]],
                 sections.target_rows(report["targets"], lang))]
    if report.get("breakdown"):
        header, rows = sections.breakdown_rows(report["breakdown"], columns, lang)
        out.append(sheet(translated(sections.DIMENSIONS, lang)[report["breakdown"]["by"]], header, rows))
    return out


def programme_sheets(report: dict, lang: str) -> list[dict]:
    """One sheet: each figure, the referrals per organisation under theirs."""
    ll, rows = label_language(lang), []
    for name, count in report["figures"].items():
        rows.append([report["labels"][name][ll], count])
        if name == "referred_to_other_return_organisations":
            rows += [[f"– {org['name']}", org["referred"]] for org in report["by_organisation"]]
    columns = [(name, None, report["labels"][name][ll]) for name in report["figures"]]
    return [sheet(f"{report['from'] or '…'} – {report['to']}", [translated(FIGURE, lang), translated(CLIENTS, lang)],
                  rows), *extra_sheets(report, columns, lang)]


def quarterly_html(report: dict, lang: str) -> str:
    """The quarterly report as a printable page (the PDF's source)."""
    ll, labels = label_language(lang), report["labels"]
    columns = [(name, c, f"{labels['programme'][name][ll]}: {labels['columns'][c][ll]}")
               for name in report["programme"] for c in PROGRAMME_COLUMNS if c in report["programme"][name]]
    breakdown = sections.breakdown_rows(report["breakdown"], columns, lang) if report.get("breakdown") else None
    t = sections.texts(lang)
    return render_template("quarterly_print.html", report=report, lang=ll,
                           targets=sections.target_rows(report["targets"], lang), t=t, breakdown=breakdown,
                           breakdown_title=report.get("breakdown") and
                           translated(sections.DIMENSIONS, lang)[report["breakdown"]["by"]],
                           figure=translated(FIGURE, lang),
                           programme_columns=PROGRAMME_COLUMNS, monitoring_columns=MONITORING_COLUMNS,
                           period=translated(PERIOD, lang))
