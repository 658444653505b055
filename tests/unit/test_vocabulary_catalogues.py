"""The services' vocabulary catalogues: every code of every list has a label in Dutch, English and French.

`make translations` writes each service's template from its vocabulary (`python -m shared.vocabulary`),
updates the .po files and compiles the .mo; these tests fail when a code has no label in a language, a
catalogue keeps a code the vocabulary no longer has, a template or a .mo is stale.
"""
from __future__ import annotations

import importlib
import io
from pathlib import Path

import pytest
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po, write_po

from shared.vocabulary import LOCALES

ROOT = Path(__file__).resolve().parents[2]
SERVICES = ("intake", "partners", "monitoring")


def vocabulary(service: str):
    return importlib.import_module(f"services.{service}.vocabulary").VOCABULARY


def catalogues(service: str) -> Path:
    return ROOT / "services" / service / "translations"


def po(service: str, lang: str):
    with open(catalogues(service) / lang / "LC_MESSAGES" / "messages.po", "rb") as fh:
        return read_po(fh, locale=lang)


def wanted(service: str) -> set[tuple[str, str]]:
    return {(context, message) for context, message, _ in vocabulary(service).messages()}


@pytest.mark.parametrize("service", SERVICES)
class TestTheCatalogues:
    def test_the_template_is_what_the_vocabulary_writes(self, service):
        written = io.BytesIO()
        write_po(written, vocabulary(service).template(), width=100)
        stored = (catalogues(service) / "messages.pot").read_bytes()
        assert stored == written.getvalue(), "run `make translations`"

    @pytest.mark.parametrize("lang", LOCALES)
    def test_every_code_has_a_label(self, service, lang):
        held = {(m.context, m.id): m for m in po(service, lang) if m.id}
        missing = sorted(key for key in wanted(service)
                         if key not in held or not held[key].string.strip() or held[key].fuzzy)
        assert missing == [], f"translate these in {service}/translations/{lang}/LC_MESSAGES/messages.po"

    @pytest.mark.parametrize("lang", LOCALES)
    def test_no_catalogue_keeps_codes_the_vocabulary_no_longer_has(self, service, lang):
        stale = sorted((m.context, m.id) for m in po(service, lang) if m.id and (m.context, m.id) not in wanted(service))
        assert stale == [], "run `make translations`"

    @pytest.mark.parametrize("lang", LOCALES)
    def test_labels_keep_the_placeholders_of_their_message(self, service, lang):
        problems = [(str(message.id), [str(e) for e in errors]) for message, errors in po(service, lang).check()]
        assert problems == []

    @pytest.mark.parametrize("lang", LOCALES)
    def test_the_committed_mo_is_what_pybabel_compiles_from_the_po(self, service, lang, tmp_path):
        compiled = tmp_path / "messages.mo"
        CommandLineInterface().run(["pybabel", "--quiet", "compile", "-l", lang, "-o", str(compiled), "-i",
                                    str(catalogues(service) / lang / "LC_MESSAGES" / "messages.po")])
        stored = catalogues(service) / lang / "LC_MESSAGES" / "messages.mo"
        assert stored.read_bytes() == compiled.read_bytes(), "run `make translations` and commit the .mo"


def test_a_missing_label_is_found():
    """The check above can fail: a code added to a list without a label in the catalogues is reported."""
    from shared.vocabulary import Vocabulary

    known = vocabulary("partners")
    grown = Vocabulary("partners", known.translations, {**known.lists, "decline_reasons": (
        *known.lists["decline_reasons"], "no_interpreter")})
    held = {(m.context, m.id) for m in po("partners", "fr") if m.id}
    assert {(context, message) for context, message, _ in grown.messages()} - held == {
        ("decline_reasons", "no_interpreter")}
    assert grown.labels("decline_reasons", "no_interpreter")["fr"] == "no_interpreter"  # gettext falls back to the code
