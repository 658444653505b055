"""Dates, numbers and amounts as the page's locale writes them, and names of countries and languages in it
(the CLDR through Babel). `install(app)` adds them as Jinja filters: `date`, `datetime`, `number`, `euro`,
`country`, `language`."""
from __future__ import annotations

from datetime import date, datetime

from babel import Locale
from flask_babel import format_currency, format_date, format_datetime, format_decimal, get_locale, to_user_timezone
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


def fmt_euro(value) -> str:
    return DASH if _missing(value) else format_currency(value, "EUR")


def _locale() -> Locale:
    return Locale.parse(str(get_locale()))


def country_name(code: str | None) -> str:
    if not code:
        return ""
    return _locale().territories.get(code.upper()) or code


def language_name(code: str | None) -> str:
    if not code:
        return ""
    return _locale().languages.get(code) or _locale().languages.get(code.split("-")[0]) or code


def install(app) -> None:
    app.jinja_env.filters.update(date=fmt_date, datetime=fmt_datetime, number=fmt_number, euro=fmt_euro,
                                 country=country_name, language=language_name)
