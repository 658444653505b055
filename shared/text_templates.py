"""The templates of the APIs' text catalogues, from the code: every refusal's literal text and `Text`
template the services and the seedwork can answer (see shared/texts.py for the rules the code keeps).

`python -m shared.text_templates shared|intake|partners|monitoring` writes that scope's `problems.pot`,
which `make translations` updates the .po files from and compiles.
"""
from __future__ import annotations

import ast
import sys
from pathlib import Path

from shared.texts import (DOMAIN, REFUSALS, ROOT, SHARED, TEMPLATE_DATE, library_texts, template_fields,
                          template_matcher, translations)


def _name(node: ast.AST) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def _refusal(call: ast.Call) -> str | None:
    """The name of the refusal (or `Text`) called, if it is one; marshmallow's ValidationError only as
    `ma.ValidationError` (mongoengine's, about stored documents, is no answer)."""
    name = _name(call.func)
    if name == "ValidationError":
        owner = call.func.value if isinstance(call.func, ast.Attribute) else None
        return name if isinstance(owner, ast.Name) and owner.id in ("ma", "marshmallow") else None
    return name if name in REFUSALS else None


def _text_arguments(call: ast.Call) -> list[ast.AST]:
    """The arguments of a refusal (or a `Text`) that are texts: its text and its `errors` literal's values."""
    name = _refusal(call)
    found = []
    if name in REFUSALS and len(call.args) > REFUSALS[name]:
        found.append(call.args[REFUSALS[name]])
    for keyword in call.keywords:
        if keyword.arg == "detail" and name in REFUSALS:
            found.append(keyword.value)
        if keyword.arg == "errors" and name in REFUSALS and isinstance(keyword.value, ast.Dict):
            found.extend(keyword.value.values)
        if keyword.arg == "error" and isinstance(keyword.value, ast.Constant):  # a validator's own message
            found.append(keyword.value)
    return found


def _class_messages(node: ast.ClassDef) -> list[ast.AST]:
    """The values of a field class's `default_error_messages = {...}`."""
    found = []
    for statement in node.body:
        if (isinstance(statement, ast.Assign) and isinstance(statement.value, ast.Dict)
                and any(_name(target) == "default_error_messages" for target in statement.targets)):
            found.extend(statement.value.values)
    return found


def _shown(path) -> str:
    """A file as its place in the repository (one elsewhere by its name)."""
    try:
        return str(Path(path).resolve().relative_to(ROOT))
    except ValueError:
        return Path(path).name


def scan(paths) -> tuple[dict[str, list[str]], list[str]]:
    """({message id: where it is written}, [where a refusal's text is not a literal: an f-string, a
    concatenation, a call other than `Text`]) of the Python files `paths`."""
    texts: dict[str, list[str]] = {}
    unreadable: list[str] = []
    for path in paths:
        tree = ast.parse(Path(path).read_text(), str(path))
        for node in ast.walk(tree):
            candidates = (_text_arguments(node) if isinstance(node, ast.Call)
                          else _class_messages(node) if isinstance(node, ast.ClassDef) else [])
            for value in candidates:
                where = f"{_shown(path)}:{value.lineno}"
                if isinstance(value, ast.Constant) and isinstance(value.value, str):
                    texts.setdefault(value.value, []).append(where)
                elif isinstance(value, (ast.JoinedStr, ast.BinOp)) or (
                        isinstance(value, ast.Call) and _name(value.func) != "Text"):
                    unreadable.append(where)
    return texts, unreadable


def sources(scope: str) -> list[Path]:
    """The Python files of a catalogue: the seedwork's (not the pages') or one service's."""
    if scope == "shared":
        return sorted(p for p in SHARED.rglob("*.py") if "pages" not in p.relative_to(SHARED).parts)
    return sorted((ROOT / "services" / scope).rglob("*.py"))


def wanted(scope: str) -> list[str]:
    """The message ids a catalogue must hold: the shared one the seedwork's and the libraries', a
    service's those of its code that the shared one does not hold."""
    shared = {*scan(sources("shared"))[0], *library_texts()}
    if scope == "shared":
        return sorted(shared)
    return sorted(set(scan(sources(scope))[0]) - shared)


def template(scope: str):
    from babel.messages.catalog import Catalog

    name = "the seedwork's and marshmallow's" if scope == "shared" else f"{scope}'s own"
    catalog = Catalog(project=f"Homeward {scope} problems", version="1", copyright_holder="Homeward",
                      creation_date=TEMPLATE_DATE, revision_date=TEMPLATE_DATE, fuzzy=False,
                      header_comment=f"# The API's texts: {name} (shared/texts.py).\n"
                                     "# Written by `make translations`: translate in <lang>/LC_MESSAGES/problems.po.")
    for msgid in wanted(scope):
        fields = [name for _, name in template_fields(msgid) if name is not None] if template_matcher(msgid) else []
        catalog.add(msgid, auto_comments=[f"Keep the placeholders {', '.join('{%s}' % f for f in fields)}."]
                    if fields else ())
    return catalog


def write_template(scope: str) -> Path:
    from babel.messages.pofile import write_po

    path = translations(scope) / f"{DOMAIN}.pot"
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as handle:
        write_po(handle, template(scope), width=100, omit_header=False)
    return path


if __name__ == "__main__":  # writes each scope's template and prints its folder (for `make translations`)
    for written in map(write_template, sys.argv[1:] or ["shared"]):
        print(written.parent.relative_to(ROOT))
