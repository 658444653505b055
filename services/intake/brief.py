"""The printable counselling brief per country, in English, Dutch and French, from the latest insight."""
from __future__ import annotations

import gettext
from functools import lru_cache

import pycountry
from babel.numbers import format_decimal, format_percent
from flask import render_template

DOMAIN_ORDER = ("economic", "housing", "social", "health", "resilience")
TEXT = {
    "en": {
        "title": "Counselling brief", "based_on": "Based on {returnees} and {checkins}",
        "returnees": ("returnee", "returnees"), "checkins": ("check-in", "check-ins"),
        "updated": "Figures computed on", "latest_contact": "most recent contact",
        "suppressed": "Too few returnees to this country have been monitored yet (fewer than {k}) to show "
                      "figures without risk of identifying someone.",
        "no_data": "No monitoring data for this country yet.",
        "first_year": "The first year after return, domain by domain",
        "scale": "Mean score from 1 (very poor) to 5 (good), by month after arrival.",
        "domain": "Domain", "month": "month {m}", "ad_hoc": "other contacts", "hidden": "too few",
        "weakest": "Weakest domain overall", "safety": "Safety",
        "safety_share": "{share} of these returnees reported a safety concern at least once.",
        "support": "Support and how people fared", "support_type": "Support",
        "recipients": "Returnees who received it", "mean_index": "Their latest sustainability index (0-1)",
        "regions": "Regions with enough data", "region": "Region",
        "index_note": "The sustainability index is the mean over domains of (score - 1) / 4.",
        "privacy": "Groups of fewer than {k} returnees are never shown.",
        "domains": {"economic": "Economic (income, work, education)", "housing": "Housing",
                    "social": "Social networks", "health": "Health", "resilience": "Mental resilience"},
        "support_types": {},
    },
    "nl": {
        "title": "Counselingsbrief", "based_on": "Gebaseerd op {returnees} en {checkins}",
        "returnees": ("terugkeerder", "terugkeerders"), "checkins": ("monitoringcontact", "monitoringcontacten"),
        "updated": "Cijfers berekend op", "latest_contact": "meest recente contact",
        "suppressed": "Er zijn nog te weinig terugkeerders naar dit land gemonitord (minder dan {k}) om cijfers "
                      "te tonen zonder risico dat iemand herkenbaar is.",
        "no_data": "Nog geen monitoringgegevens voor dit land.",
        "first_year": "Het eerste jaar na terugkeer, per domein",
        "scale": "Gemiddelde score van 1 (zeer slecht) tot 5 (goed), per maand na aankomst.",
        "domain": "Domein", "month": "maand {m}", "ad_hoc": "overige contacten", "hidden": "te weinig",
        "weakest": "Zwakste domein", "safety": "Veiligheid",
        "safety_share": "{share} van deze terugkeerders meldde minstens één keer een veiligheidsprobleem.",
        "support": "Ondersteuning en hoe het mensen verging", "support_type": "Ondersteuning",
        "recipients": "Terugkeerders die het kregen", "mean_index": "Hun laatste duurzaamheidsindex (0-1)",
        "regions": "Regio's met voldoende gegevens", "region": "Regio",
        "index_note": "De duurzaamheidsindex is het gemiddelde over de domeinen van (score - 1) / 4.",
        "privacy": "Groepen van minder dan {k} terugkeerders worden nooit getoond.",
        "domains": {"economic": "Economisch (inkomen, werk, opleiding)", "housing": "Huisvesting",
                    "social": "Sociale netwerken", "health": "Gezondheid", "resilience": "Mentale weerbaarheid"},
        "support_types": {"housing": "huisvesting", "medical": "medisch", "business": "eigen bedrijf",
                          "education": "opleiding", "psychosocial": "psychosociaal", "family_tracing": "familie opsporen",
                          "documents": "documenten", "cash": "geld"},
    },
    "fr": {
        "title": "Fiche de conseil", "based_on": "D'après {returnees} et {checkins}",
        "returnees": ("personne rentrée", "personnes rentrées"), "checkins": ("suivi", "suivis"),
        "updated": "Chiffres calculés le", "latest_contact": "contact le plus récent",
        "suppressed": "Trop peu de personnes rentrées dans ce pays ont été suivies jusqu'ici (moins de {k}) pour "
                      "montrer des chiffres sans risque de reconnaître quelqu'un.",
        "no_data": "Pas encore de données de suivi pour ce pays.",
        "first_year": "La première année après le retour, domaine par domaine",
        "scale": "Note moyenne de 1 (très mauvais) à 5 (bon), par mois après l'arrivée.",
        "domain": "Domaine", "month": "mois {m}", "ad_hoc": "autres contacts", "hidden": "trop peu",
        "weakest": "Domaine le plus faible", "safety": "Sécurité",
        "safety_share": "{share} de ces personnes ont signalé au moins une fois un problème de sécurité.",
        "support": "Le soutien reçu et comment les personnes s'en sont sorties", "support_type": "Soutien",
        "recipients": "Personnes qui l'ont reçu", "mean_index": "Leur dernier indice de durabilité (0-1)",
        "regions": "Régions avec assez de données", "region": "Région",
        "index_note": "L'indice de durabilité est la moyenne sur les domaines de (note - 1) / 4.",
        "privacy": "Les groupes de moins de {k} personnes ne sont jamais montrés.",
        "domains": {"economic": "Économique (revenu, travail, formation)", "housing": "Logement",
                    "social": "Réseaux sociaux", "health": "Santé", "resilience": "Résilience psychologique"},
        "support_types": {"housing": "logement", "medical": "médical", "business": "entreprise",
                          "education": "formation", "psychosocial": "psychosocial", "family_tracing": "recherche familiale",
                          "documents": "documents", "cash": "argent"},
    },
}


@lru_cache(maxsize=None)
def _translator(lang: str):
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang], fallback=True).gettext


def country_name(code: str, lang: str) -> str:
    country = pycountry.countries.get(alpha_2=code)
    return _translator(lang)(country.name) if country else code


def render_brief(code: str, insight: dict | None, lang: str, k: int) -> str:
    """The brief as HTML: what returnees to this country went through in their first year."""
    text = TEXT[lang]

    def count(n: int, noun: str) -> str:  # "1 check-in", "9 check-ins"
        return f"{format_decimal(n, '#,##0', locale=lang)} {text[noun][0 if n == 1 else 1]}"

    def number(value) -> str:  # mean scores and indexes: two decimals, as on the staff pages
        return "–" if value is None else format_decimal(value, "#,##0.00", locale=lang)

    def percent(value) -> str:  # shares: one decimal
        return "–" if value is None else format_percent(value, "#,##0.0%", locale=lang)

    return render_template("brief.html", t=text, lang=lang, code=code, name=country_name(code, lang),
                           insight=insight, k=k, domains=DOMAIN_ORDER, count=count, number=number, percent=percent)
