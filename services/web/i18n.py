"""Dutch and English: the locale of a request, and locale-aware formatting for the templates."""
from __future__ import annotations

import unicodedata
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache

import pycountry
from jinja2 import Undefined
from babel import Locale
from flask import current_app, g, request
from flask_babel import format_date, format_datetime, format_decimal, format_percent, get_locale, to_user_timezone
from flask_babel import format_currency, format_timedelta, gettext as _

from services.web.tokens import staff_name
from shared.pages.formatting import fmt_money

LANGUAGES = ("nl", "en")
# Languages offered first on the forms: Dutch and the focus countries' (Nigeria, Ethiopia, Guinea, Armenia, Iraq).
# Intake takes any language code; the full list follows these (Babel's two-letter ISO 639-1 languages).
COMMON_LANGUAGES = ("nl", "en", "fr", "ar", "yo", "ig", "ha", "pcm", "am", "om", "ti", "so", "ff", "sus", "man",
                    "hy", "ru", "ku", "ckb", "tr")


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
    if isinstance(parsed, datetime):  # an instant: its day where the organisation is (WEB_TIME_ZONE)
        parsed = (to_user_timezone(parsed) if parsed.tzinfo else parsed).date()
    return format_date(parsed, "medium")


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


STALE_AFTER = timedelta(minutes=1)


def stale_note(moments, now: datetime | None = None) -> str:
    """"Bijgewerkt 3 minuten geleden" when what a page shows from another service through events is older than
    a minute: `moments` is an API's `events_as_of` (or a list of them; the oldest counts), the moment its
    copies were last known current, on the wall clock (not the organisation's clock); "" when recent or unknown."""
    known = [m for m in ([moments] if isinstance(moments, str) else moments or ()) if isinstance(m, str)]
    parsed = [p for p in map(_parse, known) if isinstance(p, datetime) and p.tzinfo]
    if not parsed:
        return ""
    age = (now or datetime.now(timezone.utc)) - min(parsed)
    if age <= STALE_AFTER:
        return ""
    return _("Updated %(ago)s", ago=format_timedelta(-age, add_direction=True))


def install(app) -> None:
    app.jinja_env.filters.update(date=fmt_date, datetime=fmt_datetime, number=fmt_number, percent=fmt_percent,
                                 country=country_name, staff=staff_name, language=language_name)
    app.jinja_env.globals.update(country_choices=lambda: country_options(str(get_locale())),
                                 language_choices=lambda: language_options(str(get_locale())), stale_note=stale_note)
    app.jinja_env.filters["euro"] = fmt_euro
    app.jinja_env.filters["money"] = fmt_money
