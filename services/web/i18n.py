"""Dutch and English: the locale of a request, and locale-aware formatting for the templates."""
from __future__ import annotations

import unicodedata
from datetime import date, datetime
from functools import lru_cache

import pycountry
from jinja2 import Undefined
from babel import Locale
from flask import current_app, g, request
from flask_babel import format_date, format_datetime, format_decimal, format_percent, get_locale
from flask_babel import lazy_gettext as _l
from flask_babel import format_currency

from services.web.tokens import staff_name

LANGUAGES = ("nl", "en")
# Languages offered first on the forms: Dutch and the focus countries' (Nigeria, Ethiopia, Guinea, Armenia, Iraq).
# Intake takes any language code; the full list follows these (Babel's two-letter ISO 639-1 languages).
COMMON_LANGUAGES = ("nl", "en", "fr", "ar", "yo", "ig", "ha", "pcm", "am", "om", "ti", "so", "ff", "sus", "man",
                    "hy", "ru", "ku", "ckb", "tr")

# Messages the APIs send in English (marshmallow and ours), in the user's language at the field.
API_MESSAGES = {
    "Missing data for required field.": _l("This field is required."),
    "Not a valid date.": _l("Not a valid date."),
    "Not a valid integer.": _l("Not a whole number."),
    "Not a valid number.": _l("Not a number."),
    "Not a valid boolean.": _l("Choose yes or no."),
    "Not a valid email address.": _l("Not a valid email address."),
    "Field may not be null.": _l("This field is required."),
    "Must not be blank.": _l("This field is required."),
    "Must not be in the future.": _l("Must not be in the future."),
    "Must be after 1900-01-01.": _l("Must be after 1900-01-01."),
    "Must not repeat values.": _l("Must not repeat values."),
    "Not an ISO 3166-1 alpha-2 country code.": _l("Not a country code (two letters, e.g. NG)."),
    "Must be between 2000 and three years from now.": _l("Must be between 2000 and three years from now."),
    "Unknown field.": _l("Unknown field."),
}


def select_locale() -> str:
    """?lang= (remembered in a cookie), else the cookie, else the default (Dutch)."""
    asked = request.args.get("lang")
    if asked in LANGUAGES:
        g.remember_lang = asked
        return asked
    remembered = request.cookies.get("lang")
    if remembered in LANGUAGES:
        return remembered
    return current_app.extensions["web"].settings.default_locale


def api_message(message: str) -> str:
    """An API's field message in the user's language (unknown messages are shown as sent)."""
    if message in API_MESSAGES:
        return str(API_MESSAGES[message])
    if message.startswith("Must be one of"):
        return str(_l("Choose one of the offered values."))
    if message.startswith("Must be greater than or equal to") or message.startswith("Must be less than"):
        return str(_l("Out of range: %(rule)s", rule=message.removeprefix("Must be ").rstrip(".")))
    return message


def country_name(code: str | None) -> str:
    if not code:
        return ""
    locale = Locale.parse(str(get_locale()))
    name = locale.territories.get(code.upper())
    if name:
        return name
    country = pycountry.countries.get(alpha_2=code.upper())
    return country.name if country else code


def sort_key(name: str) -> str:
    """Names in alphabetical order as a reader expects: accents sort with their letter ("Åland" before "Albanië")."""
    return "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c)).casefold()


@lru_cache(maxsize=len(LANGUAGES))
def country_options(locale: str) -> tuple[tuple[str, str], ...]:
    """(ISO code, name) of every country intake accepts (ISO 3166-1), named and sorted in `locale`."""
    names = Locale.parse(locale).territories
    return tuple(sorted(((c.alpha_2, names.get(c.alpha_2, c.name)) for c in pycountry.countries),
                        key=lambda option: sort_key(option[1])))


@lru_cache(maxsize=len(LANGUAGES))
def language_options(locale: str) -> tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]:
    """(the common languages, all other ISO 639-1 languages): (code, name) in `locale`, each sorted by name."""
    names = Locale.parse(locale).languages
    common = [(code, names.get(code, code)) for code in COMMON_LANGUAGES]
    others = [(code, name) for code, name in names.items()
              if len(code) == 2 and code.isalpha() and code not in COMMON_LANGUAGES]
    return (tuple(sorted(common, key=lambda option: sort_key(option[1]))),
            tuple(sorted(others, key=lambda option: sort_key(option[1]))))


def language_name(code: str) -> str:
    return Locale.parse(str(get_locale())).languages.get(code, code)


def _parse(value):
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value.replace("Z", "+00:00")) if "T" in value else date.fromisoformat(value)
        except ValueError:
            return None
    return value


def fmt_date(value) -> str:
    if _missing(value):
        return ""
    parsed = _parse(value)
    if parsed is None:
        return "" if value is None else str(value)
    return format_date(parsed.date() if isinstance(parsed, datetime) else parsed, "medium")


def fmt_datetime(value) -> str:
    parsed = _parse(value)
    if not isinstance(parsed, datetime):
        return fmt_date(value)
    return format_datetime(parsed, "medium")


def _missing(value) -> bool:
    return value is None or isinstance(value, Undefined)


def fmt_number(value, places: int = 2) -> str:
    if _missing(value):
        return "–"
    return format_decimal(value, format="#,##0." + "0" * places if places else "#,##0")


def fmt_percent(value) -> str:
    return "–" if _missing(value) else format_percent(value, format="#,##0.0%")


def fmt_euro(value) -> str:
    """An amount in euros as the locale writes it (nl "€ 1.250,50", en "€1,250.50")."""
    return "–" if _missing(value) else format_currency(value, "EUR")


def install(app) -> None:
    app.jinja_env.filters.update(date=fmt_date, datetime=fmt_datetime, number=fmt_number, percent=fmt_percent,
                                 country=country_name, staff=staff_name, language=language_name)
    app.jinja_env.globals.update(country_choices=lambda: country_options(str(get_locale())),
                                 language_choices=lambda: language_options(str(get_locale())))
    app.jinja_env.filters["euro"] = fmt_euro
