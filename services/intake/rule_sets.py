"""A new year's REAN/HRT rules, loaded by an administrator beside the shipped file: validated as the file's
rule sets are, compared with the rule set in force before it takes effect, and then in force from its
`valid_from` (`ieder jaar opnieuw vastgesteld`, seed 003).

The shipped rule sets (`eligibility_rules.json`) stay the start; a loaded rule set comes after the last one
(a later year, a later `valid_from`), and a rule set is never changed once loaded: assessments for past
days stay reproducible, and each says which year's rules it used. Pure domain logic (standard library only).
"""
from __future__ import annotations

from datetime import date
from typing import Iterable, Mapping

from services.intake.eligibility_rules import AMOUNTS, LISTS, RULES, RulesFileError, SchemeRules, _rule_set

__all__ = ["RulesFileError", "accepted", "as_json", "combined", "differences", "latest"]


def latest(rules: Mapping[int, SchemeRules]) -> SchemeRules:
    return max(rules.values(), key=lambda r: r.valid_from)


def accepted(raw: object, rules: Mapping[int, SchemeRules]) -> SchemeRules:
    """The uploaded rule set, validated against the rule sets there are; RulesFileError says what is wrong."""
    previous = latest(rules)
    current = _rule_set(raw, previous)
    if current.year in rules:
        raise RulesFileError(f"there is a rule set for {current.year} already; rule_year names one rule set")
    if current.valid_from <= previous.valid_from:
        raise RulesFileError(f"valid_from {current.valid_from} must be after the latest rule set's "
                             f"({previous.year}: {previous.valid_from})")
    return current


def combined(stored: Iterable[Mapping], shipped: Mapping[int, SchemeRules] = RULES) -> dict[int, SchemeRules]:
    """The shipped rule sets and the loaded ones (their raw JSON as stored), in the order they took effect.
    A stored rule set that no longer fits (a shipped file that grew past it) is left out, not guessed at."""
    rules = dict(shipped)
    for raw in sorted(stored, key=lambda r: str(r.get("valid_from"))):
        try:
            current = accepted(raw, rules)
        except RulesFileError:
            continue
        rules[current.year] = current
    return rules


def as_json(rules: SchemeRules) -> dict:
    """A rule set as the API shows it: amounts by name, lists as sorted codes."""
    return {"year": rules.year, "valid_from": rules.valid_from, "source": rules.source,
            "amounts_eur": {name: getattr(rules, attribute) for name, attribute in AMOUNTS.items()},
            **{name: sorted(getattr(rules, name)) for name in LISTS}}


def differences(before: SchemeRules, after: SchemeRules) -> dict:
    """What changes when `after` takes effect: each amount that changes ([before, after]) and each list's
    added and removed codes; empty parts are left out."""
    amounts = {name: [getattr(before, attribute), getattr(after, attribute)] for name, attribute in AMOUNTS.items()
               if getattr(before, attribute) != getattr(after, attribute)}
    lists = {}
    for name in LISTS:
        added, removed = sorted(getattr(after, name) - getattr(before, name)), \
            sorted(getattr(before, name) - getattr(after, name))
        if added or removed:
            lists[name] = {"added": added, "removed": removed}
    return {"amounts_eur": amounts, "lists": lists}


def outdated(rules: SchemeRules, on: date) -> bool:
    """The rules used are of an earlier year than the day judged (a 2026 departure on the 2016 rules)."""
    return rules.year < on.year
