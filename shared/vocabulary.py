"""Code lists as data: each service declares the lists it validates once, in `services/<svc>/vocabulary.py`,
and serves them with their labels at `GET /v1/vocabularies` (`shared.http.vocabularies`).

Labels live in the service's gettext catalogues (`services/<svc>/translations/<lang>/LC_MESSAGES/messages.po`,
one per language of `LOCALES`): the list's name is the message context and the code the message id
(msgctxt "support_types", msgid "housing"). A rubric (what each score of a scale means for a code, e.g.
monitoring's domains) has the context "rubric <version>" and the message id "<code> <score>". Countries
and languages are ISO codes; their names in each language come from the Unicode CLDR (Babel).

The network's own language (the lists several services accept because they speak of the same things
with each other: the support types, the monitoring domains) is declared here once, `NETWORK`, with its
labels in the seedwork's catalogue (`shared/translations/<lang>/LC_MESSAGES/messages.po`); a service
names such a list among its `references`, so its `GET /v1/vocabularies` serves the same codes and labels
(and may add its own rubric, as monitoring does for the domains' scores).

`python -m shared.vocabulary services.<svc>.vocabulary <file.pot>` writes the catalogue template that
`make translations` updates the .po files from (`shared.vocabulary:NETWORK` the seedwork's). Standard library
only at import time (domain rules import the lists); Babel and pycountry are loaded when labels or the
template are asked for.
"""
from __future__ import annotations

import gettext
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import cache, cached_property
from pathlib import Path

LOCALES = ("nl", "en", "fr")
COUNTRIES, LANGUAGES = "countries", "languages"  # the reference lists: ISO codes, names from the CLDR
# the network's own lists (NETWORK below): what partners offer, intake plans and monitoring reports delivered;
# the domains a plan's goals name and a check-in scores; who does a plan's goal and how far it is (intake writes
# the plan, the partner reads the fixed one)
SUPPORT_TYPES = ("housing", "medical", "business", "education", "psychosocial", "family_tracing",
                 "documents", "cash")
DOMAINS = ("economic", "housing", "social", "health", "resilience")
GOAL_ACTORS = ("client", "consultant", "partner", "other")
GOAL_STATUSES = ("open", "in_progress", "achieved", "dropped")
# what intake records of a returnee and hands over (the partner decides an offer by them), and where a handover
# stands (partners decides it, intake follows it)
VULNERABILITIES = ("medical", "chronic_illness", "mental_health", "trafficking_victim", "unaccompanied_minor",
                   "lgbt", "elderly_without_network", "single_parent", "low_literacy")
HANDOVER_STATUSES = ("offered", "accepted", "declined", "expired", "withdrawn", "arrived")
NETWORK_LISTS = {"support_types": SUPPORT_TYPES, "domains": DOMAINS, "goal_actors": GOAL_ACTORS,
                 "goal_statuses": GOAL_STATUSES, "vulnerabilities": VULNERABILITIES,
                 "handover_statuses": HANDOVER_STATUSES}
REFERENCES = (COUNTRIES, LANGUAGES, *NETWORK_LISTS)
TEMPLATE_DATE = datetime(2026, 1, 1, tzinfo=timezone.utc)  # fixed, so `make translations` changes only what changed


@dataclass(frozen=True)
class Rubric:
    """What each score means, per code of a list, as written for one version of a scoring scheme."""

    version: str
    scores: tuple[int, ...] = (1, 2, 3, 4, 5)

    @property
    def context(self) -> str:
        return f"rubric {self.version}"


class Vocabulary:
    """A service's code lists (name -> ordered codes), the reference lists it uses, and their labels."""

    def __init__(self, service: str, translations: Path, lists: dict[str, tuple[str, ...]],
                 references: tuple[str, ...] = (), rubrics: dict[str, Rubric] | None = None):
        unknown = set(references) - set(REFERENCES)
        clash = set(references) & set(lists)
        if unknown or clash or set(rubrics or {}) - set(lists) - set(references):
            raise ValueError(f"bad vocabulary for {service}: {unknown or clash or rubrics}")
        self.service, self.translations = service, Path(translations)
        self.lists, self.references, self.rubrics = dict(lists), tuple(references), dict(rubrics or {})

    @property
    def declared_in(self) -> str:
        return "shared/vocabulary.py" if self.service == "shared" else f"services/{self.service}/vocabulary.py"

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(self.lists) + self.references

    def codes(self, name: str) -> tuple[str, ...]:
        if name in self.lists:
            return self.lists[name]
        if name in self.references and name in NETWORK_LISTS:
            return NETWORK.codes(name)
        return _reference_codes(name) if name in self.references else ()


    # --- the served documents ---------------------------------------------------------------------

    def document(self, name: str) -> dict:
        """{"name", "codes": [{"code", "labels": {lang: text}, "rubric"?: [{"score", "labels"}]}], "version"?}."""
        if name in self.references and name not in NETWORK_LISTS:
            return {"name": name, "codes": [{"code": code, "labels": _reference_labels(name, code)}
                                            for code in _reference_codes(name)]}
        rubric = self.rubrics.get(name)
        entries = []
        for code in self.codes(name):
            entry = {"code": code, "labels": self.labels(name, code)}
            if rubric:
                entry["rubric"] = [{"score": score, "labels": self.labels(rubric.context, f"{code} {score}")}
                                   for score in rubric.scores]
            entries.append(entry)
        return {"name": name, **({"version": rubric.version} if rubric else {}), "codes": entries}

    def documents(self) -> dict:
        return {"locales": list(LOCALES), "vocabularies": {name: self.document(name) for name in self.names}}

    def labels(self, context: str, message: str) -> dict[str, str]:
        """A message's text in each language: a network list's codes from the seedwork's catalogue."""
        if context in NETWORK_LISTS and context in self.references:
            return NETWORK.labels(context, message)
        return {lang: self._catalogues[lang].pgettext(context, message) for lang in LOCALES}

    @cached_property
    def _catalogues(self) -> dict[str, gettext.NullTranslations]:
        """The compiled catalogues; a missing one is an error, not a fallback to the codes."""
        return {lang: gettext.translation("messages", str(self.translations), languages=[lang]) for lang in LOCALES}

    # --- the catalogue template -------------------------------------------------------------------

    def messages(self):
        """(context, message id, comment for the translator) of every label the catalogues must hold."""
        for name, codes in self.lists.items():
            for code in codes:
                yield name, code, ""
        for name, rubric in self.rubrics.items():
            for code in self.codes(name):
                for score in rubric.scores:
                    yield (rubric.context, f"{code} {score}",
                           f"What a score of {score} (of {max(rubric.scores)}) on {code} means, for a field worker "
                           f"who scores a check-in (scoring scheme {rubric.version}).")

    def template(self):
        from babel.messages.catalog import Catalog

        catalog = Catalog(project=f"Homeward {self.service} vocabulary", version="1", copyright_holder="Homeward",
                          creation_date=TEMPLATE_DATE, revision_date=TEMPLATE_DATE, fuzzy=False,
                          header_comment=f"# The labels of the code lists in {self.declared_in}.\n"
                                         "# Written by `make translations`: translate in <lang>/LC_MESSAGES/messages.po.")
        for context, message, comment in self.messages():
            catalog.add(message, context=context, auto_comments=[comment] if comment else ())
        return catalog

    def write_template(self, path: Path) -> None:
        from babel.messages.pofile import write_po

        with open(path, "wb") as handle:
            write_po(handle, self.template(), width=100)


@cache
def _reference_codes(name: str) -> tuple[str, ...]:
    if name == COUNTRIES:  # what `shared.fields.CountryCode` accepts
        import pycountry

        return tuple(sorted(country.alpha_2 for country in pycountry.countries))
    from babel import Locale

    # the languages the CLDR names in every locale: ISO 639-1 codes, and ISO 639-3 for the languages without
    # one (Nigerian Pidgin `pcm`, Susu `sus`)
    named = [{code for code in Locale.parse(lang).languages if re.fullmatch("[a-z]{2,3}", code)} for lang in LOCALES]
    return tuple(sorted(set.intersection(*named)))


@cache
def _reference_labels(name: str, code: str) -> dict[str, str]:
    from babel import Locale

    names = {lang: (Locale.parse(lang).territories if name == COUNTRIES else Locale.parse(lang).languages).get(code)
             for lang in LOCALES}
    if name == COUNTRIES and not all(names.values()):
        import pycountry

        fallback = pycountry.countries.get(alpha_2=code).name
        names = {lang: text or fallback for lang, text in names.items()}
    return names


# the network's own lists, labelled in the seedwork's catalogue (shared/translations, `make translations`)
NETWORK = Vocabulary("shared", Path(__file__).parent / "translations", NETWORK_LISTS)


def main(argv: list[str] | None = None) -> None:
    import argparse
    import importlib

    parser = argparse.ArgumentParser(description="Write a service's vocabulary catalogue template (.pot).")
    parser.add_argument("module", help="e.g. services.intake.vocabulary, or shared.vocabulary:NETWORK")
    parser.add_argument("pot", type=Path)
    args = parser.parse_args(argv)
    module, _, name = args.module.partition(":")
    getattr(importlib.import_module(module), name or "VOCABULARY").write_template(args.pot)


if __name__ == "__main__":
    main()
