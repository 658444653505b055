"""A cell as the registration body's value: Dutch and ISO dates, Dutch and English numbers, yes/no words.

A cell that cannot be read for its column stays as written, so the schema refuses it with its own message
(`Not a valid date.`) at that column. Text is never evaluated: `=SUM(A1)` is the text `=SUM(A1)`.
"""
from __future__ import annotations

import re
from datetime import date, datetime

YES = {"ja", "j", "yes", "y", "oui", "true", "waar", "1", "x"}
NO = {"nee", "n", "no", "non", "false", "onwaar", "0"}
DUTCH_DATE = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})")  # 1-4-2024, 01/04/2024, 1.4.2024
ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?")
GROUPED = re.compile(r"[+-]?\d{1,3}(\.\d{3})+")  # 1.200 or 12.000.000: Dutch thousands
WORD_SEPARATORS = re.compile(r"\s*[,;|]\s*")


def as_value(cell, kind: str):
    """The body's value for a cell of a column of `kind` (columns.Column.kind)."""
    if isinstance(cell, str):
        cell = cell.strip()
    if kind == "date":
        return _date(cell)
    if kind in ("number", "integer"):
        return _number(cell, kind)
    if kind == "boolean":
        return _boolean(cell)
    if kind == "words":
        return [word for word in WORD_SEPARATORS.split(str(cell)) if word]
    return _text(cell)


def _text(cell):
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, (date, datetime)):
        return cell.isoformat()
    return str(cell) if not isinstance(cell, bool) else ("yes" if cell else "no")


def _date(cell):
    if isinstance(cell, datetime):
        return cell.date().isoformat()
    if isinstance(cell, date):
        return cell.isoformat()
    text = str(cell)
    for pattern, order in ((DUTCH_DATE, (2, 1, 0)), (ISO_DATE, (0, 1, 2))):
        found = pattern.fullmatch(text)
        if found:
            year, month, day = (int(found.group(i + 1)) for i in order)
            try:
                return date(year, month, day).isoformat()
            except ValueError:
                return text
    return text


def _number(cell, kind: str):
    if isinstance(cell, bool):
        return cell
    if isinstance(cell, (int, float)):
        number = cell
    else:
        number = parse_number(str(cell).replace("\u20ac", "").replace(" ", "").replace("\u00a0", ""))
        if number is None:
            return str(cell)
    if kind == "integer" and isinstance(number, float) and number.is_integer():
        return int(number)
    return number


def parse_number(text: str) -> float | int | None:
    """1.200,50 and 1200,5 (Dutch), 1,200.50 and 1200.5 (English), 1.200 (Dutch thousands); None if not a number."""
    if "," in text and "." in text:
        decimal = "," if text.rfind(",") > text.rfind(".") else "."
        text = text.replace("." if decimal == "," else ",", "").replace(",", ".")
    elif "," in text:
        text = text.replace(",", "") if text.count(",") > 1 else text.replace(",", ".")  # 1,200,000: thousands
    elif GROUPED.fullmatch(text):
        text = text.replace(".", "")
    try:
        number = float(text)
    except ValueError:
        return None
    if number != number or number in (float("inf"), float("-inf")):
        return None
    return int(number) if re.fullmatch(r"[+-]?\d+", text) else number


def _boolean(cell):
    if isinstance(cell, bool):
        return cell
    word = _text(cell).lower()
    if word in YES:
        return True
    if word in NO:
        return False
    return word
