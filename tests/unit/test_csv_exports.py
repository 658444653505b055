"""CSV exports never hand a spreadsheet a formula (issue 22, item 14): every export goes through
`shared.http.exports.csv_response`, which neutralises a text cell that begins with =, +, -, @, a tab or a
carriage return by putting a single quote before it (OWASP "CSV injection"); numbers stay numbers."""
from __future__ import annotations

import csv
import io

import pytest
from flask import Flask

from shared.http.exports import csv_response

HOSTILE = ["=HYPERLINK(\"https://evil.example\",\"x\")", "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A2)",
           "\t=1+1", "\r=1+1"]


def _cells(rows: list[dict]) -> list[list[str]]:
    with Flask(__name__).test_request_context():
        body = csv_response(rows, "x.csv").get_data(as_text=True)
    assert body.startswith("\ufeff")  # a byte order mark: Excel reads the file as UTF-8
    return list(csv.reader(io.StringIO(body[1:])))


@pytest.mark.parametrize("text", HOSTILE)
def test_a_text_cell_that_would_start_a_formula_is_neutralised(text):
    header, row = _cells([{"name": text, "count": 3}])
    assert header == ["name", "count"]
    assert row == ["'" + text, "3"]


@pytest.mark.parametrize("text", HOSTILE)
def test_a_column_name_made_from_data_is_neutralised_too(text):
    header, row = _cells([{text: 1}])
    assert header == ["'" + text] and row == ["1"]


def test_nested_and_listed_text_is_neutralised_after_flattening():
    header, row = _cells([{"organisation": {"name": "=1+1"}, "tags": ["@a", "b"]}])
    assert header == ["organisation.name", "tags"] and row == ["'=1+1", "'@a;b"]


def test_numbers_and_ordinary_text_are_left_alone():
    header, row = _cells([{"index": -0.25, "change": -3, "label": "Doorverwezen: =x", "empty": "", "none": None}])
    assert row == ["-0.25", "-3", "Doorverwezen: =x", "", ""]


def test_the_cell_rule():
    from shared.http.exports import safe_cell

    assert [safe_cell(v) for v in ("=a", "a=", 5, None, "")] == ["'=a", "a=", 5, None, ""]


def test_a_carriage_return_inside_a_cell_stays_in_its_cell():
    rows = _cells([{"label": "a\rb", "n": 1}, {"label": "c", "n": 2}])
    assert rows == [["label", "n"], ["a\rb", "1"], ["c", "2"]]


# modules that read what people upload and never write a file (their reason)
READERS = {"services/intake/imports/files.py": "reads the caseload file a consultant uploads (CSV or XLSX)"}


def test_every_export_is_written_by_the_shared_helper():
    """No service writes CSV itself, so every export is neutralised (the web app passes the APIs' CSV on)."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    writers = [str(p.relative_to(root)) for top in ("services", "shared") for p in (root / top).rglob("*.py")
               if re.search(r"^\s*(import csv|from csv import)", p.read_text(encoding="utf-8"), re.M)]
    assert [w for w in writers if w not in READERS] == ["shared/http/exports.py"]


def test_every_workbook_is_written_by_the_shared_helper():
    """No service writes XLSX or PDF itself: openpyxl and WeasyPrint are used in shared/http/workbook.py only."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    writers = [str(p.relative_to(root)) for top in ("services", "shared") for p in (root / top).rglob("*.py")
               if re.search(r"^\s*(from|import) (openpyxl|weasyprint)", p.read_text(encoding="utf-8"), re.M)]
    assert [w for w in writers if w not in READERS] == ["shared/http/workbook.py"]
