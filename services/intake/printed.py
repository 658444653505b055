"""The texts intake prints (the counselling brief, the half-yearly progress report) in the reader's language.

Each text is English in the code, marked `N_("...")`, and that English is its gettext message id; the
translations live in the domain `printed`: `translations/<lang>/LC_MESSAGES/printed.po` (nl, fr; en is the
message ids). `make translations` extracts the marked texts (babel.cfg), updates the .po files and compiles
them; tests/unit/test_catalogues.py fails while one is untranslated, loses a placeholder or has a stale .mo.
Codes (domains, support types, statuses) are labelled by the vocabularies, not here.
"""
from __future__ import annotations

import gettext
from functools import cache
from pathlib import Path

DOMAIN = "printed"
LANGUAGES = ("en", "nl", "fr")
TRANSLATIONS = Path(__file__).parent / "translations"


def N_(message: str) -> str:
    """Marks a text to translate when it is printed (`translated`); the English stays as it is."""
    return message


@cache
def catalogue(lang: str) -> gettext.NullTranslations:
    return gettext.translation(DOMAIN, str(TRANSLATIONS), languages=[lang])


def translated(texts, lang: str):
    """A table of marked texts (strings, and tuples or dicts of them) in `lang`."""
    if isinstance(texts, str):
        return catalogue(lang).gettext(texts)
    if isinstance(texts, tuple):
        return tuple(translated(text, lang) for text in texts)
    return {key: translated(text, lang) for key, text in texts.items()}
