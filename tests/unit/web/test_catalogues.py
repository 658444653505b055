"""The gettext catalogues: the .po files are the source, kept in step with the code, compiled into the .mo.

`make translations` runs pybabel extract / update / compile; these tests run the same commands in a
temporary folder and fail when a message has no Dutch, a .po is behind the code, or a .mo is stale.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po

WEB = Path(__file__).resolve().parents[3] / "services" / "web"
CATALOGUES = WEB / "translations"


def pybabel(*args: str) -> None:
    CommandLineInterface().run(["pybabel", "--quiet", *args])


def po(lang: str):
    with open(CATALOGUES / lang / "LC_MESSAGES" / "messages.po", "rb") as fh:
        return read_po(fh, locale=lang)


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """The messages in the code and templates today, extracted with services/web/babel.cfg."""
    pot = tmp_path_factory.mktemp("pot") / "messages.pot"
    pybabel("extract", "-F", str(WEB / "babel.cfg"), "-o", str(pot), str(WEB))
    with open(pot, "rb") as fh:
        return {m.id for m in read_po(fh) if m.id}


def untranslated(message) -> bool:
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return not all(strings)


class TestCatalogues:
    def test_every_message_in_the_code_has_a_dutch_translation(self, extracted):
        dutch = {m.id: m for m in po("nl") if m.id}
        missing = sorted(str(i) for i in extracted if i not in dutch or untranslated(dutch[i]) or dutch[i].fuzzy)
        assert missing == [], "translate these in nl/LC_MESSAGES/messages.po (after `make translations`)"

    @pytest.mark.parametrize("lang", ["nl", "en"])
    def test_no_catalogue_keeps_messages_the_code_no_longer_has(self, extracted, lang):
        stale = sorted(str(m.id) for m in po(lang) if m.id and m.id not in extracted)
        assert stale == [], "run `make translations`"

    def test_no_catalogue_holds_a_copy_of_a_services_code_list(self, extracted):
        """The services name their codes (GET /v1/vocabularies, read by services/web/vocabulary.py): a code
        here would be a second label that drifts from theirs."""
        import importlib

        served = {code for service in ("intake", "partners", "monitoring")
                  for codes in importlib.import_module(f"services.{service}.vocabulary").VOCABULARY.lists.values()
                  for code in codes}
        words = {"active"}  # the web's own word for a staff account that is not deactivated (staff.html)
        assert sorted(str(i) for i in extracted if i in served and i not in words) == []

    def test_the_webs_own_codes_read_as_english(self, extracted):
        """The few codes the web app owns (roles, the timeline's alert steps: vocabulary.OWN) have an English text."""
        english = {m.id: m.string for m in po("en") if m.id}
        codes = sorted(i for i in extracted if isinstance(i, str) and "_" in i and " " not in i and "%" not in i)
        assert "project_lead" in codes and "alert_raised" in codes
        assert [c for c in codes if not english.get(c)] == []

    @pytest.mark.parametrize("lang", ["nl", "en"])
    def test_translations_keep_the_placeholders_of_their_message(self, lang):
        catalog = po(lang)
        problems = [(str(message.id), [str(e) for e in errors]) for message, errors in catalog.check()]
        assert problems == []

    @pytest.mark.parametrize("lang", ["nl", "en"])
    def test_the_committed_mo_is_what_pybabel_compiles_from_the_po(self, tmp_path, lang):
        compiled = tmp_path / "messages.mo"
        pybabel("compile", "-i", str(CATALOGUES / lang / "LC_MESSAGES" / "messages.po"), "-o", str(compiled),
                "-l", lang)
        stored = CATALOGUES / lang / "LC_MESSAGES" / "messages.mo"
        assert stored.read_bytes() == compiled.read_bytes(), "run `make translations` and commit the .mo"


class TestPlurals:
    @pytest.mark.parametrize("minutes, dutch, english", [
        (1, "dit account is 1 minuut geblokkeerd", "locked for 1 minute."),
        (15, "dit account is 15 minuten geblokkeerd", "locked for 15 minutes."),
    ])
    def test_the_lock_out_message_counts_its_minutes(self, browser, web, minutes, dutch, english):
        web.settings = web.settings.with_(lockout_after_failures=1, lockout_minutes=minutes)
        b = browser()
        assert dutch in b.sign_in("consultant", "wrong").get_data(as_text=True)
        b.client.get("/login?lang=en")
        assert english in b.sign_in("consultant", "wrong").get_data(as_text=True)
