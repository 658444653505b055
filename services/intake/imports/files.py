"""Reading an uploaded caseload file, CSV or XLSX, into its headings and rows, bounded and never evaluated.

CSV: UTF-8 (with or without a byte order mark) or, when it is not UTF-8, Windows-1252 (what Dutch Excel
saves); `;`, `,` or a tab as separator, whichever the heading line uses; empty lines skipped (rows keep
their line numbers). XLSX: the first sheet, read as values; before openpyxl opens it, the archive's
uncompressed size is checked (a zip bomb is refused without being inflated) and rows are counted as they
are read. A cell is text as written: `=1+1`, `+31 6 1234 5678`, `-`, `@home` stay text (never evaluated); an
XLSX cell that holds a formula is refused at its cell (its computed value is not in the file we read, and
the formula is not ours to run). Everything refused here is an `Invalid` (422) with a message at `file`.
"""
from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime

from shared.errors import Invalid
from shared.texts import Text

MAX_BYTES = 10 * 1024 * 1024  # the upload (Flask answers 413 above it)
MAX_ROWS = 10_000
MAX_UNCOMPRESSED = 100 * 1024 * 1024  # an XLSX's parts together, inflated
MAX_RATIO = 200  # inflated / compressed, per part: a real sheet compresses about 10 times
MAX_COLUMNS = 200
XLSX_MAGIC = b"PK\x03\x04"


class Formula:
    """What an XLSX cell that holds a formula reads as (refused at that cell)."""

    def __repr__(self) -> str:
        return "FORMULA"


FORMULA = Formula()


@dataclass
class Table:
    headings: list[str]
    rows: list[tuple[int, dict]] = field(default_factory=list)  # (row number in the file, {heading: cell})


def refused(message: Text) -> Invalid:
    return Invalid("The file cannot be read.", errors={"file": message})


def read_table(content: bytes, filename: str = "") -> Table:
    """The file's headings and non-empty rows, XLSX when it is a zip archive (or named .xlsx), else CSV."""
    if not content.strip():
        raise refused(Text("The file is empty."))
    if content.startswith(XLSX_MAGIC) or filename.lower().endswith((".xlsx", ".xlsm")):
        return _table(_xlsx_rows(content))
    return _table(_csv_rows(content))


def _table(numbered_rows) -> Table:
    """The first non-empty row is the headings; each later non-empty row a {heading: cell}."""
    table: Table | None = None
    for number, cells in numbered_rows:
        if all(_blank(cell) for cell in cells):
            continue
        if table is None:
            headings = [str(cell).strip() if cell is not None else "" for cell in cells]
            while headings and not headings[-1]:
                headings.pop()
            _check_headings(headings)
            table = Table(headings)
            continue
        if len(table.rows) >= MAX_ROWS:
            raise refused(Text("More than {limit} rows: split the file.", limit=MAX_ROWS))
        table.rows.append((number, {h: cells[i] for i, h in enumerate(table.headings) if i < len(cells)
                                    and not _blank(cells[i])}))
    if table is None:
        raise refused(Text("The file is empty."))
    return table


def _check_headings(headings: list[str]) -> None:
    if len(headings) > MAX_COLUMNS:
        raise refused(Text("More than {limit} columns.", limit=MAX_COLUMNS))
    if any(not h for h in headings):
        raise refused(Text("Column {column} has no heading.", column=headings.index("") + 1))
    repeated = sorted({h for h in headings if headings.count(h) > 1})
    if repeated:
        raise refused(Text("Columns appear twice: {columns}.", columns=", ".join(repeated)))


def _blank(cell) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


# --- CSV -------------------------------------------------------------------------------------------

def decode(content: bytes) -> str:
    if content.startswith(b"\xef\xbb\xbf"):
        return content[3:].decode("utf-8", errors="replace")
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        return content.decode("utf-16")
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        return content.decode("cp1252", errors="replace")  # Dutch Excel's "CSV (gescheiden door lijstscheidingsteken)"


def separator(text: str) -> str:
    """The separator the heading line uses most, outside quotes: `;` (Dutch Excel), `,` or a tab."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    outside = "".join(part for i, part in enumerate(first.split('"')) if i % 2 == 0)
    return max((";", ",", "\t"), key=outside.count)


def _csv_rows(content: bytes):
    if b"\x00" in content[:4096] and not content.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise refused(Text("Not a CSV or XLSX file."))
    try:
        text = decode(content)
    except UnicodeDecodeError:
        raise refused(Text("Not a CSV or XLSX file."))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator(text))
    try:
        for row in reader:
            if len(row) > MAX_COLUMNS:
                raise refused(Text("More than {limit} columns.", limit=MAX_COLUMNS))
            yield reader.line_num, row
    except csv.Error:
        raise refused(Text("The CSV file is malformed near line {line}.", line=reader.line_num))


# --- XLSX ------------------------------------------------------------------------------------------

def _xlsx_rows(content: bytes):
    _check_archive(content)
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except Exception:  # openpyxl raises many kinds (KeyError, InvalidFileException, zip and XML errors)
        raise refused(Text("Not a CSV or XLSX file."))
    try:
        sheet = book.worksheets[0]
        for number, row in enumerate(sheet.iter_rows(max_col=MAX_COLUMNS + 1), start=1):
            if number > MAX_ROWS + 50 and all(_blank(c.value) for c in row):
                break  # past the limit only empty rows: the sheet's formatting, not data
            yield number, [_value(cell) for cell in row]
    except Invalid:
        raise
    except Exception:
        raise refused(Text("Not a CSV or XLSX file."))
    finally:
        book.close()


def _check_archive(content: bytes) -> None:
    """Refuse an archive that would inflate beyond MAX_UNCOMPRESSED or compresses suspiciously well."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise refused(Text("Not a CSV or XLSX file."))
    total = sum(part.file_size for part in parts)
    if total > MAX_UNCOMPRESSED or any(part.file_size > MAX_RATIO * max(part.compress_size, 1) + 1_000_000
                                       for part in parts):
        raise refused(Text("The spreadsheet unpacks to more than {limit} MB: it is refused unread.",
                           limit=MAX_UNCOMPRESSED // (1024 * 1024)))


def _value(cell):
    if cell.data_type == "f":
        return FORMULA
    value = cell.value
    if isinstance(value, datetime):
        return value.date() if (value.hour, value.minute, value.second) == (0, 0, 0) else value
    if isinstance(value, (date, bool, int, float)) or value is None:
        return value
    return str(value)
