"""Eligibility for the Dutch return support schemes REAN and HRT.

Pure domain logic (standard library only). Given a client's nationality and
household, :func:`assess` says whether the REAN and HRT schemes apply and what
the maximum cash contributions are.

Source: a Dutch thesis on return guidance in Amsterdam (2016), section
"Financiele ondersteuning bij terugkeer" and its appendices:

* Bijlage 2 -- countries whose nationals are excluded from REAN;
* Bijlage 3 -- the HRT country list (Mongolia: Dublin claimants excluded).

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

from dataclasses import dataclass
from datetime import date

__all__ = [
    "REAN_EXCLUDED",
    "HRT_COUNTRIES",
    "HRT_DUBLIN_EXCLUDED",
    "SchemeRules",
    "RULES",
    "rules_for",
    "assess",
]

# --------------------------------------------------------------------------
# Bijlage 2: nationals of these countries do not qualify for REAN (40 names,
# 40 codes). Listed as printed in the source; note that it is not simply
# "the EU/EEA" (e.g. Bulgaria, Romania and Croatia are not on it).
# --------------------------------------------------------------------------
REAN_EXCLUDED: frozenset[str] = frozenset(
    {
        "AD",  # Andorra
        "AU",  # Australië
        "BE",  # België
        "DK",  # Denemarken
        "CA",  # Canada
        "CY",  # Cyprus
        "DE",  # Duitsland
        "EE",  # Estland
        "FI",  # Finland
        "FR",  # Frankrijk
        "GR",  # Griekenland
        "GL",  # Groenland
        "HU",  # Hongarije
        "IE",  # Ierland
        "IT",  # Italië
        "IS",  # IJsland
        "JP",  # Japan
        "LV",  # Letland
        "LI",  # Liechtenstein
        "LT",  # Litouwen
        "LU",  # Luxemburg
        "MT",  # Malta
        "MC",  # Monaco
        "NL",  # Nederland
        "NZ",  # Nieuw-Zeeland
        "NO",  # Noorwegen
        "AT",  # Oostenrijk
        "PL",  # Polen
        "PT",  # Portugal
        "SM",  # San Marino
        "SG",  # Singapore
        "SI",  # Slovenië
        "SK",  # Slowakije
        "ES",  # Spanje
        "CZ",  # Tsjechië
        "VA",  # Vaticaanstad
        "GB",  # Verenigd Koninkrijk
        "US",  # Verenigde Staten
        "SE",  # Zweden
        "CH",  # Zwitserland
    }
)

# --------------------------------------------------------------------------
# Bijlage 3: the HRT country list (106 names, 105 codes: "Westelijke
# Jordaanoever" and "Gazastrook" both map to PS).
# --------------------------------------------------------------------------
HRT_COUNTRIES: frozenset[str] = frozenset(
    {
        # first column of the appendix
        "AF",  # Afghanistan
        "DZ",  # Algerije
        "AO",  # Angola
        "AM",  # Armenië
        "AZ",  # Azerbeidzjan
        "BD",  # Bangladesh
        "BZ",  # Belize
        "BJ",  # Benin
        "BT",  # Bhutan
        "BO",  # Bolivia
        "BW",  # Botswana
        "BF",  # Burkina Faso
        "BI",  # Burundi
        "KH",  # Cambodja
        "CF",  # Centraal Afrikaans Republiek
        "CN",  # China
        "KM",  # Comoren
        "CU",  # Cuba
        "CD",  # Democratische Republiek Congo
        "DJ",  # Djibouti
        "DO",  # Dominicaans Republiek
        "EC",  # Ecuador
        "EG",  # Egypte
        "GQ",  # Equatoriaal-Guinea
        "ER",  # Eritrea
        "ET",  # Ethiopië
        "FM",  # Federale Staten van Micronesië
        "FJ",  # Fiji
        "PH",  # Filippijnen
        "GA",  # Gabon
        "GM",  # Gambia
        "PS",  # Gazastrook (and Westelijke Jordaanoever, below)
        "GH",  # Ghana
        "GN",  # Guinee
        "GW",  # Guinee-Bissau
        "GY",  # Guyana
        # second column
        "HT",  # Haïti
        "IN",  # India
        "ID",  # Indonesië
        "IQ",  # Irak
        "IR",  # Iran
        "CI",  # Ivoorkust
        "JM",  # Jamaica
        "YE",  # Jemen
        "JO",  # Jordanië
        "CV",  # Kaapverdië
        "CM",  # Kameroen
        "KZ",  # Kazachstan
        "KE",  # Kenia
        "KG",  # Kirgizië
        "KI",  # Kiribati
        "LA",  # Laos
        "LS",  # Lesotho
        "LB",  # Libanon
        "LR",  # Liberia
        "LY",  # Libië
        "MG",  # Madagaskar
        "MW",  # Malawi
        "MV",  # Malediven
        "ML",  # Mali
        "MA",  # Marokko
        "MH",  # Marshalleilanden
        "MR",  # Mauritanië
        "MN",  # Mongolië (uitgesloten: Dublinclaimanten) -> HRT_DUBLIN_EXCLUDED
        "MZ",  # Mozambique
        "MM",  # Myanmar
        "NA",  # Namibië
        "NR",  # Nauru
        "NP",  # Nepal
        "NE",  # Niger
        "NG",  # Nigeria
        "KP",  # Noord-Korea
        # third column
        "UG",  # Oeganda
        "UA",  # Oekraïne
        "UZ",  # Oezbekistan
        "TL",  # Oost Timor
        "PK",  # Pakistan
        "PG",  # Papoea-Nieuw-Guinea
        "PE",  # Peru
        "CG",  # Republiek Congo
        "RW",  # Rwanda
        "SB",  # Salomonseilanden
        "ST",  # Sao Tomé en Principe
        "SN",  # Senegal
        "SL",  # Sierra Leone
        "SO",  # Somalië
        "LK",  # Sri Lanka
        "SD",  # Sudan
        "SR",  # Suriname
        "SZ",  # Swaziland (now Eswatini)
        "SY",  # Syrië
        "TJ",  # Tadzjikistan
        "TZ",  # Tanzania
        "TH",  # Thailand
        "TG",  # Togo
        "TD",  # Tsjaad
        "TN",  # Tunesië
        "TR",  # Turkije
        "TM",  # Turkmenistan
        "TV",  # Tuvalu
        "VN",  # Vietnam
        # "PS"  # Westelijke Jordaanoever -- same code as Gazastrook, above
        "ZM",  # Zambia
        "ZW",  # Zimbabwe
        "ZA",  # Zuid-Afrika
        "SS",  # Zuid-Soedan
    }
)

# Bijlage 3 note: "Mongolië (uitgesloten: Dublinclaimanten)".
HRT_DUBLIN_EXCLUDED: frozenset[str] = frozenset({"MN"})


@dataclass(frozen=True)
class SchemeRules:
    """The REAN/HRT parameters that were in force in one calendar year.

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


_SOURCE_2016 = (
    "Dutch thesis on return guidance in Amsterdam (2016): "
    "'Financiele ondersteuning bij terugkeer', Bijlage 2 (REAN exclusions), "
    "Bijlage 3 (HRT country list); amounts citing IOM Nederland 2016."
)

#: Scheme parameters by the year they took effect.
#:
#: The maximum contributions "are set yearly". When new figures are published
#: they are added as a NEW entry keyed by their year; existing entries are
#: never edited, so that assessments for past dates stay reproducible.
RULES: dict[int, SchemeRules] = {
    2016: SchemeRules(
        year=2016,
        rean_adult_eur=500,
        rean_accompanied_minor_eur=100,
        hrt_adult_eur=1750,
        hrt_accompanied_minor_eur=880,
        ngo_extra_eur=1500,
        rean_excluded=REAN_EXCLUDED,
        hrt_countries=HRT_COUNTRIES,
        source=_SOURCE_2016,
        hrt_dublin_excluded=HRT_DUBLIN_EXCLUDED,
    ),
}


def rules_for(on: date) -> SchemeRules:
    """Return the rules in force on ``on``.

    Picks the entry with the latest year that is <= ``on.year``. Dates before
    the earliest known year fall back to the earliest entry. Amounts are set
    yearly; newer years are added to :data:`RULES` as new entries, never by
    editing an existing one.
    """
    if not isinstance(on, date):
        raise ValueError("on must be a datetime.date")
    years = sorted(RULES)
    chosen = years[0]
    for year in years:
        if year <= on.year:
            chosen = year
    return RULES[chosen]


# Reason codes (stable, machine-readable).
COUNTRY_EXCLUDED = "country_excluded"
REAN_IN_LAST_5_YEARS = "rean_in_last_5_years"
REQUIRES_REAN = "requires_rean"
COUNTRY_NOT_ON_HRT_LIST = "country_not_on_hrt_list"
DUBLIN_CLAIMANT_EXCLUDED = "dublin_claimant_excluded"


def _check_country(country: object) -> str:
    if (
        not isinstance(country, str)
        or len(country) != 2
        or not country.isascii()
        or not country.isalpha()
        or not country.isupper()
    ):
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

    Raises ValueError for a malformed country code, a count that is not a
    non-negative integer, or a household of zero people.
    """
    country = _check_country(country)
    adults = _check_count("adults", adults)
    unaccompanied_minors = _check_count("unaccompanied_minors", unaccompanied_minors)
    accompanied_minors = _check_count("accompanied_minors", accompanied_minors)
    if adults + unaccompanied_minors + accompanied_minors == 0:
        raise ValueError("the household must contain at least one person")
    rules = rules_for(on)

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
