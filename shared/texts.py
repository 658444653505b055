"""The APIs' human texts (a problem's `detail`, a field's message) in the caller's language.

Every text an API writes is English in the code, and that English is its gettext message id; the
translations live in catalogues of the domain `problems`: the seedwork's and marshmallow's in
`shared/translations/<lang>/LC_MESSAGES/problems.po`, each service's own in
`services/<svc>/translations/<lang>/LC_MESSAGES/problems.po` (only what the shared one lacks). `en` is
the message ids themselves; `nl` and `fr` are translated. `shared.http.problems` translates a problem
when it is answered, into the language `Accept-Language` asks for (`LOCALES`, English by default).

What the code must do so a text can be translated:
- a refusal's text is a literal: `raise NotFound("No such case.")`, `Problem(404, "...")`, a
  `ValidationError("...")`, the string values of an `errors={...}` literal (the callables in `REFUSALS`);
- a text with values is a `Text` with its template and the values (`Text("The client is in {trajectory}
  already.", trajectory=...)`), never an f-string; so is a text written outside those calls (a constant, a
  message in a dict built step by step);
- marshmallow's messages, with the values its validators put in (`Must be one of: {choices}.`), are in
  the shared catalogue as they are; the answer's English is matched to their templates.

`python -m shared.text_templates shared|intake|partners|monitoring` writes that catalogue's template
(`problems.pot`, from the code: shared/text_templates.py), which `make translations` updates the .po
files from and compiles. Standard library
only at import time (domain rules import `Text`); Babel is loaded when a catalogue is read or written.
"""
from __future__ import annotations

import re
from datetime import datetime, timezone
from functools import cache
from pathlib import Path
from string import Formatter

DOMAIN = "problems"
SOURCE = "en"  # the message ids' language
LOCALES = (SOURCE, "nl", "fr")  # what Accept-Language may pick; the first is the default
TRANSLATED = tuple(lang for lang in LOCALES if lang != SOURCE)
ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT / "shared"
TEMPLATE_DATE = datetime(2026, 1, 1, tzinfo=timezone.utc)  # fixed, so `make translations` changes only what changed

# The callables whose argument at that position is a text (the refusals, and `Text` itself): every
# subclass of shared.errors.DomainError is listed (tests/unit/test_problem_languages.py checks it).
REFUSALS = {
    "Text": 0, "Problem": 1, "problem_response": 1, "ValidationError": 0, "InvalidToken": 0, "TargetRefused": 0,
    "DomainError": 0, "NotFound": 0, "Conflict": 0, "Invalid": 0, "Forbidden": 0, "NotYet": 0,
    "StateConflict": 0, "InvalidClient": 0, "InvalidGrant": 0, "InvitationGone": 0, "ReasonRequired": 0,
}


class Text(str):
    """An English text that keeps its message id and values: it is the English (`str`), and
    `Catalogue.translate` writes it in another language."""

    def __new__(cls, msgid: str, /, **params):
        text = super().__new__(cls, msgid.format(**params) if params else msgid)
        text.msgid, text.params = msgid, params
        return text


# --- the catalogues, at answer time -----------------------------------------------------------------

def template_fields(template: str) -> list[tuple[str, str | None]]:
    """(literal, field name or None) of a brace template; `{{` and `}}` are literal braces."""
    return [(literal, name) for literal, name, _spec, _conversion in Formatter().parse(template)]


def template_matcher(template: str) -> tuple[re.Pattern, dict[str, str]] | None:
    """A regular expression reading a text written from `template` back into the template's values, and
    the field name of each of its groups."""
    try:
        parts = template_fields(template)
    except ValueError:  # not a brace template
        return None
    if not any(name is not None for _, name in parts):
        return None
    pattern, groups = [], {}
    for literal, name in parts:
        pattern.append(re.escape(literal))
        if name is not None:
            if name in groups:
                pattern.append(f"(?P={groups[name]})")
            else:
                groups[name] = f"v{len(groups)}"
                pattern.append(f"(?P<{groups[name]}>.*?)")
    return re.compile("".join(pattern) + r"\Z", re.S), {group: name for name, group in groups.items()}


def _fill(template: str, values: dict) -> str:
    """`template` with each field replaced by the text read for it (as written, whatever its format spec)."""
    return "".join(literal + (str(values[name]) if name is not None else "") for literal, name in template_fields(template))


def _literal_length(template: str) -> int:
    return sum(len(literal) for literal, _ in template_fields(template))


class Catalogue:
    """The translations of the `problems` domain from some folders (the first wins), and the templates
    that plain English texts are matched to."""

    def __init__(self, *folders: Path, templates: tuple[str, ...] = ()):
        from babel.messages.mofile import read_mo

        self.tables: dict[str, dict[str, str]] = {lang: {} for lang in TRANSLATED}
        for folder in reversed(folders):
            for lang in TRANSLATED:
                path = Path(folder) / lang / "LC_MESSAGES" / f"{DOMAIN}.mo"
                if path.exists():
                    with open(path, "rb") as handle:
                        self.tables[lang].update({m.id: m.string for m in read_mo(handle) if m.id and m.string})
        msgids = set(templates).union(*self.tables.values())
        self.matchers = sorted(((matcher, msgid) for msgid in msgids if (matcher := template_matcher(msgid)) is not None),
                               key=lambda pair: -_literal_length(pair[1]))

    def msgid(self, message) -> tuple[str, dict | None]:
        """(message id, values read from the English or None) of a text: a `Text` knows its own; a plain
        text is its own id, or is written from one of the templates."""
        if isinstance(message, Text):
            return message.msgid, None
        text = str(message)
        if text in self.tables[TRANSLATED[0]]:
            return text, None
        for (pattern, names), msgid in self.matchers:
            found = pattern.match(text)
            if found:
                return msgid, {names[group]: value for group, value in found.groupdict().items()}
        return text, None

    def translate(self, message, lang: str) -> str:
        """The text in `lang`; its English when the language is English or the catalogue has no translation."""
        english = str(message)
        if lang not in self.tables:
            return english
        msgid, read = self.msgid(message)
        translated = self.tables[lang].get(msgid)
        if not translated:
            return english
        try:
            if isinstance(message, Text) and message.params:  # a value that is a text itself is translated too
                return translated.format(**{name: self.translate(value, lang) if isinstance(value, Text) else value
                                            for name, value in message.params.items()})
            return _fill(translated, read) if read is not None else translated
        except (KeyError, IndexError, ValueError):  # a translation that lost a placeholder: the English
            return english


@cache
def translations(scope: str) -> Path:
    """Where a scope's catalogues are: `shared`, or a service's name."""
    return SHARED / "translations" if scope == "shared" else ROOT / "services" / scope / "translations"


def catalogue(service_translations: Path | None = None) -> Catalogue:
    """A service's catalogue over the shared one (each read once per process)."""
    folders = ([Path(service_translations)] if service_translations else []) + [SHARED / "translations"]
    return Catalogue(*folders, templates=tuple(library_texts()))


# --- the library texts ---------------------------------------------------------------------------

def library_texts() -> list[str]:
    """marshmallow's messages, each as its validators' and fields' templates are written (Range's operators
    filled in, a temporal field's type named), and the descriptions of the HTTP errors Werkzeug may answer."""
    import inspect

    from marshmallow import Schema, fields, validate
    from werkzeug import exceptions

    texts = list(Schema._default_error_messages.values())
    for cls in vars(fields).values():
        if inspect.isclass(cls) and issubclass(cls, fields.Field):
            messages = {}
            for base in reversed(cls.__mro__):  # as a field of that class has them (fields.Field.__init__)
                messages.update(vars(base).get("default_error_messages", {}))
            for message in messages.values():
                texts.extend(_temporal(cls, message))
    for cls in vars(validate).values():
        if inspect.isclass(cls) and issubclass(cls, validate.Validator) and cls is not validate.Range:
            texts.extend(value for name, value in vars(cls).items()
                         if isinstance(value, str) and (name == "default_message" or name.startswith("message_")))
    texts.extend(range_texts())
    texts.extend(cls.description for cls in (exceptions.BadRequest, exceptions.NotFound, exceptions.MethodNotAllowed,
                                             exceptions.RequestEntityTooLarge, exceptions.UnsupportedMediaType))
    return list(dict.fromkeys(texts))


def range_texts() -> list[str]:
    """marshmallow's Range messages, one per kind of bound (inclusive or not, one or both)."""
    from marshmallow import validate

    texts = []
    for low in (True, False):
        for high in (True, False):
            bounds = validate.Range(min=0, max=1, min_inclusive=low, max_inclusive=high)
            texts.extend((bounds.message_min, bounds.message_max, bounds.message_all))
    return list(dict.fromkeys(texts))


def length_texts() -> list[str]:
    from marshmallow import validate

    return [value for name, value in vars(validate.Length).items() if name.startswith("message_")]


def _temporal(cls, message: str) -> list[str]:
    """A message naming `{obj_type}` (or `{awareness}`) as each temporal field writes it."""
    if "{obj_type}" not in message and "{awareness}" not in message:
        return [message]
    kind = getattr(cls, "OBJ_TYPE", None)
    if kind is None:
        return []
    written = [message.replace("{obj_type}", kind)]
    if "{awareness}" in message:  # a date is neither naive nor aware
        if kind == "date":
            return []
        written = [text.replace("{awareness}", awareness) for text in written for awareness in ("naive", "aware")]
    return written
