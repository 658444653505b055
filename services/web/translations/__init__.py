"""The catalogues: Dutch (nl.py) and English (source strings; vocabulary codes made readable).

`python -m services.web.translations` extracts the messages from the code and templates and writes
`messages.pot`, `<lang>/LC_MESSAGES/messages.po` and the compiled `messages.mo` (committed, so an
install needs no build step). A unit test fails when a message has no Dutch translation or a `.mo`
is stale.
"""
from __future__ import annotations

import io
from datetime import datetime, timezone
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import write_po

HERE = Path(__file__).resolve().parent
WEB = HERE.parent
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None}
FIXED = datetime(2026, 1, 1, tzinfo=timezone.utc)  # stable headers: the same messages compile to the same bytes
METHODS = [("**/translations/**", "ignore"), ("**.py", "python"), ("templates/**.html", "jinja2")]


def extract() -> Catalog:
    catalog = Catalog(project="Homeward web", fuzzy=False, creation_date=FIXED, revision_date=FIXED)
    for _, _, message, _, _ in extract_from_dir(str(WEB), METHODS, keywords=KEYWORDS,
                                                 options_map={"templates/**.html": {"extensions": "jinja2.ext.i18n"}}):
        catalog.add(message)
    return catalog


def readable(code: str) -> str:
    """English for a vocabulary code: `handover_requested` -> `handover requested`."""
    return code.replace("_", " ") if "_" in code and " " not in code and "%" not in code else ""


def translated(source: Catalog, lang: str) -> Catalog:
    from services.web.translations.nl import NL

    catalog = Catalog(locale=lang, project="Homeward web", fuzzy=False, creation_date=FIXED, revision_date=FIXED)
    for message in source:
        if not message.id:
            continue
        if lang == "nl":
            string = NL.get(message.id, "")
        elif isinstance(message.id, tuple):
            string = ("", "")
        else:
            string = readable(message.id)
        catalog.add(message.id, string)
    return catalog


def compiled(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_mo(out, catalog)
    return out.getvalue()


def main() -> None:
    source = extract()
    with open(HERE / "messages.pot", "wb") as fh:
        write_po(fh, source, omit_header=True, sort_output=True, no_location=True)
    for lang in ("nl", "en"):
        folder = HERE / lang / "LC_MESSAGES"
        folder.mkdir(parents=True, exist_ok=True)
        catalog = translated(source, lang)
        with open(folder / "messages.po", "wb") as fh:
            write_po(fh, catalog, omit_header=True, sort_output=True, no_location=True)
        (folder / "messages.mo").write_bytes(compiled(catalog))
