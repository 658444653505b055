"""Printed texts (what a PDF page or a workbook cell says) in the reader's language, by gettext.

Each text is English in the code, marked `N_("...")`, and that English is its message id; the translations
live in the domain `printed` of a translations folder: the seedwork's (`shared/translations`, the margins of
every PDF and the workbooks' yes and no) and a service's own (intake's brief and reports,
services/intake/printed.py). `make translations` extracts the marked texts with the folder's babel.cfg,
updates the .po files (nl, fr translated; en is the message ids) and compiles them; tests/unit/test_catalogues.py
fails while one is untranslated, loses a placeholder or has a stale .mo. Standard library only.
"""
from __future__ import annotations

import gettext
from functools import cache
from pathlib import Path

DOMAIN = "printed"
LANGUAGES = ("en", "nl", "fr")


def N_(message: str) -> str:
    """Marks a text to translate when it is printed; the English stays as it is."""
    return message


@cache
def _catalogue(folder: str, lang: str) -> gettext.NullTranslations:
    return gettext.translation(DOMAIN, folder, languages=[lang])


class PrintedTexts:
    """The printed texts of one translations folder."""

    def __init__(self, folder: Path):
        self.folder = str(folder)

    def translated(self, texts, lang: str):
        """A marked text, or a table of them (tuples and dicts of texts), in `lang`."""
        if isinstance(texts, str):
            return _catalogue(self.folder, lang).gettext(texts)
        if isinstance(texts, tuple):
            return tuple(self.translated(text, lang) for text in texts)
        return {key: self.translated(text, lang) for key, text in texts.items()}


SEEDWORK = PrintedTexts(Path(__file__).parent / "translations")
