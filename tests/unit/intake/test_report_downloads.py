"""The reports as files people open: XLSX read back with openpyxl, PDF read back with pypdf, CSV with a BOM."""
from __future__ import annotations

import io
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.unit.intake.caseload import quarterly

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def workbook(response):
    assert response.status_code == 200 and response.content_type == XLSX, response.get_data(as_text=True)[:300]
    return load_workbook(io.BytesIO(response.data))


def pdf_text(response) -> str:
    assert response.status_code == 200 and response.content_type == "application/pdf", response.data[:300]
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)


def rows(sheet) -> list[tuple]:
    return list(sheet.iter_rows(values_only=True))


class TestQuarterlyWorkbook:
    def test_one_sheet_per_section_with_the_json_figures_as_numbers_in_dutch(self, intake, caseload, auth):
        client, _, _ = intake
        lead = {**auth("project_lead"), "Accept-Language": "nl"}
        report = quarterly(client, lead).json
        book = workbook(quarterly(client, lead, format="xlsx"))
        labels = report["labels"]
        assert book.sheetnames == [labels["sections"]["programme"]["nl"][:31], labels["sections"]["monitoring"]["nl"],
                                   "Beoogde resultaten"]
        programme, monitoring = (rows(book[name]) for name in book.sheetnames[:2])
        assert programme[0] == ("Cijfer", "huidig", "afgelopen periode", "cumulatief")
        assert monitoring[0] == ("Cijfer", "afgelopen periode", "cumulatief", "aan het eind van het kwartaal")
        by_label = {row[0]: row[1:] for row in programme[1:]}
        fo = report["programme"]["in_future_orientation"]
        assert by_label[labels["programme"]["in_future_orientation"]["nl"]] == (fo["current"], None, fo["cumulative"])
        iom = report["programme"]["to_other_return_organisations"]["by_organisation"]
        assert by_label[f"– {next(o['name'] for o in iom if o['organisation'] == 'iom')}"][1:] == (1, 1)
        registered = next(row for row in monitoring if row[0] == labels["monitoring"]["registered"]["nl"])
        assert registered[1:3] == (report["figures"]["registered"]["period"],
                                   report["figures"]["registered"]["cumulative"]) == (4, 4)
        cell = book[book.sheetnames[1]]["C2"]
        assert cell.data_type == "n" and isinstance(cell.value, int)

    def test_english_labels_for_an_english_request_and_the_file_is_named_by_quarter(self, intake, caseload, auth):
        client, _, _ = intake
        response = quarterly(client, auth("project_lead"), format="xlsx", region="west")
        assert 'filename="quarterly-2026-Q1-west.xlsx"' in response.headers["Content-Disposition"]
        assert rows(workbook(response).worksheets[0])[0][0] == "Figure"

    def test_a_name_that_looks_like_a_formula_stays_text(self, intake, caseload, auth):
        client, _, _ = intake
        added = client.post("/v1/return-organisations", json={"id": "formula", "name": '=HYPERLINK("x")'},
                            headers=auth("admin"))
        assert added.status_code == 201, added.json
        book = workbook(quarterly(client, auth("project_lead"), format="xlsx"))
        cells = [c for row in book.worksheets[0].iter_rows() for c in row if c.value and "HYPERLINK" in str(c.value)]
        assert [(c.value, c.data_type) for c in cells] == [('– =HYPERLINK("x")', "s")]

    def test_the_csv_starts_with_a_byte_order_mark(self, intake, caseload, auth):
        client, _, _ = intake
        data = quarterly(client, auth("project_lead"), format="csv").data
        assert data.startswith("\ufeffsection,figure,".encode()) and "cliënten".encode() in data


class TestProgrammeWorkbook:
    def test_the_figures_and_the_referrals_per_organisation(self, intake, caseload, auth):
        client, _, _ = intake
        lead = auth("project_lead")
        report = client.get("/v1/reports/programme?to=2026-03-31", headers=lead).json
        book = workbook(client.get("/v1/reports/programme?to=2026-03-31&format=xlsx", headers=lead))
        table = rows(book.worksheets[0])
        assert table[0] == ("Figure", "Clients")
        assert dict(table[1:])[report["labels"]["enrolled_in_counselling"]["en"]] == \
            report["figures"]["enrolled_in_counselling"] == 2


class TestPrintedReports:
    def test_the_quarterly_pdf_holds_the_figures_the_print_date_and_who_printed_it(self, intake, caseload, auth):
        client, _, _ = intake
        lead = {**auth("project_lead"), "Accept-Language": "nl"}
        report = quarterly(client, lead).json
        response = quarterly(client, lead, format="pdf")
        text = pdf_text(response)
        assert 'filename="quarterly-2026-Q1.pdf"' in response.headers["Content-Disposition"]
        assert report["labels"]["programme"]["in_return_guidance"]["nl"] in text
        assert f"{report['labels']['monitoring']['registered']['nl']} {report['figures']['registered']['period']} " \
               f"{report['figures']['registered']['cumulative']}" in text
        assert "Afgedrukt op 2026-04-01 door" in text and "pagina 1 van 2" in text  # the targets on the second

    def test_the_progress_reports_of_an_office_in_one_file_without_a_name_in_the_file_name(self, intake, caseload,
                                                                                           auth):
        client, _, headers = intake
        response = client.get("/v1/reports/progress?until=2026-04-01&region=west", headers=headers)
        text = pdf_text(response)
        assert response.headers["Content-Disposition"] == 'attachment; filename="progress-2026-04-01-west.pdf"'
        assert text.count("Half-yearly progress report") == 2 and caseload["amsterdam"] in text
        assert caseload["haarlem"] in text and caseload["utrecht"] not in text
        assert len(PdfReader(io.BytesIO(response.data)).pages) >= 2

    def test_project_leads_get_the_progress_report_without_names(self, intake, caseload, auth):
        client, _, _ = intake
        rid = caseload["amsterdam"]
        text = pdf_text(client.get(f"/v1/returnees/{rid}/progress-report?format=pdf",
                                   headers={**auth("project_lead"), "Accept-Language": "nl"}))
        assert "Halfjaarlijkse voortgangsrapportage" in text and rid in text
        assert "Ada" not in text and "F-9" not in text and "terugkeerbegeleiding" in text.lower()

    def test_a_future_reporting_moment_is_422(self, intake, caseload):
        client, _, headers = intake
        response = client.get("/v1/reports/progress?until=2027-01-01", headers=headers)
        assert response.status_code == 422 and "until" in response.json["errors"]
