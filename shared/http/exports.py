"""Formats: ISO times and CSV exports of report tables.

Every CSV export goes through `csv_response`, which neutralises formula-like text (`safe_cell`): a
spreadsheet opening the file never runs a cell a user's text started with =, +, -, @, a tab or a
carriage return (OWASP "CSV injection")."""
from __future__ import annotations

import csv
import io
from datetime import datetime

from flask import Response, request
from shared.dates import iso_instant


def iso(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return iso_instant(value)
    return value.isoformat()



def flatten_row(row: dict, prefix: str = "") -> dict:
    """{"a": {"b": 1}, "c": [1, 2]} -> {"a.b": 1, "c": "1;2"}: one CSV column per leaf."""
    out = {}
    for key, value in row.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(flatten_row(value, f"{name}."))
        elif isinstance(value, (list, tuple)):
            out[name] = ";".join(str(v) for v in value)
        else:
            out[name] = value
    return out


BOM = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """Text that a spreadsheet would read as a formula, behind a single quote; other values unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def wants_csv() -> bool:
    """`?format=csv` or an Accept header that prefers text/csv (and no other `format`)."""
    if request.args.get("format") == "csv":
        return True
    if request.args.get("format") not in (None, "json"):
        return False
    best = request.accept_mimetypes.best_match(["application/json", "text/csv"])
    return best == "text/csv" and request.accept_mimetypes["text/csv"] > request.accept_mimetypes["application/json"]


def csv_table(header: list[str], rows: list[list], delimiter: str = ",") -> bytes:
    """A header and rows as CSV bytes, as `csv_response` writes them (BOM, CRLF, formulas neutralised), with
    the separator asked (`;` for a template Dutch Excel fills in)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow([safe_cell(h) for h in header])
    writer.writerows([["" if v is None else safe_cell(v) for v in row] for row in rows])
    return (BOM + buffer.getvalue()).encode("utf-8")


def csv_response(rows: list[dict], filename: str) -> Response:
    """Rows as a CSV download; columns are the union of the flattened rows' keys, in first-seen order. Lines end
    in CRLF (RFC 4180), so a carriage return inside a cell is quoted like a line feed. The file starts with a UTF-8
    byte order mark, so a spreadsheet opening it (Dutch Excel) reads "cliënten", not "cliÃ«nten"."""
    flat = [{safe_cell(k): safe_cell(v) for k, v in flatten_row(r).items()} for r in rows]
    columns: list[str] = []
    for row in flat:
        columns += [c for c in row if c not in columns]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(flat)
    return Response(BOM + buffer.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
