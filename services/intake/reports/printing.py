"""Half-yearly progress reports as printable HTML (the PDF's source): one client, or every client of an
office in one file, one client per page. Codes are labelled from intake's vocabulary catalogues."""
from __future__ import annotations

from flask import render_template

from services.intake.brief import country_name
from services.intake.vocabulary import VOCABULARY

TEXT = {
    "nl": {"title": "Halfjaarlijkse voortgangsrapportage", "name": "Naam", "client_ref": "Cliëntnummer",
           "returnee": "Cliënt (id)", "period": "Periode", "office": "Kantoor", "country": "Land van terugkeer",
           "stage": "Waar de cliënt staat", "decision": "Besluit", "decided": "besloten terug te keren op {day}",
           "at_registration": "terugkeer, al bij inschrijving", "none": "nog geen besluit",
           "steps": "Stappen in deze periode", "no_steps": "Geen stappen in deze periode.",
           "plan": "Re-integratieplan", "departure": "Geplande vertrekdatum", "monitoring": "Monitoring",
           "index": "Laatste duurzaamheidsindex", "alerts": "Open signalen",
           "decided_to_return": "besluit tot terugkeer", "back_to_future_orientation": "terug naar toekomstoriëntatie",
           "nobody": "Geen cliënten in deze selectie."},
    "en": {"title": "Half-yearly progress report", "name": "Name", "client_ref": "Client reference",
           "returnee": "Returnee (id)", "period": "Period", "office": "Office", "country": "Country of return",
           "stage": "Where the client stands", "decision": "Decision", "decided": "decided to return on {day}",
           "at_registration": "to return, already when registered", "none": "no decision yet",
           "steps": "Steps in this period", "no_steps": "No steps in this period.",
           "plan": "Reintegration plan", "departure": "Planned departure", "monitoring": "Monitoring",
           "index": "Latest sustainability index", "alerts": "Open alerts",
           "decided_to_return": "decided to return", "back_to_future_orientation": "back to future orientation",
           "nobody": "No clients in this selection."},
}
DEPARTED_STAGES = ("departed", "in_monitoring", "monitoring_completed", "closed")


def progress_html(reports: list[dict], lang: str) -> str:
    lang = "nl" if lang == "nl" else "en"
    text = TEXT[lang]

    def label(names: tuple[str, ...], code: str | None) -> str:
        for name in names:
            if code in VOCABULARY.codes(name):
                return VOCABULARY.labels(name, code)[lang]
        return text.get(code, code or "")

    return render_template("progress_print.html", reports=reports, t=text, lang=lang, label=label,
                           country=lambda code: country_name(code, lang), departed=DEPARTED_STAGES)
