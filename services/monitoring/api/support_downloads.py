"""The support report as CSV rows, workbook sheets and printable HTML: the JSON's figures, labels in the
request's language, euros as numbers, what is not converted per currency as text ("GNF 1500000")."""
from __future__ import annotations

from html import escape

from services.monitoring.api.downloads import TEXTS
from shared.http.workbook import sheet
from shared.printed import N_

WORDS = {  # English message ids in monitoring's printed catalogues (shared/printed.py), as api/downloads.py's
    "title": N_("Support: planned and delivered"), "group": N_("Group"), "planned": N_("Planned (EUR)"),
    "delivered": N_("Delivered (EUR)"), "open": N_("Still open (EUR)"), "planned_nc": N_("Planned, not converted"),
    "delivered_nc": N_("Delivered, not converted"), "total": N_("Total"), "deliveries": N_("Deliveries"),
    "statements": N_("Final statements"), "client": N_("Client"), "partner": N_("Partner"),
    "country": N_("Country"), "funding_source": N_("Funding source"), "type": N_("Support"),
    "day": N_("Delivered on"), "amount": N_("Amount"), "currency": N_("Currency"), "eur": N_("EUR"),
    "rate": N_("Rate (per EUR)"), "rate_from": N_("Rate valid from"), "not_converted": N_("not converted"),
    "final": N_("Year completed"), "period": N_("Period"), "unknown": N_("unknown"),
    "by": {"client": N_("client"), "partner": N_("partner"), "country": N_("country"),
           "funding_source": N_("funding source"), "period": N_("period")},
}


def _amounts(per_currency: dict) -> str:
    return ", ".join(f"{currency} {amount:.2f}" for currency, amount in per_currency.items())


def _figures(row: dict) -> list:
    return [row["planned_eur"], row["delivered_eur"], row["open_eur"], _amounts(row["planned_not_converted"]),
            _amounts(row["delivered_not_converted"])]


def csv_rows(report: dict) -> list[dict]:
    """One row per group and the total, as the JSON (not converted amounts as text)."""
    by = report["by"]
    rows = [{by: r[by], **{k: r[k] for k in ("planned_eur", "delivered_eur", "open_eur")},
             "planned_not_converted": _amounts(r["planned_not_converted"]),
             "delivered_not_converted": _amounts(r["delivered_not_converted"])} for r in report["rows"]]
    totals = report["totals"]
    rows.append({by: "total", **{k: totals[k] for k in ("planned_eur", "delivered_eur", "open_eur")},
                 "planned_not_converted": _amounts(totals["planned_not_converted"]),
                 "delivered_not_converted": _amounts(totals["delivered_not_converted"])})
    return rows


def _tables(report: dict, lang: str) -> list[dict]:
    w = TEXTS.translated(WORDS, lang)
    figures = [w["planned"], w["delivered"], w["open"], w["planned_nc"], w["delivered_nc"]]
    group = [[r[report["by"]] if r[report["by"]] is not None else w["unknown"], *_figures(r)] for r in report["rows"]]
    group.append([w["total"], *_figures(report["totals"])])
    deliveries = [[d["returnee_id"], d["partner_id"], d["country"], d["funding_source"] or w["unknown"], d["type"],
                   d["delivered_on"], d["amount"], d["currency"], d["eur"] if d["converted"] else w["not_converted"],
                   (d["rate"] or {}).get("units_per_eur"), (d["rate"] or {}).get("valid_from")]
                  for d in report["deliveries"]]
    statements = [[s["returnee_id"], s["partner_id"], s["country"], line["type"], *_figures(line), s["final"]]
                  for s in report["statements"] for line in s["lines"]]
    return [sheet(f'{w["title"]} ({w["by"][report["by"]]})', [w[report["by"]] if report["by"] in w else w["group"],
                                                              *figures], group),
            sheet(w["deliveries"], [w["client"], w["partner"], w["country"], w["funding_source"], w["type"], w["day"],
                                    w["amount"], w["currency"], w["eur"], w["rate"], w["rate_from"]], deliveries),
            sheet(w["statements"], [w["client"], w["partner"], w["country"], w["type"], *figures, w["final"]],
                  statements)]


def support_sheets(report: dict, lang: str) -> list[dict]:
    return _tables(report, lang)


def _cell(value, lang: str) -> str:
    if isinstance(value, bool):
        return {"en": ("yes", "no"), "nl": ("ja", "nee"), "fr": ("oui", "non")}[lang][0 if value else 1]
    if isinstance(value, float):
        return f"{value:.2f}"
    return escape("" if value is None else str(value))


def support_html(report: dict, lang: str) -> str:
    """The printable report: the period, then each sheet as a table."""
    w = TEXTS.translated(WORDS, lang)
    period = report["period"]
    parts = [f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>{escape(w["title"])}</title>'
             "<style>body{font-family:sans-serif;font-size:9pt}table{border-collapse:collapse;margin-bottom:12pt}"
             "th,td{border:1px solid #999;padding:2pt 4pt;text-align:left}</style></head><body>",
             f'<h1>{escape(w["title"])}</h1><p>{escape(w["period"])}: {escape(period["from"] or "…")} – '
             f'{escape(period["to"])}</p>']
    for section in _tables(report, lang):
        parts.append(f'<h2>{escape(section["title"])}</h2><table><thead><tr>'
                     + "".join(f"<th>{escape(h)}</th>" for h in section["header"]) + "</tr></thead><tbody>")
        parts.extend("<tr>" + "".join(f"<td>{_cell(v, lang)}</td>" for v in row) + "</tr>" for row in section["rows"])
        parts.append("</tbody></table>")
    parts.append("</body></html>")
    return "".join(parts)
