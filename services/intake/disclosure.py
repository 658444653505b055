"""What intake tells the other services about a returnee, and in which form (see PRIVACY.md).

Everything about the person travels sealed with the returnee's own key (crypto-shredding): names,
birth date and contact in `personal` (only with consent to share with the partner), and what the
partner needs to help the person, the exact region, languages, household and the reintegration plan
with its free text, in `profile`. In clear travels only what routing and aggregation need: ids, the
country, dates, the vulnerability categories (monitoring's outcome tables) and the region
generalised to a first-level subdivision of the country (ISO 3166-2, for monitoring's per-region
country insights): a name from a fixed list, never the text a consultant typed; and the plan's support
lines without their description (type, amount, currency, funding source: monitoring's support report).
"""
from __future__ import annotations

import difflib
import re
import unicodedata
from datetime import date, datetime
from functools import lru_cache

import pycountry

from services.intake.plan_lines import clear_line
from shared import sealing
from shared.store import to_date

PROFILE_FIELDS = ("region", "languages", "household", "reintegration_plan")
CLEAR_SHARED_FIELDS = ("vulnerabilities", "planned_departure_date")  # and `region`, generalised


def _fold(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", plain).split())


@lru_cache(maxsize=256)
def _subdivisions(country: str) -> dict[str, str]:
    """Folded name or code of every subdivision -> the name of the first-level subdivision holding it."""
    subdivisions = list(pycountry.subdivisions.get(country_code=country) or [])
    by_code = {s.code: s for s in subdivisions}
    table: dict[str, str] = {}
    for subdivision in subdivisions:
        top = subdivision
        while getattr(top, "parent_code", None) in by_code:
            top = by_code[top.parent_code]
        for name in (subdivision.name, subdivision.code):
            table.setdefault(_fold(name), top.name)
    return table


def coarse_region(country: str, region: str | None) -> str | None:
    """The first-level subdivision (ISO 3166-2 name) that `region` names, or None when none is recognised."""
    if not region:
        return None
    table = _subdivisions(country)
    for part in (region, *region.split(",")):
        key = _fold(part)
        if not key:
            continue
        if key in table:
            return table[key]
        close = difflib.get_close_matches(key, list(table), n=1, cutoff=0.8)  # Tigray/Tigrai, Yerevan/Erevan
        if close:
            return table[close[0]]
    return None


def profile(returnee: dict) -> dict:
    """What the partner needs to help the person, beyond names and contact: sealed in every event."""
    sealed = {name: returnee.get(name) for name in PROFILE_FIELDS}
    if returnee.get("perspective_plan"):  # the newest fixed perspective plan (plan_versions.partner_copy)
        sealed["perspective_plan"] = returnee["perspective_plan"]
    return sealed


def _iso(value) -> str | None:
    day = to_date(value) if isinstance(value, (date, datetime)) else value
    return day.isoformat() if isinstance(day, date) else day


def handover_part(returnee: dict, key: str) -> dict:
    """The returnee's part of `returnee.handover_requested.v1`: the profile sealed, the rest in clear."""
    return {"country_of_return": returnee["country_of_return"],
            "region": coarse_region(returnee["country_of_return"], returnee.get("region")),
            "vulnerabilities": returnee.get("vulnerabilities", []),
            "planned_departure_date": _iso(returnee.get("planned_departure_date")),
            "planned_support": planned_support(returnee.get("reintegration_plan")),
            "profile": sealing.seal(key, returnee["id"], profile(returnee))}


def planned_support(plan: dict | None) -> list[dict]:
    """The plan's support lines as they travel in clear: what, how much in which currency, who pays."""
    return [clear_line(line) for line in (plan or {}).get("planned_support") or []]


def update_part(returnee: dict, changes: dict, key_for) -> dict:
    """The returnee's part of `returnee.updated.v1` for `changes`: changed clear fields, and the whole
    profile sealed again when any of it changed (so each update opens on its own). `key_for()` gives the key."""
    data = {name: _iso(changes[name]) if name == "planned_departure_date" else changes[name]
            for name in CLEAR_SHARED_FIELDS if name in changes}
    if "reintegration_plan" in changes:
        data["planned_support"] = planned_support(changes["reintegration_plan"])
    if "region" in changes:
        data["region"] = coarse_region(returnee["country_of_return"], changes["region"])
    if any(name in changes for name in PROFILE_FIELDS):
        data["profile"] = sealing.seal(key_for(), returnee["id"], profile({**returnee, **changes}))
    return data
