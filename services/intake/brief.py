"""The printable counselling brief per country, in English, Dutch and French, from the latest insight; its
texts are in the `printed` catalogues (printed.py), the codes' labels the vocabulary's."""
from __future__ import annotations

import gettext
from functools import lru_cache

import pycountry
from babel.numbers import format_decimal, format_percent
from flask import render_template

from services.intake.printed import N_, translated
from services.intake.vocabulary import DOMAINS, VOCABULARY

# the brief's texts (English message ids, printed.py); the domains and support types are the vocabulary's
TEXT = {
    "title": N_("Counselling brief"), "based_on": N_("Based on {returnees} and {checkins}"),
    "returnees": (N_("returnee"), N_("returnees")), "checkins": (N_("check-in"), N_("check-ins")),
    "updated": N_("Figures computed on"), "latest_contact": N_("most recent contact"),
    "suppressed": N_("Too few returnees to this country have been monitored yet (fewer than {k}) to show "
                     "figures without risk of identifying someone."),
    "no_data": N_("No monitoring data for this country yet."),
    "first_year": N_("The first year after return, domain by domain"),
    "scale": N_("Mean score from 1 (very poor) to 5 (good), by month after arrival."),
    "domain": N_("Domain"), "month": N_("month {m}"), "ad_hoc": N_("other contacts"), "hidden": N_("too few"),
    "weakest": N_("Weakest domain overall"), "safety": N_("Safety"),
    "safety_share": N_("{share} of these returnees reported a safety concern at least once."),
    "support": N_("Support and how people fared"), "support_type": N_("Support"),
    "recipients": N_("Returnees who received it"), "mean_index": N_("Their latest sustainability index (0-1)"),
    "regions": N_("Regions with enough data"), "region": N_("Region"),
    "index_note": N_("The sustainability index is the mean over domains of (score - 1) / 4."),
    "privacy": N_("Groups of fewer than {k} returnees are never shown."),
}


def texts(lang: str) -> dict:
    """The brief's texts in `lang`, with the labels of the domains and the support types."""
    return {**translated(TEXT, lang),
            **{name: {code: VOCABULARY.labels(name, code)[lang] for code in VOCABULARY.codes(name)}
               for name in ("domains", "support_types")}}


@lru_cache(maxsize=None)
def _translator(lang: str):
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang], fallback=True).gettext


def country_name(code: str, lang: str) -> str:
    country = pycountry.countries.get(alpha_2=code)
    return _translator(lang)(country.name) if country else code


def render_brief(code: str, insight: dict | None, lang: str, k: int) -> str:
    """The brief as HTML: what returnees to this country went through in their first year."""
    text = texts(lang)

    def count(n: int, noun: str) -> str:  # "1 check-in", "9 check-ins"
        return f"{format_decimal(n, '#,##0', locale=lang)} {text[noun][0 if n == 1 else 1]}"

    def number(value) -> str:  # mean scores and indexes: two decimals, as on the staff pages
        return "–" if value is None else format_decimal(value, "#,##0.00", locale=lang)

    def percent(value) -> str:  # shares: one decimal
        return "–" if value is None else format_percent(value, "#,##0.0%", locale=lang)

    return render_template("brief.html", t=text, lang=lang, code=code, name=country_name(code, lang),
                           insight=insight, k=k, domains=DOMAINS, count=count, number=number, percent=percent)
