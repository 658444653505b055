"""The REAN and HRT rule sets as dated data: ``eligibility_rules.json`` read and validated (one rule set
per year, each with the day it took effect), and the rule set in force on a day.

Read when this module is imported, that is when the service starts: a malformed file stops the start
with a RulesFileError naming what is wrong. Pure domain logic (standard library only).
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Mapping

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


def is_country_code(value: object) -> bool:
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
        if not is_country_code(code):
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

