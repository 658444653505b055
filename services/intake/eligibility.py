"""Eligibility for the Dutch return support schemes REAN and HRT.

Pure domain logic (standard library only). Given a client's nationality and
household, :func:`assess` says whether the REAN and HRT schemes apply and what
the maximum cash contributions are.

Source: a Dutch thesis on return guidance in Amsterdam (2016), section
"Financiele ondersteuning bij terugkeer" and its appendices:

* Bijlage 2 -- countries whose nationals are excluded from REAN;
* Bijlage 3 -- the HRT country list (Mongolia: Dublin claimants excluded).

The country lists and amounts are dated data in ``eligibility_rules.json``
(one rule set per year, each with the day it took effect), read and validated
when this module is imported, that is when the service starts: a malformed
file stops the start with a RulesFileError naming what is wrong. A new year's
rules are a new rule set in that file, not a code change.

Countries are ISO 3166-1 alpha-2 codes. This module only checks the *shape*
of a code (two upper-case letters); the caller validates it against ISO 3166.

Only the conditions that can be checked from the data given here are
assessed. The other REAN conditions in the source (intent to settle in the
Netherlands originally, intent to leave for good, unable to pay the journey,
valid travel document obtainable, consent to ending residence procedures, no
objection from the government) are left to the caseworker and mentioned in
the notes.
"""

from __future__ import annotations

from datetime import date
from typing import Mapping

from services.intake.eligibility_rules import (HRT_COUNTRIES, HRT_DUBLIN_EXCLUDED, REAN_EXCLUDED, RULES, RULES_FILE,
                                               RulesFileError, SchemeRules, is_country_code, load_rules, rules_for)

__all__ = [
    "REAN_EXCLUDED",
    "HRT_COUNTRIES",
    "HRT_DUBLIN_EXCLUDED",
    "RULES_FILE",
    "RulesFileError",
    "SchemeRules",
    "RULES",
    "load_rules",
    "rules_for",
    "assess",
]


# Reason codes (stable, machine-readable).
COUNTRY_EXCLUDED = "country_excluded"
REAN_IN_LAST_5_YEARS = "rean_in_last_5_years"
DEPORTED_IN_LAST_5_YEARS = "deported_in_last_5_years"
REQUIRES_REAN = "requires_rean"
COUNTRY_NOT_ON_HRT_LIST = "country_not_on_hrt_list"
DUBLIN_CLAIMANT_EXCLUDED = "dublin_claimant_excluded"
# Warnings (the answer stands, the consultant checks): the rules are of an earlier year than the day judged;
# the return is to another country than the nationality (seed 003: HRT goods and services for a third
# country only "in sommige gevallen"; REAN to a third country needs admission there).
RULES_OUTDATED = "rules_outdated"
THIRD_COUNTRY_RETURN = "third_country_return"


def _check_country(country: object) -> str:
    if not is_country_code(country):
        raise ValueError(
            f"country must be an ISO 3166-1 alpha-2 code (two upper-case letters), got {country!r}"
        )
    return country


def _check_count(name: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{name} must be an integer, got {value!r}")
    if value < 0:
        raise ValueError(f"{name} must not be negative, got {value}")
    return value


def assess(
    country: str,
    *,
    country_of_return: str | None = None,
    adults: int = 1,
    unaccompanied_minors: int = 0,
    accompanied_minors: int = 0,
    left_via_rean_within_5_years: bool = False,
    deported_within_5_years: bool = False,
    dublin_claimant: bool = False,
    via_ngo: bool = True,
    on: date,
    rules: Mapping[int, SchemeRules] | None = None,
) -> dict:
    """Assess REAN and HRT eligibility and maximum amounts for a household.

    ``country`` is the nationality as an ISO 3166-1 alpha-2 code: the REAN
    exclusions and the HRT list name nationals ("onderdaan"), so both are judged
    on it; ``country_of_return`` (default: the nationality) is where the client
    goes, and a return elsewhere is a third-country return (a warning). The
    counts describe the people returning together. ``on`` is the (planned)
    departure day: the rules in force then are used. Returns a JSON-ready dict::

        {"country", "nationality", "country_of_return", "third_country",
         "rule_year", "rules_valid_from", "rules_outdated", "warnings",
         "rean": {"eligible", "reasons", "amount_eur"},
         "hrt":  {"eligible", "reasons", "amount_eur"},
         "ngo_support_eur", "total_eur", "notes"}

    ``reasons`` lists stable codes explaining why a scheme does not apply
    (empty when eligible). Amounts are maxima in whole euros and 0 when the
    scheme does not apply.

    ``rules`` (rule sets by year, as :func:`load_rules` returns them) defaults to RULES.

    Raises ValueError for a malformed country code, a count that is not a
    non-negative integer, or a household of zero people.
    """
    country = _check_country(country)
    country_of_return = _check_country(country_of_return) if country_of_return is not None else country
    adults = _check_count("adults", adults)
    unaccompanied_minors = _check_count("unaccompanied_minors", unaccompanied_minors)
    accompanied_minors = _check_count("accompanied_minors", accompanied_minors)
    if adults + unaccompanied_minors + accompanied_minors == 0:
        raise ValueError("the household must contain at least one person")
    rules = rules_for(on, rules)

    # Adults and unaccompanied minors get the full rate, accompanied minors
    # the reduced rate, in both schemes.
    full_rate_people = adults + unaccompanied_minors

    rean_reasons: list[str] = []
    if country in rules.rean_excluded:
        rean_reasons.append(COUNTRY_EXCLUDED)
    if left_via_rean_within_5_years:
        rean_reasons.append(REAN_IN_LAST_5_YEARS)
    if deported_within_5_years:
        rean_reasons.append(DEPORTED_IN_LAST_5_YEARS)
    rean_eligible = not rean_reasons
    rean_amount = (
        full_rate_people * rules.rean_adult_eur
        + accompanied_minors * rules.rean_accompanied_minor_eur
        if rean_eligible
        else 0
    )

    hrt_reasons: list[str] = []
    if not rean_eligible:
        hrt_reasons.append(REQUIRES_REAN)
    if country not in rules.hrt_countries:
        hrt_reasons.append(COUNTRY_NOT_ON_HRT_LIST)
    elif dublin_claimant and country in rules.hrt_dublin_excluded:
        hrt_reasons.append(DUBLIN_CLAIMANT_EXCLUDED)
    hrt_eligible = not hrt_reasons
    hrt_amount = (
        full_rate_people * rules.hrt_adult_eur
        + accompanied_minors * rules.hrt_accompanied_minor_eur
        if hrt_eligible
        else 0
    )

    ngo_support = rules.ngo_extra_eur if (via_ngo and rean_eligible) else 0

    notes: list[str] = []
    if rean_eligible:
        notes.append(
            "REAN: amounts are maxima; valid travel documents and the journey "
            "(including travel to Schiphol and to the destination) are paid "
            "separately by IOM."
        )
        notes.append(
            "REAN: other conditions (came to settle, intends to leave for good, "
            "cannot pay the journey, can obtain a travel document, agrees to end "
            "residence procedures, no government objection) are not checked here."
        )
    if hrt_eligible:
        notes.append(
            "HRT: in addition to the cash amount, in-kind reintegration support "
            "(business, education, housing) and medical support may be available."
        )
    if ngo_support:
        notes.append(
            "NGO: extra subsidy per return through an NGO, for e.g. a course and "
            "the NGO's support."
        )

    third_country = country_of_return != country
    warnings = [code for code, applies in ((RULES_OUTDATED, rules.year < on.year),
                                           (THIRD_COUNTRY_RETURN, third_country)) if applies]
    if third_country:
        notes.append(
            "Third country: REAN needs admission to that country guaranteed; HRT support in goods and "
            "services for a third country is given only in some cases (IOM decides)."
        )
    if rules.year < on.year:
        notes.append(
            f"The latest rules are of {rules.year}: check the amounts and lists of {on.year} with IOM."
        )

    return {
        "country": country,
        "nationality": country,
        "country_of_return": country_of_return,
        "third_country": third_country,
        "rule_year": rules.year,
        "rules_valid_from": rules.valid_from.isoformat(),
        "rules_outdated": rules.year < on.year,
        "warnings": warnings,
        "rean": {
            "eligible": rean_eligible,
            "reasons": rean_reasons,
            "amount_eur": rean_amount,
        },
        "hrt": {
            "eligible": hrt_eligible,
            "reasons": hrt_reasons,
            "amount_eur": hrt_amount,
        },
        "ngo_support_eur": ngo_support,
        "total_eur": rean_amount + hrt_amount + ngo_support,
        "notes": notes,
    }
