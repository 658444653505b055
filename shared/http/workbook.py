"""XLSX and PDF downloads beside `csv_response` (shared/http/exports.py): the one writer of each format.

`xlsx_response(sheets, filename)`: one sheet per section, a header row, typed cells (numbers stay numbers,
dates dates, booleans words in the request's language); text is always a string cell, so a name that
begins with `=`, `+`, `-` or `@` is never read as a formula. `pdf_response(html, filename)`: an HTML
document rendered by WeasyPrint (which needs Debian's Pango and a font, see README "Dependencies").
`export_language()` is the language of the labels: the request's Accept-Language among en, nl, fr."""
from __future__ import annotations

import io
from datetime import date, datetime

from flask import Response, request

from shared.printed import N_, SEEDWORK

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF = "application/pdf"
LANGUAGES = ("en", "nl", "fr")
BOOLEANS = (N_("yes"), N_("no"))  # a boolean cell, in the request's language (shared/printed.py)
SHEET_TITLE_MAX = 31  # Excel's limit
SHEET_TITLE_FORBIDDEN = str.maketrans({c: " " for c in "[]:*?/\\"})


def printable(text: str) -> str:
    """Text a workbook or a PDF can hold: surrogate pairs joined, lone surrogates and the control characters
    XML forbids (anything stored, a name with a BEL or a half emoji, would otherwise make the download a 500)
    replaced by U+FFFD, so the reader sees that a character was there."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if text.isprintable() or text.isascii() and not ILLEGAL_CHARACTERS_RE.search(text):
        return text
    joined = text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return ILLEGAL_CHARACTERS_RE.sub("\ufffd", joined)


def export_language(default: str = "en") -> str:
    return request.accept_languages.best_match(LANGUAGES, default=default)


def sheet(title: str, header: list[str], rows: list[list]) -> dict:
    """One section of a workbook: a title, the column labels and the rows (lists, in the header's order)."""
    return {"title": title, "header": header, "rows": rows}


def _sheet_title(title: str, used: set[str]) -> str:
    base = (printable(title).translate(SHEET_TITLE_FORBIDDEN).strip() or "Sheet")[:SHEET_TITLE_MAX]
    name, n = base, 2
    while name.lower() in used:
        suffix = f" ({n})"
        name, n = base[:SHEET_TITLE_MAX - len(suffix)] + suffix, n + 1
    used.add(name.lower())
    return name


def _write(cell, value, lang: str) -> None:
    if isinstance(value, bool):
        value = SEEDWORK.translated(BOOLEANS[0 if value else 1], lang)
    if value is None:
        return
    if isinstance(value, (int, float)):
        cell.value = value
    elif isinstance(value, datetime):
        cell.value = value.replace(tzinfo=None)
        cell.number_format = "yyyy-mm-dd hh:mm"
    elif isinstance(value, date):
        cell.value = value
        cell.number_format = "yyyy-mm-dd"
    else:
        cell.value = printable(str(value))
        cell.data_type = "s"  # never a formula, whatever the text begins with


def workbook_bytes(sheets: list[dict], lang: str = "en") -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)
    used: set[str] = set()
    for section in sheets:
        ws = book.create_sheet(_sheet_title(section["title"], used))
        for column, label in enumerate(section["header"], start=1):
            _write(ws.cell(row=1, column=column), label, lang)
            ws.cell(row=1, column=column).font = Font(bold=True)
        for r, values in enumerate(section["rows"], start=2):
            for column, value in enumerate(values, start=1):
                _write(ws.cell(row=r, column=column), value, lang)
        ws.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _download(body: bytes, mimetype: str, filename: str, lang: str | None = None) -> Response:
    response = Response(body, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{filename}"'})
    if lang:
        response.headers["Content-Language"] = lang
        response.vary.add("Accept-Language")
    return response


def xlsx_response(sheets: list[dict], filename: str, lang: str = "en") -> Response:
    return _download(workbook_bytes(sheets, lang), XLSX, filename, lang)


PRINTED, PAGE_OF = N_("Printed on {date} by {who}"), N_("page {page} of {pages}")  # every PDF page's margin


def _css_text(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def print_css(lang: str, who: str, on: date) -> str:
    """Every page's margin: the print date and who printed it, and the page number (`page 2 of 5`)."""
    page = SEEDWORK.translated(PAGE_OF, lang).split("{page}")
    pages = page[1].split("{pages}")
    number = f"{_css_text(page[0])} counter(page) {_css_text(pages[0])} counter(pages) {_css_text(pages[1])}"
    printed = SEEDWORK.translated(PRINTED, lang).format(date=on.isoformat(), who=who)
    return (f"@page {{ size: A4; margin: 18mm 16mm 20mm; "
            f"@bottom-left {{ content: {_css_text(printed)}; "
            f"font-size: 8pt; color: #555; }} "
            f"@bottom-right {{ content: {number}; font-size: 8pt; color: #555; }} }}")


def pdf_bytes(html: str, lang: str = "en", who: str = "", on: date | None = None) -> bytes:
    from weasyprint import CSS, HTML  # imported on use: a service that never prints never loads Pango

    return HTML(string=printable(html)).write_pdf(stylesheets=[CSS(string=print_css(lang, who, on or date.today()))])


def pdf_response(html: str, filename: str, lang: str = "en") -> Response:
    """The document as a PDF download, printed by the caller (their account id, never a returnee's name) today."""
    from shared.http.context import principal, runtime

    body = pdf_bytes(html, lang, principal().sub, runtime().clock.today())
    return _download(body, PDF, filename, lang)


def in_format(asked: str, name: str, answer, csv=None, xlsx=None, pdf=None):
    """`answer` (JSON) in the format asked: `format`, or CSV when the Accept header prefers it over JSON.
    `csv()` gives the rows, `xlsx(lang)` the sheets and `pdf(lang)` the HTML, in the request's language;
    `name` is the file's name without its extension (never a person's name)."""
    from shared.http.exports import csv_response, wants_csv

    kind = "csv" if asked == "json" and wants_csv() else asked
    if kind == "csv" and csv is not None:
        return csv_response(csv(), f"{name}.csv")
    if kind == "xlsx" and xlsx is not None:
        lang = export_language()
        return xlsx_response(xlsx(lang), f"{name}.xlsx", lang)
    if kind == "pdf" and pdf is not None:
        lang = export_language()
        return pdf_response(pdf(lang), f"{name}.pdf", lang)
    return answer
