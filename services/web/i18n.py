"""Dutch and English for the staff pages: the locale of a request and the formatting filters come from
shared/pages (locale.py, formatting.py); here the web's own languages and its forms' country and language
choices, and the Jinja names the templates use."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from functools import lru_cache

import pycountry
from babel import Locale
from flask_babel import format_timedelta, get_locale
from flask_babel import gettext as _

from services.web.tokens import staff_name
from shared.pages import formatting
from shared.pages.formatting import parse_when, sort_key
from shared.pages.locale import LocaleChooser

LANGUAGES = ("nl", "en")
LANG_COOKIE = "lang"
STALE_AFTER = timedelta(minutes=1)
# Languages offered first on the forms: Dutch and the focus countries' (Nigeria, Ethiopia, Guinea, Armenia, Iraq).
# Intake takes any language code; the full list follows these (Babel's two-letter ISO 639-1 languages).
COMMON_LANGUAGES = ("nl", "en", "fr", "ar", "yo", "ig", "ha", "pcm", "am", "om", "ti", "so", "ff", "sus", "man",
                    "hy", "ru", "ku", "ckb", "tr")


def locale_chooser(default: str, secure) -> LocaleChooser:
    """?lang= (remembered in the cookie `lang`), else the cookie, else the default (Dutch): never the browser's."""
    return LocaleChooser(LANGUAGES, default, LANG_COOKIE, secure=secure, browser=False)


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


def stale_note(moments, now: datetime | None = None) -> str:
    """"Bijgewerkt 3 minuten geleden" when what a page shows from another service through events is older than
    a minute: `moments` is an API's `events_as_of` (or a list of them; the oldest counts), the moment its
    copies were last known current, on the wall clock (not the organisation's clock); "" when recent or unknown."""
    known = [m for m in ([moments] if isinstance(moments, str) else moments or ()) if isinstance(m, str)]
    parsed = [p for p in map(parse_when, known) if isinstance(p, datetime) and p.tzinfo]
    if not parsed:
        return ""
    age = (now or datetime.now(timezone.utc)) - min(parsed)
    if age <= STALE_AFTER:
        return ""
    return _("Updated %(ago)s", ago=format_timedelta(-age, add_direction=True))


def install(app) -> None:
    formatting.install(app)
    app.jinja_env.filters.update(staff=staff_name)
    app.jinja_env.globals.update(country_choices=lambda: country_options(str(get_locale())),
                                 language_choices=lambda: language_options(str(get_locale())), stale_note=stale_note)
