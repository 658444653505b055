"""Half-yearly progress reports as printable HTML (the PDF's source): one client, or every client of an
office in one file, one client per page, in Dutch or English. Its texts are in the `printed` catalogues
(services/intake/printed.py), the codes labelled from the vocabularies."""
from __future__ import annotations

from flask import render_template

from services.intake.brief import country_name
from services.intake.printed import N_, translated
from services.intake.vocabulary import VOCABULARY

# the report's texts (English message ids, services/intake/printed.py); codes are the vocabulary's labels
TEXT = {"title": N_("Half-yearly progress report"), "name": N_("Name"), "client_ref": N_("Client reference"),
        "returnee": N_("Returnee (id)"), "period": N_("Period"), "office": N_("Office"),
        "country": N_("Country of return"), "stage": N_("Where the client stands"), "decision": N_("Decision"),
        "decided": N_("decided to return on {day}"), "at_registration": N_("to return, already when registered"),
        "none": N_("no decision yet"), "steps": N_("Steps in this period"), "no_steps": N_("No steps in this period."),
        "plan": N_("Reintegration plan"), "departure": N_("Planned departure"), "monitoring": N_("Monitoring"),
        "index": N_("Latest sustainability index"), "alerts": N_("Open alerts"),
        "decided_to_return": N_("decided to return"), "back_to_future_orientation": N_("back to future orientation"),
        "nobody": N_("No clients in this selection."),
        "before_after": N_("Before and after return"), "domain": N_("Domain"),
        "before": N_("Before return ({day}, {moment})"), "after": N_("After return ({day})"),
        "change": N_("Change"), "no_before": N_("no assessment before return"),
        "no_after": N_("no scored check-in yet"), "judgement": N_("Judgement before return")}
DEPARTED_STAGES = ("departed", "in_monitoring", "monitoring_completed", "closed")


def progress_html(reports: list[dict], lang: str) -> str:
    lang = "nl" if lang == "nl" else "en"
    text = translated(TEXT, lang)

    def label(names: tuple[str, ...], code: str | None) -> str:
        for name in names:
            if code in VOCABULARY.codes(name):
                return VOCABULARY.labels(name, code)[lang]
        return text.get(code, code or "")

    return render_template("progress_print.html", reports=reports, t=text, lang=lang, label=label,
                           country=lambda code: country_name(code, lang), departed=DEPARTED_STAGES)
