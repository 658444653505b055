"""The reports as workbooks (one sheet per section) and as printable HTML for the PDF, in the request's language.

The figures are the JSON's; the labels are the report's own (Dutch, or English for any other language)."""
from __future__ import annotations

from flask import render_template

from shared.http.workbook import sheet

QUARTERLY_COLUMNS = ("current", "period", "cumulative", "at_end")
FIGURE = {"nl": "Cijfer", "en": "Figure", "fr": "Figure"}
CLIENTS = {"nl": "Cliënten", "en": "Clients", "fr": "Clients"}
PERIOD = {"nl": "Periode", "en": "Period", "fr": "Période"}


def label_language(lang: str) -> str:
    return "nl" if lang == "nl" else "en"


def quarterly_sheets(report: dict, lang: str) -> list[dict]:
    """The programme's figures (each organisation under its figure), then Homeward's monitoring figures."""
    labels, ll = report["labels"], label_language(lang)
    header = [FIGURE[lang]] + [labels["columns"][c][ll] for c in QUARTERLY_COLUMNS]

    def row(label: str, figure: dict) -> list:
        return [label] + [figure.get(c) for c in QUARTERLY_COLUMNS]

    programme = []
    for name, figure in report["programme"].items():
        programme.append(row(labels["programme"][name][ll], figure))
        programme += [row(f"– {org['name']}", org) for org in figure.get("by_organisation", ())]
    monitoring = [row(labels["monitoring"][name][ll], figure) for name, figure in report["figures"].items()]
    return [sheet(labels["sections"]["programme"][ll], header, programme),
            sheet(labels["sections"]["monitoring"][ll], header, monitoring)]


def programme_sheets(report: dict, lang: str) -> list[dict]:
    """One sheet: each figure, the referrals per organisation under theirs."""
    ll, rows = label_language(lang), []
    for name, count in report["figures"].items():
        rows.append([report["labels"][name][ll], count])
        if name == "referred_to_other_return_organisations":
            rows += [[f"– {org['name']}", org["referred"]] for org in report["by_organisation"]]
    return [sheet(f"{report['from'] or '…'} – {report['to']}", [FIGURE[lang], CLIENTS[lang]], rows)]


def quarterly_html(report: dict, lang: str) -> str:
    """The quarterly report as a printable page (the PDF's source)."""
    return render_template("quarterly_print.html", report=report, lang=label_language(lang),
                           columns=QUARTERLY_COLUMNS, figure=FIGURE[lang], period=PERIOD[lang])
