"""Reading caseload files: encodings, separators, Dutch dates and numbers, empty lines, formulas, bounds."""
from __future__ import annotations

import io
import zipfile

import pytest
from openpyxl import Workbook

from services.intake.imports import files
from services.intake.imports.files import FORMULA, read_table
from services.intake.imports.values import as_value, parse_number
from shared.errors import Invalid


def xlsx(rows, formula_at=None) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    if formula_at:
        sheet[formula_at] = "=1+1"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


class TestCsv:
    def test_windows_1252_from_dutch_excel_is_read_with_its_accents(self):
        table = read_table("client_ref;family_name\r\nA-1;Ça\u00efd\r\n".encode("cp1252"))
        assert table.rows == [(2, {"client_ref": "A-1", "family_name": "Ça\u00efd"})]

    def test_a_utf8_byte_order_mark_is_not_part_of_the_first_heading(self):
        table = read_table("\ufeffclient_ref,family_name\nA-1,Bello\n".encode("utf-8"))
        assert table.headings == ["client_ref", "family_name"]

    @pytest.mark.parametrize("sep", [";", ",", "\t"])
    def test_the_separator_is_the_one_the_heading_line_uses(self, sep):
        text = sep.join(["client_ref", "region"]) + "\n" + sep.join(["A-1", '"Lagos; Ikeja, Ojodu"']) + "\n"
        assert read_table(text.encode()).rows[0][1] == {"client_ref": "A-1", "region": "Lagos; Ikeja, Ojodu"}

    def test_empty_lines_are_skipped_and_rows_keep_their_line_numbers(self):
        table = read_table(b"\n\nclient_ref;region\n\nA-1;x\n;\n  \nA-2;y\n")
        assert [number for number, _ in table.rows] == [5, 8]

    @pytest.mark.parametrize("cell", ["=1+1", "+31 6 1234 5678", "-5", "@SUM(A1)", "=HYPERLINK(\"http://x\")"])
    def test_cells_beginning_like_formulas_are_text_as_written(self, cell):
        table = read_table(f"client_ref;region\nA-1;{cell}\n".encode())
        assert table.rows[0][1]["region"] == cell
        assert as_value(cell, "text") == cell

    def test_binary_that_is_no_spreadsheet_is_refused_at_file(self):
        with pytest.raises(Invalid) as refused:
            read_table(b"\x00\x01\x02garbage\x00" * 100)
        assert "file" in refused.value.errors

    def test_an_empty_file_is_refused(self):
        with pytest.raises(Invalid):
            read_table(b"\n \n")

    def test_a_heading_twice_refuses_the_file(self):
        with pytest.raises(Invalid) as refused:
            read_table(b"client_ref;client_ref\nA;B\n")
        assert "client_ref" in refused.value.errors["file"]

    def test_more_rows_than_the_limit_refuse_the_file(self, monkeypatch):
        monkeypatch.setattr(files, "MAX_ROWS", 3)
        with pytest.raises(Invalid):
            read_table(b"client_ref\n1\n2\n3\n4\n")
        assert len(read_table(b"client_ref\n1\n2\n3\n").rows) == 3


class TestValues:
    @pytest.mark.parametrize("cell,expected", [("1-4-2024", "2024-04-01"), ("01/04/2024", "2024-04-01"),
                                               ("1.4.2024", "2024-04-01"), ("2024-04-01", "2024-04-01"),
                                               ("31-2-2024", "31-2-2024"), ("april", "april")])
    def test_dutch_and_iso_dates(self, cell, expected):
        assert as_value(cell, "date") == expected

    @pytest.mark.parametrize("text,expected", [("1.200,50", 1200.5), ("1200,5", 1200.5), ("1,200.50", 1200.5),
                                               ("1.200", 1200), ("1200", 1200), ("12.5", 12.5), ("abc", None),
                                               ("nan", None), ("1,200,000", 1200000)])
    def test_dutch_and_english_numbers(self, text, expected):
        assert parse_number(text) == expected

    def test_a_euro_sign_and_spaces_are_ignored_in_amounts(self):
        assert as_value("€ 1.200,50", "number") == 1200.5

    @pytest.mark.parametrize("cell,expected", [("ja", True), ("Nee", False), ("yes", True), ("oui", True),
                                               ("0", False), ("misschien", "misschien")])
    def test_yes_and_no_in_three_languages(self, cell, expected):
        value = as_value(cell, "boolean")
        assert value == expected and type(value) is type(expected)

    def test_words_are_split_on_commas_and_semicolons(self):
        assert as_value("medical; single_parent,lgbt", "words") == ["medical", "single_parent", "lgbt"]


class TestXlsx:
    def test_values_are_read_with_their_types(self):
        from datetime import date
        table = read_table(xlsx([["client_ref", "date_of_birth", "household.adults"], ["A-1", date(1990, 5, 17), 2]]))
        assert table.rows == [(2, {"client_ref": "A-1", "date_of_birth": date(1990, 5, 17), "household.adults": 2})]

    def test_a_formula_cell_is_read_as_a_formula_never_evaluated(self):
        table = read_table(xlsx([["client_ref", "region"], ["A-1", "x"]], formula_at="B2"))
        assert table.rows[0][1]["region"] is FORMULA

    def test_a_zip_bomb_is_refused_before_it_is_inflated(self):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (120 * 1024 * 1024))
        content = buffer.getvalue()
        assert len(content) < 1024 * 1024
        with pytest.raises(Invalid) as refused:
            read_table(content, "bomb.xlsx")
        assert "MB" in refused.value.errors["file"]

    def test_a_part_that_compresses_suspiciously_well_is_refused(self):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("xl/sharedStrings.xml", b"a" * (30 * 1024 * 1024))
        with pytest.raises(Invalid):
            read_table(buffer.getvalue(), "small-bomb.xlsx")

    def test_a_zip_that_is_no_workbook_is_refused(self):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("hello.txt", "hello")
        with pytest.raises(Invalid):
            read_table(buffer.getvalue(), "x.xlsx")
