"""Every gettext catalogue of the project, with one set of checks: the staff pages' (web), the partner
portal's, each service's code-list labels and the network's lists' (`messages`, shared.vocabulary), the APIs' problem texts
(`problems`, shared.texts: the shared one and each service's).

For each: every message the code asks for is translated in each language that must have it, no .po
holds a message the code no longer has, the template (.pot) is what the code gives today, each
translation keeps the placeholders of its message (`%(name)s` and `{name}`), and the committed .mo is
what pybabel compiles from the .po. `make translations` rebuilds all of them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from string import Formatter
from typing import Callable

import pytest
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po

from shared import text_templates, texts
from shared.vocabulary import LOCALES as VOCABULARY_LOCALES

ROOT = Path(__file__).resolve().parents[2]
SERVICES = ("intake", "partners", "monitoring")


def pybabel(*args: str) -> None:
    CommandLineInterface().run(["pybabel", "--quiet", *args])


def untranslated(message) -> bool:
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return not all(strings)


@cache
def extracted(app: str) -> frozenset:
    """The messages of a page app's code and templates (or the printed texts of intake or the seedwork, "shared")
    today, extracted with its babel.cfg."""
    import tempfile

    folder = ROOT / "shared" if app == "shared" else ROOT / "services" / app
    with tempfile.TemporaryDirectory() as tmp:
        pot = Path(tmp) / "messages.pot"
        pybabel("extract", "-F", str(folder / "babel.cfg"), "-o", str(pot), str(folder))
        with open(pot, "rb") as fh:
            return frozenset((m.context, m.id) for m in read_po(fh) if m.id)


def mail_messages() -> frozenset:
    """The mails' texts: every `N_` mark of shared/mail/texts.py (the module's own list of them)."""
    from shared.mail import texts as mail

    marked = {text for pair in mail.KINDS.values() for text in pair}
    marked |= {mail.COUNTRY, mail.DUE, mail.OPEN, mail.PRIVACY, mail.SETTINGS, mail.SETTINGS_AT, mail.DIGEST,
               mail.DIGEST_INTRO}
    return frozenset((None, msgid) for msgid in marked)


def vocabulary_messages(service: str) -> frozenset:
    """The labels a service's vocabulary asks of its catalogues; "shared": the network's lists (NETWORK)."""
    import importlib

    if service == "shared":
        from shared.vocabulary import NETWORK as vocabulary
    else:
        vocabulary = importlib.import_module(f"services.{service}.vocabulary").VOCABULARY
    return frozenset((context, message) for context, message, _ in vocabulary.messages())


@cache
def problem_messages(scope: str) -> frozenset:
    return frozenset((None, msgid) for msgid in text_templates.wanted(scope))


@dataclass(frozen=True)
class Catalogue:
    name: str
    folder: Path
    domain: str
    languages: tuple[str, ...]  # its .po files
    translated: tuple[str, ...]  # where every message must have its text (the others: codes, or the source)
    wanted: Callable[[], frozenset]  # (context, id) of every message the code asks for
    template: bool = True  # its .pot is checked here (the vocabularies' byte for byte in their own test)

    def po(self, lang: str):
        with open(self.folder / lang / "LC_MESSAGES" / f"{self.domain}.po", "rb") as fh:
            return read_po(fh, locale=lang)

    def __str__(self) -> str:
        return self.name


CATALOGUES = (
    Catalogue("web", ROOT / "services/web/translations", "messages", ("nl", "en"), ("nl",),
              lambda: extracted("web")),
    Catalogue("portal", ROOT / "services/portal/translations", "messages", ("fr", "en"), ("fr",),
              lambda: extracted("portal")),
    *(Catalogue(f"{service} vocabulary", ROOT / "services" / service / "translations", "messages",
                VOCABULARY_LOCALES, VOCABULARY_LOCALES, lambda service=service: vocabulary_messages(service),
                template=False) for service in SERVICES),
    Catalogue("intake printed", ROOT / "services/intake/translations", "printed", ("nl", "en", "fr"), ("nl", "fr"),
              lambda: extracted("intake")),
    Catalogue("monitoring printed", ROOT / "services/monitoring/translations", "printed", ("nl", "en", "fr"),
              ("nl", "fr"), lambda: extracted("monitoring")),
    Catalogue("shared printed", ROOT / "shared/translations", "printed", ("nl", "en", "fr"), ("nl", "fr"),
              lambda: extracted("shared")),
    Catalogue("network vocabulary", ROOT / "shared/translations", "messages", VOCABULARY_LOCALES, VOCABULARY_LOCALES,
              lambda: vocabulary_messages("shared"), template=False),
    *(Catalogue(f"{scope} problems", texts.translations(scope), texts.DOMAIN, texts.TRANSLATED, texts.TRANSLATED,
                lambda scope=scope: problem_messages(scope)) for scope in ("shared", *SERVICES)),
    Catalogue("mail", ROOT / "shared/translations", "mail", ("nl", "fr"), ("nl", "fr"), mail_messages),
)
EACH = [pytest.param(c, id=c.name) for c in CATALOGUES]
EACH_LANGUAGE = [pytest.param(c, lang, id=f"{c.name}-{lang}") for c in CATALOGUES for lang in c.languages]
EACH_TRANSLATED = [pytest.param(c, lang, id=f"{c.name}-{lang}") for c in CATALOGUES for lang in c.translated]


def test_every_catalogue_in_the_tree_is_checked_here():
    on_disk = {(po.parents[2], po.stem, po.parents[1].name) for folder in [*ROOT.glob("services/*/translations"),
                                                                          ROOT / "shared" / "translations"]
               for po in folder.glob("*/LC_MESSAGES/*.po")}
    listed = {(c.folder, c.domain, lang) for c in CATALOGUES for lang in c.languages}
    assert on_disk == listed


@pytest.mark.parametrize("catalogue, lang", EACH_TRANSLATED)
def test_every_message_is_translated(catalogue, lang):
    held = {(m.context, m.id): m for m in catalogue.po(lang) if m.id}
    missing = sorted(str(key) for key in catalogue.wanted()
                     if key not in held or untranslated(held[key]) or held[key].fuzzy)
    assert missing == [], f"translate these in {catalogue.folder.relative_to(ROOT)}/{lang} (after `make translations`)"


@pytest.mark.parametrize("catalogue, lang", EACH_LANGUAGE)
def test_the_po_is_neither_behind_nor_ahead_of_the_code(catalogue, lang):
    held = {(m.context, m.id) for m in catalogue.po(lang) if m.id}
    assert sorted(map(str, catalogue.wanted() - held)) == [], "run `make translations`"
    assert sorted(map(str, held - catalogue.wanted())) == [], "run `make translations`"


@pytest.mark.parametrize("catalogue", [p for p in EACH if p.values[0].template])
def test_the_template_is_what_the_code_gives(catalogue):
    with open(catalogue.folder / f"{catalogue.domain}.pot", "rb") as fh:
        held = {(m.context, m.id) for m in read_po(fh) if m.id}
    assert held == set(catalogue.wanted()), "run `make translations`"


def brace_fields(text: str) -> set[str]:
    return {name for _, name, _, _ in Formatter().parse(text) if name is not None}


def percent_fields(text: str) -> set[str]:
    return set(re.findall(r"%\((\w+)\)", text))


def lost_placeholders(message) -> list[str]:
    """What a translation dropped or added of its message's placeholders (brace and named percent ones)."""
    ids = message.id if isinstance(message.id, tuple) else (message.id,)
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    problems = []
    for string in filter(None, strings):
        for kind, fields in (("python-brace-format", brace_fields), ("python-format", percent_fields)):
            if kind in message.flags and fields(string) != set().union(*map(fields, ids)):
                problems.append(f"{message.id!r}: {string!r}")
    return problems


@pytest.mark.parametrize("catalogue, lang", EACH_LANGUAGE)
def test_translations_keep_the_placeholders_of_their_message(catalogue, lang):
    catalog = catalogue.po(lang)
    assert [(str(m.id), [str(e) for e in errors]) for m, errors in catalog.check()] == []
    assert [problem for m in catalog if m.id for problem in lost_placeholders(m)] == []


@pytest.mark.parametrize("catalogue, lang", EACH_LANGUAGE)
def test_the_committed_mo_is_what_pybabel_compiles_from_the_po(catalogue, lang, tmp_path):
    compiled = tmp_path / "compiled.mo"
    source = catalogue.folder / lang / "LC_MESSAGES" / f"{catalogue.domain}.po"
    pybabel("compile", "-i", str(source), "-o", str(compiled), "-l", lang)
    stored = source.with_suffix(".mo")
    assert stored.read_bytes() == compiled.read_bytes(), "run `make translations` and commit the .mo"


def test_a_lost_placeholder_is_found():
    """The check above can fail: a translation that drops `{max}` or `%(count)s` is reported."""
    from babel.messages.catalog import Message

    assert lost_placeholders(Message("Longer than maximum length {max}.", "Trop long.",
                                     flags=["python-brace-format"]))
    assert lost_placeholders(Message("%(count)s left", "encore", flags=["python-format"]))
    assert not lost_placeholders(Message("Must be {min} or more.", "Au moins {min}.", flags=["python-brace-format"]))
