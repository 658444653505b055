"""The portal's readiness for more languages (tests/unit/test_catalogues.py checks its catalogues, French
and English from the first day, with every other): a catalogue added in translations/ is offered; the
style sheet uses logical properties only, so right to left works."""
from __future__ import annotations

import re
from pathlib import Path

import shutil

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from services.portal.app import create_app
from shared.pages.locale import available_locales, direction

PORTAL = Path(__file__).resolve().parents[3] / "services" / "portal"
CATALOGUES = PORTAL / "translations"


def test_a_language_is_a_catalogue(tmp_path):
    for lang in ("fr", "ar", "hy"):
        (tmp_path / lang / "LC_MESSAGES").mkdir(parents=True)
        (tmp_path / lang / "LC_MESSAGES" / "messages.mo").write_bytes(b"")
    (tmp_path / "am" / "LC_MESSAGES").mkdir(parents=True)  # no compiled catalogue yet: not offered
    assert available_locales(tmp_path, "en") == ("en", "ar", "fr", "hy")
    assert available_locales(CATALOGUES, "en") == ("en", "fr")
    assert [direction(code) for code in ("ar", "ckb", "fa", "he", "fr", "am", "hy")] == \
        ["rtl", "rtl", "rtl", "rtl", "ltr", "ltr", "ltr"]


PHYSICAL = re.compile(r"(?<![\w-])(margin|padding|border)-(left|right)\b|(?<![\w-])(left|right)\s*:|"
                      r"text-align:\s*(left|right)|float:\s*(left|right)")


def test_the_style_sheet_works_right_to_left():
    css = re.sub(r"/\*.*?\*/", "", (PORTAL / "static" / "style.css").read_text(), flags=re.S)  # not the comments
    assert PHYSICAL.findall(css) == [], "use logical properties (margin-inline-start, inset-inline-start, ...)"
    assert 'dir="{{ direction() }}"' in (PORTAL / "templates" / "base.html").read_text()


def test_a_language_written_right_to_left_renders_its_pages_right_to_left(portal, tmp_path):
    """A test-only Arabic catalogue (the English texts as its translations), added as README says: offered,
    and its pages carry lang="ar" dir="rtl" (the portal's browser tests lay every page out right to left at
    375 px: tests/e2e/portal_pages.py check_phone_page)."""
    shutil.copytree(CATALOGUES, tmp_path, dirs_exist_ok=True)
    with open(CATALOGUES / "messages.pot", "rb") as template:
        catalogue = read_po(template, locale="ar")
    (tmp_path / "ar" / "LC_MESSAGES").mkdir(parents=True)
    with open(tmp_path / "ar" / "LC_MESSAGES" / "messages.mo", "wb") as compiled:
        write_mo(compiled, catalogue)
    client = create_app(portal=portal, translations=tmp_path).test_client()
    page = client.get("/login?lang=ar").get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in page
    assert 'hreflang="ar"' in page and 'hreflang="fr"' in page
    assert '<html lang="fr" dir="ltr">' in client.get("/login?lang=fr").get_data(as_text=True)
