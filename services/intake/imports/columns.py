"""The import's columns: the registration body's field paths, read from ReturneeSchema itself.

A field the registration takes is a column by that alone (a nested object's fields as `consent.given_on`,
a list of objects' as `reintegration_plan.planned_support.0.type`, with any index; a map with named keys as
`reintegration_plan.goals.economic`; a list of words in one cell). `client_ref` is required: a row is
matched on it. The returned clients' columns (`partner_id`, `departed_on`, `arrived_on`, `go_live_on`) are the import's
own (docs/import.md says what becomes of them).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from marshmallow import Schema, fields, validate

from services.intake.schemas import ReturneeSchema

INDEXED = re.compile(r"\.(\d{1,2})\.")  # planned_support.<n>.budget_eur, n < 100
RETURNED = ("partner_id", "departed_on", "arrived_on", "go_live_on")
MATCHED_ON = "client_ref"
TEMPLATE_LINES = 2  # planned-support lines the template shows (a file may have more)


@dataclass(frozen=True)
class Column:
    path: str  # with `0` for a list's index
    field: fields.Field | None  # None: one of the import's own (RETURNED)
    required: bool
    kind: str  # text, date, number, integer, boolean, words, code, id

    @property
    def choices(self) -> tuple[str, ...]:
        for check in _validators(self.field):
            if isinstance(check, validate.OneOf):
                return tuple(check.choices)
        return ()


def _validators(field) -> list:
    if field is None:
        return []
    inner = getattr(field, "inner", None)
    return list(field.validators) + (list(inner.validators) if inner is not None else [])


def _kind(field) -> str:
    if isinstance(field, fields.Boolean):
        return "boolean"
    if isinstance(field, fields.Date):
        return "date"
    if isinstance(field, fields.Integer):
        return "integer"
    if isinstance(field, fields.Number):
        return "number"
    if isinstance(field, fields.List):
        return "words"
    return "code" if any(isinstance(v, validate.OneOf) for v in field.validators) else "text"


def _walk(schema: Schema, prefix: str = "", required: bool = True):
    for name, field in schema.fields.items():
        if field.dump_only or isinstance(field, (fields.Function, fields.Method)):
            continue
        path = f"{prefix}{field.data_key or name}"
        needed = required and field.required
        if isinstance(field, fields.Nested):
            yield from _walk(field.schema, f"{path}.", needed)
        elif isinstance(field, fields.List) and isinstance(field.inner, fields.Nested):
            yield from _walk(field.inner.schema, f"{path}.0.", False)
        elif isinstance(field, fields.Dict):
            keys = (field.metadata.get("openapi") or {}).get("properties") or {}
            for key in keys:
                yield Column(f"{path}.{key}", field.value_field, False, _kind(field.value_field))
        else:
            yield Column(path, field, needed or path == MATCHED_ON, _kind(field))


def columns() -> list[Column]:
    """Every column a file may have, in the registration body's order, then the returned clients' own."""
    own = [Column(name, None, False, "id" if name == "partner_id" else "date") for name in RETURNED]
    return list(_walk(ReturneeSchema())) + own


def by_path() -> dict[str, Column]:
    return {column.path: column for column in columns()}


def column_of(heading: str, known: dict[str, Column]) -> Column | None:
    """The column a heading names (`...planned_support.3.type` is the `...planned_support.0.type` column)."""
    return known.get(INDEXED.sub(".0.", heading))


def template_headings() -> list[str]:
    """The template's headings: every column, the planned-support lines TEMPLATE_LINES times."""
    out = []
    for column in columns():
        if ".0." not in column.path:
            out.append(column.path)
    lines = [c.path for c in columns() if ".0." in c.path]
    at = out.index(MATCHED_ON) + 1 if not lines else _after(out, lines[0].split(".0.")[0])
    expanded = [path.replace(".0.", f".{n}.") for n in range(TEMPLATE_LINES) for path in lines]
    return out[:at] + expanded + out[at:]


def _after(headings: list[str], prefix: str) -> int:
    """Where a list's columns go: after the last heading of its parent object (or at the end)."""
    parent = prefix.rsplit(".", 1)[0] + "."
    places = [i for i, heading in enumerate(headings) if heading.startswith(parent)]
    return places[-1] + 1 if places else len(headings)
