"""The texts intake prints (the counselling brief, the half-yearly progress report, the reports' labels) in the
reader's language: English message ids marked `N_("...")`, translated in intake's own `printed` catalogues,
`translations/<lang>/LC_MESSAGES/printed.po` (shared/printed.py says how; babel.cfg names the files
`make translations` extracts them from). Codes (domains, support types, statuses) are labelled by the
vocabularies, not here.
"""
from __future__ import annotations

from pathlib import Path

from shared.printed import LANGUAGES, N_, PrintedTexts

__all__ = ["LANGUAGES", "N_", "translated"]

TEXTS = PrintedTexts(Path(__file__).parent / "translations")


def translated(texts, lang: str):
    """A marked text, or a table of them, in `lang` (en, nl or fr)."""
    return TEXTS.translated(texts, lang)
