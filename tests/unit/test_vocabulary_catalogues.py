"""The services' vocabulary catalogues: every code of every list has a label in Dutch, English and French.

`make translations` writes each service's template from its vocabulary (`python -m shared.vocabulary`),
updates the .po files and compiles the .mo. tests/unit/test_catalogues.py checks these catalogues with
every other (a code without a label in a language, a code the vocabulary no longer has, placeholders, a
stale .mo); here: the template is byte for byte what the vocabulary writes, and a missing label is found.
"""
from __future__ import annotations

import importlib
import io
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[2]
SERVICES = ("intake", "partners", "monitoring")


def vocabulary(service: str):
    if service == "shared":  # the network's lists, labelled in the seedwork's catalogue
        from shared.vocabulary import NETWORK

        return NETWORK
    return importlib.import_module(f"services.{service}.vocabulary").VOCABULARY


def catalogues(service: str) -> Path:
    return ROOT / "shared" / "translations" if service == "shared" else ROOT / "services" / service / "translations"


def po(service: str, lang: str):
    with open(catalogues(service) / lang / "LC_MESSAGES" / "messages.po", "rb") as fh:
        return read_po(fh, locale=lang)


@pytest.mark.parametrize("service", (*SERVICES, "shared"))
def test_the_template_is_what_the_vocabulary_writes(service):
    written = io.BytesIO()
    write_po(written, vocabulary(service).template(), width=100)
    stored = (catalogues(service) / "messages.pot").read_bytes()
    assert stored == written.getvalue(), "run `make translations`"


def test_a_missing_label_is_found():
    """The catalogue checks can fail: a code added to a list without a label in the catalogues is reported."""
    from shared.vocabulary import Vocabulary

    known = vocabulary("partners")
    grown = Vocabulary("partners", known.translations, {**known.lists, "decline_reasons": (
        *known.lists["decline_reasons"], "no_interpreter")})
    held = {(m.context, m.id) for m in po("partners", "fr") if m.id}
    assert {(context, message) for context, message, _ in grown.messages()} - held == {
        ("decline_reasons", "no_interpreter")}
    assert grown.labels("decline_reasons", "no_interpreter")["fr"] == "no_interpreter"  # gettext falls back to the code
