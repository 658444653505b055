"""The outcome table and the partner scorecard as workbooks: one sheet, a header in the request's language,
the JSON's figures as numbers (shares as fractions), the total row as on the staff page. Monitoring knows
partners by id only: the staff pages' downloads put their names in (services/web/views/downloads.py)."""
from __future__ import annotations

from pathlib import Path

from services.monitoring.vocabulary import DOMAINS
from shared.http.workbook import sheet
from shared.printed import N_, PrintedTexts

TEXTS = PrintedTexts(Path(__file__).parents[1] / "translations")

WORDS = {  # a workbook's words (English message ids, shared/printed.py), in monitoring's printed catalogues
    "group": N_("Group"), "returnees": N_("Returnees"), "completed_share": N_("Completed (share)"),
    "index": N_("Mean index month {m}"), "total": N_("Total"), "suppressed": N_("Fewer than {k}: not shown"),
    "partner": N_("Partner"), "handovers_offered": N_("Handovers offered"),
    "handovers_declined": N_("Handovers declined"), "mean_days_to_accept": N_("Mean days to accept"),
    "mean_days_to_confirm_arrival": N_("Mean days to confirm arrival"),
    "completion": N_("Check-ins done month {m} (share)"), "overdue_rate": N_("Overdue (share)"),
    "missing": N_("Missing answers {d} (share)"), "outcomes": N_("Outcomes by {by}"),
    "scorecard": N_("Partner scorecard"),
}
COMPLETION_MONTHS = ("1", "3", "6", "12")


def outcome_sheets(table: dict, months: tuple, lang: str, names: dict | None = None) -> list[dict]:
    """Per group: returnees, completed share, mean index per month; a hidden group says so; the total last."""
    w, names, k = TEXTS.translated(WORDS, lang), names or {}, table.get("k")
    header = [w["group"], w["returnees"], w["completed_share"]] + [w["index"].format(m=m) for m in months]

    def row(label, r: dict) -> list:
        if r.get("suppressed"):
            return [label, w["suppressed"].format(k=k)]
        return [label, r["returnees"], r["completed_share"]] + [r["mean_index_by_slot"].get(str(m)) for m in months]

    rows = [row(names.get(r["group"], r["group"]), r) for r in table["rows"]]
    if table.get("total"):
        rows.append(row(w["total"], table["total"]))
    return [sheet(w["outcomes"].format(by=table["by"]), header, rows)]


def returnee_sheets(table: dict, lang: str) -> list[dict]:
    """The pseudonymous per-returnee rows, column per field as in the CSV."""
    columns = list(table["rows"][0]) if table["rows"] else ["returnee_id"]
    rows = [[", ".join(v) if isinstance(v := r.get(c), list) else v for c in columns] for r in table["rows"]]
    return [sheet(TEXTS.translated(WORDS["outcomes"], lang).format(by=table["by"]), columns, rows)]


def scorecard_sheets(rows: list[dict], lang: str, names: dict | None = None,
                     domains: tuple = DOMAINS) -> list[dict]:
    w, names = TEXTS.translated(WORDS, lang), names or {}
    plain = ("returnees", "handovers_offered", "handovers_declined", "mean_days_to_accept",
             "mean_days_to_confirm_arrival")
    header = ([w["partner"]] + [w[c] for c in plain] + [w["completion"].format(m=m) for m in COMPLETION_MONTHS]
              + [w["overdue_rate"]] + [w["missing"].format(d=d) for d in domains])
    body = [[names.get(r["partner_id"], r["partner_id"])] + [r[c] for c in plain]
            + [r["checkin_completion"].get(m) for m in COMPLETION_MONTHS] + [r["overdue_rate"]]
            + [r["missing_answers"].get(d) for d in domains] for r in rows]
    return [sheet(w["scorecard"], header, body)]
