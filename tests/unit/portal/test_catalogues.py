"""The portal's catalogues (French and English from the first day) and its readiness for more languages:
every message has its French, the .po files follow the code, the .mo are compiled from them; a catalogue
added in translations/ is offered; the style sheet uses logical properties only, so right to left works."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from shared.pages.locale import available_locales, direction
from tests.unit.web.test_catalogues import pybabel, untranslated

PORTAL = Path(__file__).resolve().parents[3] / "services" / "portal"
CATALOGUES = PORTAL / "translations"


def po(lang: str):
    with open(CATALOGUES / lang / "LC_MESSAGES" / "messages.po", "rb") as fh:
        return read_po(fh, locale=lang)


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    pot = tmp_path_factory.mktemp("pot") / "messages.pot"
    pybabel("extract", "-F", str(PORTAL / "babel.cfg"), "-o", str(pot), str(PORTAL))
    with open(pot, "rb") as fh:
        return {m.id for m in read_po(fh) if m.id}


def test_every_message_has_its_french(extracted):
    french = {m.id: m for m in po("fr") if m.id}
    missing = sorted(str(i) for i in extracted if i not in french or untranslated(french[i]) or french[i].fuzzy)
    assert missing == [], "translate these in services/portal/translations/fr/LC_MESSAGES/messages.po"


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_no_catalogue_keeps_messages_the_code_no_longer_has(extracted, lang):
    stale = sorted(str(m.id) for m in po(lang) if m.id and m.id not in extracted)
    assert stale == [], "run `make translations`"


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_translations_keep_the_placeholders_of_their_message(lang):
    assert [(str(m.id), [str(e) for e in errors]) for m, errors in po(lang).check()] == []


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_committed_mo_is_what_pybabel_compiles_from_the_po(tmp_path, lang):
    compiled = tmp_path / "messages.mo"
    pybabel("compile", "-i", str(CATALOGUES / lang / "LC_MESSAGES" / "messages.po"), "-o", str(compiled), "-l", lang)
    assert (CATALOGUES / lang / "LC_MESSAGES" / "messages.mo").read_bytes() == compiled.read_bytes(), \
        "run `make translations` and commit the .mo"


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
