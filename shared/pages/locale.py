"""Which language a page is shown in, and which languages an app offers.

The order: `?lang=` (then remembered in a cookie), the remembered cookie, the app's own choice for the
request (`preferred()`: e.g. the signed-in organisation's language), the browser's Accept-Language, the
default. The languages are the catalogues an app has (`available_locales`): adding a language is adding
`translations/<code>/LC_MESSAGES/messages.po` (compiled to .mo). `direction` says `rtl` for languages
written right to left (Arabic, Persian, Hebrew, Urdu, Kurdish in Arabic script...), from the CLDR.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from babel import Locale, UnknownLocaleError
from flask import g, request

REMEMBER_DAYS = 365


def available_locales(translations: Path, default: str) -> tuple[str, ...]:
    """The default first, then every language with a compiled catalogue, in code order."""
    found = sorted(p.parent.parent.name for p in Path(translations).glob("*/LC_MESSAGES/messages.mo"))
    return tuple(dict.fromkeys([default, *found]))


@lru_cache(maxsize=64)
def direction(locale: str) -> str:
    """"rtl" or "ltr": the writing direction of `locale` (the `dir` attribute of the page)."""
    try:
        order = Locale.parse(locale.replace("-", "_")).character_order
    except (UnknownLocaleError, ValueError):
        return "ltr"
    return "rtl" if order == "right-to-left" else "ltr"


@lru_cache(maxsize=64)
def native_name(locale: str) -> str:
    """The language's own name for itself ("français", "English"), for the language switch."""
    try:
        name = Locale.parse(locale).get_display_name(locale) or locale
    except (UnknownLocaleError, ValueError):
        return locale
    return name[:1].upper() + name[1:]


class LocaleChooser:
    """One app's rule; `preferred()` answers the app's choice for this request, or None; `browser`: whether
    the browser's Accept-Language comes before the default (the staff app speaks its default first)."""

    def __init__(self, languages: tuple[str, ...], default: str, cookie: str, preferred=lambda: None,
                 secure=lambda: True, browser: bool = True):
        self.languages, self.default, self.cookie = tuple(languages), default, cookie
        self.preferred, self.secure, self.browser = preferred, secure, browser

    def first_available(self, codes) -> str | None:
        """The first of `codes` (e.g. an organisation's languages, "fr-GN" counts as "fr") that is offered."""
        for code in codes or ():
            base = str(code).replace("_", "-").split("-")[0].lower()
            if base in self.languages:
                return base
        return None

    def select(self) -> str:
        asked = request.args.get("lang")
        if asked in self.languages:
            g.remember_lang = asked
            return asked
        remembered = request.cookies.get(self.cookie)
        if remembered in self.languages:
            return remembered
        chosen = self.preferred()
        if chosen in self.languages:
            return chosen
        return (request.accept_languages.best_match(self.languages) if self.browser else None) or self.default

    def remember(self, response):
        """after_request: remember a `?lang=` choice."""
        if g.get("remember_lang"):
            response.set_cookie(self.cookie, g.remember_lang, max_age=REMEMBER_DAYS * 86400, samesite="Lax",
                                secure=self.secure())
        return response
