"""Each row of a caseload file judged as POST /v1/returnees would judge its body, and matched on client_ref.

A row becomes the registration body (its cells at their field paths), which ReturneeSchema loads with the
rules of the API, so a field the registration gains is imported and checked by that alone. Then the
import's own rules: `client_ref` is required and once per file, a consultant imports their own clients only,
and the returned clients' columns are read (docs/import.md). A row whose client_ref is known is compared
with what is stored: `unchanged`, or `changed` with the columns that differ (never overwritten).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Callable

import marshmallow as ma
from marshmallow import fields

from services.intake.imports import columns as cols
from services.intake.imports.files import FORMULA, Table
from services.intake.imports.values import as_value
from services.intake.vocabulary import IMPORT_OUTCOMES
from services.intake.schemas import STAFF_NAME_PATTERN, ReturneeSchema, plausible_event
from shared.errors import Invalid
from shared.fields import StrictSchema
from shared.http.problems import flatten_errors
from shared.ids import PARTNER, Id
from shared.texts import Text

CREATE, UNCHANGED, CHANGED, REFUSED = IMPORT_OUTCOMES
RETURN_DAYS = ("departed_on", "arrived_on", "go_live_on")  # offered with the case, recorded when the partner accepts


class ReturnedSchema(StrictSchema):
    partner_id = Id(PARTNER)
    departed_on = fields.Date(validate=plausible_event)
    arrived_on = fields.Date(validate=plausible_event)
    go_live_on = fields.Date(validate=plausible_event)

    @ma.validates_schema
    def arrival_after_departure(self, data, **kwargs):
        if data.get("departed_on") and data.get("arrived_on") and data["arrived_on"] < data["departed_on"]:
            raise ma.ValidationError("Must not be before the departure date.", "arrived_on")

    @ma.validates_schema
    def dates_need_the_partner(self, data, **kwargs):
        """The departure is recorded once a partner accepted, the arrival is the partner's: both need one."""
        for name in ("departed_on", "arrived_on"):
            if data.get(name) and not data.get("partner_id"):
                raise ma.ValidationError("A returned client needs the partner who follows them (partner_id).", name)
        if data.get("go_live_on") and not data.get("arrived_on"):
            raise ma.ValidationError("A go-live date is for a returnee who arrived: give arrived_on too.",
                                     "go_live_on")


@dataclass
class Row:
    number: int
    client_ref: str | None = None
    outcome: str = CREATE
    body: dict | None = None  # the registration body, loaded
    returned: dict = field(default_factory=dict)  # partner_id, departed_on, arrived_on as given
    columns: list[str] = field(default_factory=list)  # the columns that differ from what is stored
    errors: list[tuple[str, str]] = field(default_factory=list)  # (column, message)
    returnee_id: str | None = None
    given: list[str] = field(default_factory=list)  # the headings of its non-empty cells

    def refuse(self, column: str, message) -> None:
        self.outcome = REFUSED
        self.errors.append((column, message))


def check_headings(table: Table) -> dict[str, cols.Column]:
    """{heading: column}; a heading that names no field, or a required column missing, refuses the file."""
    known, mapped, unknown = cols.by_path(), {}, {}
    for heading in table.headings:
        column = cols.column_of(heading, known)
        if column is None:
            unknown[heading] = Text("Unknown column: the headings are the API's field paths (see the template).")
        else:
            mapped[heading] = column
    missing = {c.path: Text("Required column.") for c in known.values()
               if c.required and c.path not in mapped}
    if unknown or missing:
        raise Invalid("The file's columns are not the template's.", errors={**unknown, **missing})
    return mapped


def judge(table: Table, who: tuple[str, str | None], stored: Callable[[list[str]], dict[str, dict]],
          go_live_on: date | None = None) -> list[Row]:
    """Every row of the table judged; `who` is the caller's (role, user name); `stored(refs)` the returnees
    already registered under those client references; `go_live_on` the run's go-live date, for each row
    with an arrival and no go-live date of its own."""
    mapped = check_headings(table)
    schemas = (ReturneeSchema(), ReturnedSchema())  # built once: a schema costs more to build than to load a row
    rows = [_row(number, cells, mapped, who, schemas) for number, cells in table.rows]
    for row in rows:
        if go_live_on and row.returned.get("arrived_on") and not row.returned.get("go_live_on"):
            row.returned["go_live_on"] = go_live_on
    seen: dict[str, int] = {}
    for row in rows:
        if row.client_ref in seen:
            row.refuse(cols.MATCHED_ON, Text("Also in row {row}: each client once per file.", row=seen[row.client_ref]))
        elif row.client_ref:
            seen[row.client_ref] = row.number
    known = stored(sorted(seen))
    for row in rows:
        if row.outcome != REFUSED and row.client_ref in known:
            _compare(row, known[row.client_ref], mapped)
    return rows


def _row(number: int, cells: dict, mapped: dict[str, cols.Column], who, schemas) -> Row:
    row, flat = Row(number), {}
    for heading, cell in cells.items():
        if cell is FORMULA:
            row.refuse(heading, Text("A formula: type its value instead."))
        else:
            flat[heading] = as_value(cell, mapped[heading].kind)
    row.given = list(flat)
    body, returned = _nested({h: v for h, v in flat.items() if h not in cols.RETURNED}), \
        {h: v for h, v in flat.items() if h in cols.RETURNED}
    row.client_ref = str(flat.get(cols.MATCHED_ON) or "").strip() or None
    role, sub = who
    mine = sub if sub and STAFF_NAME_PATTERN.fullmatch(sub) else None
    if role == "consultant":
        if body.get("consultant") not in (None, mine):
            row.refuse("consultant", Text("Consultants import their own clients: leave it empty or write {name}.",
                                          name=mine or "-"))
        elif mine:
            body["consultant"] = mine
    for schema, data, target in ((schemas[0], body, "body"), (schemas[1], returned, "returned")):
        try:
            setattr(row, target, schema.load(data))
        except ma.ValidationError as refusal:
            refused = {column for column, _ in row.errors}  # a formula's cell is not said missing too
            for path, message in flatten_errors(refusal.messages).items():
                if _column(path, mapped) not in refused:
                    row.refuse(_column(path, mapped), message)
    if row.outcome != REFUSED and row.returned.get("partner_id"):
        _check_handover(row)
    return row


def _check_handover(row: Row) -> None:
    """A partner named: the import offers the case to it, which needs what POST .../handover needs."""
    if not (row.body.get("consent") or {}).get("share_with_partner"):
        row.refuse("partner_id", Text("A handover needs consent to share with the partner "
                                      "(consent.share_with_partner: yes)."))
    elif row.body.get("trajectory") != "return_guidance":
        row.refuse("partner_id", Text("A handover needs the trajectory return_guidance."))


def _nested(flat: dict) -> dict:
    """{"consent.given_on": v, "a.b.0.c": w} -> {"consent": {"given_on": v}, "a": {"b": [{"c": w}]}}."""
    body: dict = {}
    for path, value in flat.items():
        parts, node = path.split("."), body
        for part in parts[:-1]:
            node = node.setdefault(part, {})  # a list's items are keyed by index first
        node[parts[-1]] = value
    return _lists(body)


def _lists(node):
    if not isinstance(node, dict):
        return node
    if node and all(key.isdigit() for key in node):
        return [_lists(node[key]) for key in sorted(node, key=int)]
    return {key: _lists(value) for key, value in node.items()}


def _column(path: str, mapped: dict[str, cols.Column]) -> str:
    """The heading a schema message belongs to: the path itself, or the heading it lies under (`languages.0`)."""
    headings = sorted(mapped, key=len, reverse=True)
    for heading in headings:
        if path == heading or path.startswith(heading + "."):
            return heading
    for heading in headings:  # a message about an object (`consent`) goes to its first column
        if heading.startswith(path + "."):
            return heading
    return path


def _compare(row: Row, returnee: dict, mapped: dict[str, cols.Column]) -> None:
    row.returnee_id = returnee["id"]
    differ = [heading for heading in row.given if heading not in cols.RETURNED
              and _at(row.body, heading) != _plain(_at(returnee, heading))]
    row.outcome, row.columns = (CHANGED, differ) if differ else (UNCHANGED, [])


_ABSENT = object()


def _at(node, path: str):
    for part in path.split("."):
        if isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        elif isinstance(node, dict) and part in node:
            node = node[part]
        else:
            return _ABSENT
    return node


def _plain(value):
    if isinstance(value, date) and hasattr(value, "date"):
        return value.date()
    return None if value is _ABSENT else value
