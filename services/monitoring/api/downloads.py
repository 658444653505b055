"""The outcome table and the partner scorecard as workbooks: one sheet, a header in the request's language,
the JSON's figures as numbers (shares as fractions), the total row as on the staff page. Monitoring knows
partners by id only: the staff pages' downloads put their names in (services/web/views/downloads.py)."""
from __future__ import annotations

from services.monitoring.vocabulary import DOMAINS
from shared.http.workbook import sheet

WORDS = {
    "en": {"group": "Group", "returnees": "Returnees", "completed_share": "Completed (share)",
           "index": "Mean index month {m}", "total": "Total", "suppressed": "Fewer than {k}: not shown",
           "partner": "Partner", "handovers_offered": "Handovers offered", "handovers_declined": "Handovers declined",
           "mean_days_to_accept": "Mean days to accept", "mean_days_to_confirm_arrival": "Mean days to confirm arrival",
           "completion": "Check-ins done month {m} (share)", "overdue_rate": "Overdue (share)",
           "missing": "Missing answers {d} (share)", "outcomes": "Outcomes by {by}", "scorecard": "Partner scorecard"},
    "nl": {"group": "Groep", "returnees": "Terugkeerders", "completed_share": "Afgerond (aandeel)",
           "index": "Gemiddelde index maand {m}", "total": "Totaal", "suppressed": "Minder dan {k}: niet getoond",
           "partner": "Partner", "handovers_offered": "Overdrachten aangeboden",
           "handovers_declined": "Overdrachten geweigerd", "mean_days_to_accept": "Gemiddeld dagen tot aanvaarden",
           "mean_days_to_confirm_arrival": "Gemiddeld dagen tot bevestigde aankomst",
           "completion": "Monitoringcontacten gedaan maand {m} (aandeel)", "overdue_rate": "Te laat (aandeel)",
           "missing": "Ontbrekende antwoorden {d} (aandeel)", "outcomes": "Resultaten per {by}",
           "scorecard": "Scorekaart partners"},
    "fr": {"group": "Groupe", "returnees": "Personnes rentrées", "completed_share": "Terminé (part)",
           "index": "Indice moyen mois {m}", "total": "Total", "suppressed": "Moins de {k} : non affiché",
           "partner": "Partenaire", "handovers_offered": "Transferts proposés", "handovers_declined": "Transferts refusés",
           "mean_days_to_accept": "Jours moyens avant acceptation",
           "mean_days_to_confirm_arrival": "Jours moyens avant confirmation de l'arrivée",
           "completion": "Suivis faits mois {m} (part)", "overdue_rate": "En retard (part)",
           "missing": "Réponses manquantes {d} (part)", "outcomes": "Résultats par {by}",
           "scorecard": "Tableau des partenaires"},
}
COMPLETION_MONTHS = ("1", "3", "6", "12")


def outcome_sheets(table: dict, months: tuple, lang: str, names: dict | None = None) -> list[dict]:
    """Per group: returnees, completed share, mean index per month; a hidden group says so; the total last."""
    w, names, k = WORDS[lang], names or {}, table.get("k")
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
    return [sheet(WORDS[lang]["outcomes"].format(by=table["by"]), columns, rows)]


def scorecard_sheets(rows: list[dict], lang: str, names: dict | None = None,
                     domains: tuple = DOMAINS) -> list[dict]:
    w, names = WORDS[lang], names or {}
    plain = ("returnees", "handovers_offered", "handovers_declined", "mean_days_to_accept",
             "mean_days_to_confirm_arrival")
    header = ([w["partner"]] + [w[c] for c in plain] + [w["completion"].format(m=m) for m in COMPLETION_MONTHS]
              + [w["overdue_rate"]] + [w["missing"].format(d=d) for d in domains])
    body = [[names.get(r["partner_id"], r["partner_id"])] + [r[c] for c in plain]
            + [r["checkin_completion"].get(m) for m in COMPLETION_MONTHS] + [r["overdue_rate"]]
            + [r["missing_answers"].get(d) for d in domains] for r in rows]
    return [sheet(w["scorecard"], header, body)]
