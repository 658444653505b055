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

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Mapping

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

#: The rule sets as dated data: a new year's lists and amounts are a change of this file.
RULES_FILE = Path(__file__).with_name("eligibility_rules.json")


@dataclass(frozen=True)
class SchemeRules:
    """The REAN/HRT parameters in force from ``valid_from`` (1 January of ``year`` unless given).

    Amounts are maximum contributions in whole euros.
    """

    year: int
    rean_adult_eur: int  # per adult and per unaccompanied minor
    rean_accompanied_minor_eur: int
    hrt_adult_eur: int  # per adult and per unaccompanied minor
    hrt_accompanied_minor_eur: int
    ngo_extra_eur: int  # once per return organised through an NGO
    rean_excluded: frozenset[str]
    hrt_countries: frozenset[str]
    source: str
    hrt_dublin_excluded: frozenset[str] = frozenset()
    valid_from: date = field(default=None)  # type: ignore[assignment]

    def __post_init__(self):
        if self.valid_from is None:
            object.__setattr__(self, "valid_from", date(self.year, 1, 1))


class RulesFileError(ValueError):
    """The rules file is malformed; the message names the file, the rule set and what is wrong."""


AMOUNTS = {"rean_adult": "rean_adult_eur", "rean_accompanied_minor": "rean_accompanied_minor_eur",
           "hrt_adult": "hrt_adult_eur", "hrt_accompanied_minor": "hrt_accompanied_minor_eur",
           "ngo_extra": "ngo_extra_eur"}
LISTS = ("rean_excluded", "hrt_countries", "hrt_dublin_excluded")
RULE_SET_KEYS = {"year", "valid_from", "source", "amounts_eur", "notes", *LISTS}


def _is_country_code(value: object) -> bool:
    return (isinstance(value, str) and len(value) == 2 and value.isascii() and value.isalpha()
            and value.isupper())


def _refuse_duplicates(pairs: list) -> dict:
    keys = [key for key, _ in pairs]
    repeated = sorted({key for key in keys if keys.count(key) > 1})
    if repeated:
        raise RulesFileError(f"repeated keys {repeated}")
    return dict(pairs)


def _country_list(value: object, name: str) -> frozenset[str]:
    """``{"code": "name as printed", ...}`` -> the set of codes."""
    if not isinstance(value, dict):
        raise RulesFileError(f"{name} must be an object of country code -> name")
    for code, printed in value.items():
        if not _is_country_code(code):
            raise RulesFileError(f"{name}: {code!r} is not an ISO 3166-1 alpha-2 code (two upper-case letters)")
        if not isinstance(printed, str):
            raise RulesFileError(f"{name}: the name of {code} must be a string")
    return frozenset(value)


def _amounts(value: object) -> dict[str, int]:
    if not isinstance(value, dict) or set(value) != set(AMOUNTS):
        raise RulesFileError(f"amounts_eur must have exactly {sorted(AMOUNTS)}")
    for name, amount in value.items():
        if isinstance(amount, bool) or not isinstance(amount, int) or amount < 0:
            raise RulesFileError(f"amounts_eur.{name} must be a whole number of euros, not {amount!r}")
    return {AMOUNTS[name]: amount for name, amount in value.items()}


def _rule_set(raw: object, previous: SchemeRules | None) -> SchemeRules:
    if not isinstance(raw, dict):
        raise RulesFileError("a rule set must be an object")
    unknown = set(raw) - RULE_SET_KEYS
    if unknown:
        raise RulesFileError(f"unknown keys {sorted(unknown)}")
    year = raw.get("year")
    if isinstance(year, bool) or not isinstance(year, int):
        raise RulesFileError(f"year must be a whole number, not {year!r}")
    try:
        valid_from = date.fromisoformat(raw.get("valid_from"))
    except (TypeError, ValueError):
        raise RulesFileError(f"valid_from must be a day (YYYY-MM-DD), not {raw.get('valid_from')!r}") from None
    if valid_from.year != year:
        raise RulesFileError(f"valid_from {valid_from} is not in the rule set's year {year}")
    if not isinstance(raw.get("notes", {}), dict):
        raise RulesFileError("notes must be an object")
    if not isinstance(raw.get("source"), str) or not raw["source"].strip():
        raise RulesFileError("source must say where the rules come from")
    lists = {}
    for name in LISTS:
        if name in raw:
            lists[name] = _country_list(raw[name], name)
        elif previous is not None:
            lists[name] = getattr(previous, name)  # unchanged since the previous rule set
        elif name == "hrt_dublin_excluded":
            lists[name] = frozenset()
        else:
            raise RulesFileError(f"the first rule set needs {name}")
    return SchemeRules(year=year, valid_from=valid_from, source=raw["source"], **_amounts(raw.get("amounts_eur")),
                       **lists)


def load_rules(path: Path | str = RULES_FILE) -> dict[int, SchemeRules]:
    """Read and validate a rules file: rule sets by year, in the order they took effect.

    Raises RulesFileError (naming the file and the rule set) when the file is malformed.
    """
    try:
        with open(path, encoding="utf-8") as file:
            data = json.load(file, object_pairs_hook=_refuse_duplicates)
    except RulesFileError as exc:
        raise RulesFileError(f"{path}: {exc}") from None
    except (OSError, ValueError) as exc:
        raise RulesFileError(f"{path}: not a readable JSON file ({exc})") from None
    if not isinstance(data, dict) or not isinstance(data.get("rule_sets"), list) or not data["rule_sets"]:
        raise RulesFileError(f"{path}: needs a non-empty list \"rule_sets\"")
    rules: dict[int, SchemeRules] = {}
    previous = None
    for index, raw in enumerate(data["rule_sets"]):
        try:
            current = _rule_set(raw, previous)
        except RulesFileError as exc:
            raise RulesFileError(f"{path}: rule set {index + 1}: {exc}") from None
        if current.year in rules:
            raise RulesFileError(f"{path}: rule set {index + 1}: a second rule set for {current.year}; "
                                 f"rule_year names one rule set")
        if previous is not None and current.valid_from <= previous.valid_from:
            raise RulesFileError(f"{path}: rule set {index + 1} ({current.year}) must take effect after "
                                 f"rule set {index} ({previous.valid_from})")
        rules[current.year] = previous = current
    return rules


#: Scheme parameters by the year they took effect, read from RULES_FILE when the service starts.
RULES: dict[int, SchemeRules] = load_rules()

# The lists of the first rule set (2016), as printed in the source's appendices.
REAN_EXCLUDED: frozenset[str] = RULES[min(RULES)].rean_excluded
HRT_COUNTRIES: frozenset[str] = RULES[min(RULES)].hrt_countries
HRT_DUBLIN_EXCLUDED: frozenset[str] = RULES[min(RULES)].hrt_dublin_excluded


def rules_for(on: date, rules: Mapping[int, SchemeRules] | None = None) -> SchemeRules:
    """Return the rules in force on ``on``: the rule set with the latest ``valid_from`` on or before it.

    Dates before the earliest rule set fall back to the earliest one. ``rules`` defaults to RULES.
    """
    if not isinstance(on, date):
        raise ValueError("on must be a datetime.date")
    day = on.date() if isinstance(on, datetime) else on
    in_order = sorted((rules if rules is not None else RULES).values(), key=lambda r: r.valid_from)
    chosen = in_order[0]
    for candidate in in_order:
        if candidate.valid_from <= day:
            chosen = candidate
    return chosen


# Reason codes (stable, machine-readable).
COUNTRY_EXCLUDED = "country_excluded"
REAN_IN_LAST_5_YEARS = "rean_in_last_5_years"
REQUIRES_REAN = "requires_rean"
COUNTRY_NOT_ON_HRT_LIST = "country_not_on_hrt_list"
DUBLIN_CLAIMANT_EXCLUDED = "dublin_claimant_excluded"


def _check_country(country: object) -> str:
    if not _is_country_code(country):
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
    adults: int = 1,
    unaccompanied_minors: int = 0,
    accompanied_minors: int = 0,
    left_via_rean_within_5_years: bool = False,
    dublin_claimant: bool = False,
    via_ngo: bool = True,
    on: date,
    rules: Mapping[int, SchemeRules] | None = None,
) -> dict:
    """Assess REAN and HRT eligibility and maximum amounts for a household.

    ``country`` is the nationality as an ISO 3166-1 alpha-2 code. The counts
    describe the people returning together. Returns a JSON-ready dict::

        {"country", "rule_year",
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

    return {
        "country": country,
        "rule_year": rules.year,
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
