"""Dates, numbers and amounts as the page's locale writes them, and names of countries, languages and
currencies in it (the CLDR through Babel). `install(app)` adds them as Jinja filters: `date`, `datetime`,
`number`, `percent`, `euro`, `money` (an amount in its currency), `country`, `language`."""
from __future__ import annotations

import unicodedata
from datetime import date, datetime
from functools import lru_cache

import pycountry
from babel import Locale
from babel.core import get_global
from babel.numbers import get_territory_currencies
from flask_babel import (format_currency, format_date, format_datetime, format_decimal, format_percent, get_locale,
                         to_user_timezone)
from jinja2 import Undefined

DASH = "–"


def _missing(value) -> bool:
    return value is None or isinstance(value, Undefined)


def parse_when(value):
    """An ISO day or instant (as the APIs answer them) as a date or datetime; None when it is not one."""
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value.replace("Z", "+00:00")) if "T" in value else date.fromisoformat(value)
        except ValueError:
            return None
    return value


def fmt_date(value, style: str = "medium") -> str:
    if _missing(value):
        return ""
    parsed = parse_when(value)
    if parsed is None:
        return str(value)
    if isinstance(parsed, datetime):  # an instant: its day in the app's time zone
        parsed = (to_user_timezone(parsed) if parsed.tzinfo else parsed).date()
    return format_date(parsed, style)


def fmt_datetime(value) -> str:
    parsed = parse_when(value)
    if not isinstance(parsed, datetime):
        return fmt_date(value)
    return format_datetime(parsed, "medium")


def fmt_number(value, places: int = 2) -> str:
    if _missing(value):
        return DASH
    return format_decimal(value, format="#,##0." + "0" * places if places else "#,##0")


def fmt_percent(value) -> str:
    return DASH if _missing(value) else format_percent(value, format="#,##0.0%")


def fmt_euro(value) -> str:
    """An amount in euros as the locale writes it (nl "€ 1.250,50", en "€1,250.50")."""
    return DASH if _missing(value) else format_currency(value, "EUR")


def fmt_money(value, currency: str | None) -> str:
    """An amount in its currency as the locale writes it (fr "7 500 000 GNF", nl "GNF 7.500.000")."""
    if _missing(value) or not currency:
        return DASH if _missing(value) else fmt_number(value)
    return format_currency(value, currency)


def sort_key(name: str) -> str:
    """Names in alphabetical order as a reader expects: accents sort with their letter ("Åland" before "Albanië")."""
    return "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c)).casefold()


def currency_of(country: str | None) -> str | None:
    """The currency a country pays in today (ISO 4217; GN -> GNF), None when unknown."""
    found = get_territory_currencies(country.upper(), tender=True) if country else []
    return found[0] if found else None


@lru_cache(maxsize=16)
def currency_options(locale: str) -> tuple[tuple[str, str], ...]:
    """(code, "name (code)") of every ISO 4217 currency some country pays in today, sorted by name in `locale`."""
    names = Locale.parse(locale).currencies
    used = {code for territory in get_global("territory_currencies")
            for code in get_territory_currencies(territory, tender=True)}
    codes = sorted(code for code in used if pycountry.currencies.get(alpha_3=code) is not None)
    return tuple(sorted(((code, f"{names.get(code, code)} ({code})") for code in codes),
                        key=lambda option: sort_key(option[1])))


def _locale() -> Locale:
    return Locale.parse(str(get_locale()))


def country_name(code: str | None) -> str:
    """The country's name in the page's language (the CLDR's; else ISO 3166's English name; else the code)."""
    if not code:
        return ""
    name = _locale().territories.get(code.upper())
    if name:
        return name
    country = pycountry.countries.get(alpha_2=code.upper())
    return country.name if country else code


def language_name(code: str | None) -> str:
    if not code:
        return ""
    return _locale().languages.get(code) or _locale().languages.get(code.split("-")[0]) or code


def install(app) -> None:
    app.jinja_env.filters.update(date=fmt_date, datetime=fmt_datetime, number=fmt_number, percent=fmt_percent,
                                 euro=fmt_euro, money=fmt_money, country=country_name, language=language_name)
