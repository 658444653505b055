"""The XLSX writer of the seedwork (shared/http/workbook.py), read back with openpyxl: typed cells, words for
booleans, text that would start a formula kept as text, sheet titles Excel accepts; the PDF margin's text."""
from __future__ import annotations

import io
from datetime import date, datetime, timezone

import pytest
from openpyxl import load_workbook

from shared.http.workbook import print_css, sheet, workbook_bytes
from tests.unit.test_csv_exports import HOSTILE


def _book(sheets, lang="en"):
    return load_workbook(io.BytesIO(workbook_bytes(sheets, lang)))


@pytest.mark.parametrize("text", HOSTILE)
def test_text_that_would_start_a_formula_stays_a_string_cell(text):
    cell = _book([sheet("s", [text], [[text]])]).active["A2"]
    assert (cell.value, cell.data_type) == (text.replace("\r", "\n"), "s")  # XML reads a carriage return as \n
    assert _book([sheet("s", [text], [])]).active["A1"].data_type == "s"


def test_numbers_dates_and_booleans_are_typed_and_none_is_empty():
    ws = _book([sheet("s", ["a", "b", "c", "d", "e", "f"],
                      [[3, -0.25, date(2026, 3, 31), datetime(2026, 3, 31, 9, 30, tzinfo=timezone.utc), True, None]])],
               "nl").active
    a, b, c, d, e, f = ws[2]
    assert (a.value, a.data_type) == (3, "n") and (b.value, b.data_type) == (-0.25, "n")
    assert c.is_date and c.value.date() == date(2026, 3, 31) and d.value == datetime(2026, 3, 31, 9, 30)
    assert e.value == "ja" and f.value is None


def test_one_sheet_per_section_with_titles_excel_accepts():
    long = "Kwartaalrapportage Toekomstoriëntatie en Terugkeerbegeleiding"
    book = _book([sheet(long, ["x"], []), sheet(long, ["x"], []), sheet("a/b: c?", ["x"], [])])
    assert book.sheetnames == [long[:31], long[:27] + " (2)", "a b  c"]


def test_the_printed_margin_names_the_date_who_printed_and_the_page():
    css = print_css("fr", 'lead "1"', date(2026, 4, 1))
    assert '"Imprimé le 2026-04-01 par lead \\"1\\""' in css
    assert '"page " counter(page) " sur " counter(pages) ""' in css


@pytest.mark.parametrize("stored,shown", [
    ("bell\x07 and nul\x00", "bell\ufffd and nul\ufffd"),
    ("half an emoji \udbb4", "half an emoji \ufffd"),
    ("a pair \udbb4\udc01 joined", "a pair \U000fd001 joined"),
    ("– ®\udbb4\udc01\x92\x07Z", "– ®\U000fd001\x92\ufffdZ"),
    ("Ngozi Okafor, tab\tand newline\n", "Ngozi Okafor, tab\tand newline\n"),
])
def test_stored_text_xml_cannot_hold_is_shown_replaced_not_a_500(stored, shown):
    assert _book([sheet(stored, [stored], [[stored]])]).active["A2"].value == shown


def test_a_pdf_of_text_xml_cannot_hold_is_printed():
    from pypdf import PdfReader

    from shared.http.workbook import pdf_bytes
    text = PdfReader(io.BytesIO(pdf_bytes("<p>Amina \udbb4 bell\x07 end</p>"))).pages[0].extract_text()
    assert "Amina" in text and "end" in text
