"""The staff pages' downloads: the outcomes workbook the web app builds (the page's names, labels, hidden
groups and total row, typed numbers), and the files it passes on from the APIs in the page's language."""
from __future__ import annotations

import io

from openpyxl import load_workbook

from tests.unit.web.conftest import INTAKE, MONITORING
from tests.unit.web.test_wording import OUTCOMES

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_the_outcomes_workbook_has_the_pages_names_and_its_total_row(browser, api):
    api.get(f"{MONITORING}/v1/outcomes", json=OUTCOMES)
    response = browser("project_lead").client.get("/outcomes.xlsx?by=partner")
    assert response.status_code == 200 and response.content_type == XLSX
    assert response.headers["Content-Disposition"] == 'attachment; filename="outcomes-by-partner.xlsx"'
    rows = list(load_workbook(io.BytesIO(response.data)).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("Groep", "Terugkeerders", "Afgerond")
    names = [row[0] for row in rows[1:]]
    assert names[0] == "Lagos Desk" and names[-1] == "Totaal" and "ptn_1" not in names
    assert rows[1][1] == "niet getoond, zodat een kleinere groep niet te herleiden is"
    assert rows[3][1] == "minder dan 5 terugkeerders"
    assert rows[2][1:4] == (7, 0.25, 0.4375) and rows[-1][1] == 14


def test_the_quarterly_pdf_is_asked_for_in_the_pages_language_and_passed_on(browser, api):
    api.get(f"{INTAKE}/v1/reports/quarterly", body=b"%PDF-1.7 x", content_type="application/pdf",
            headers={"Content-Disposition": 'attachment; filename="quarterly-2026-Q1.pdf"'})
    response = browser("project_lead").client.get("/reports/quarterly.pdf?year=2026&quarter=1")
    assert response.status_code == 200 and response.data == b"%PDF-1.7 x"
    assert response.headers["Content-Disposition"] == 'attachment; filename="quarterly-2026-Q1.pdf"'
    sent = api.calls[-1].request
    assert sent.headers["Accept-Language"] == "nl" and "format=pdf" in sent.url and "year=2026" in sent.url


def test_the_quarterly_page_offers_the_progress_reports_of_its_clients_up_to_today_at_most(browser, api):
    from tests.unit.web.test_programme_pages import OFFICES, QUARTER

    api.get(f"{INTAKE}/v1/reports/quarterly", json={**QUARTER, "period": {"start": "2026-01-01", "end": "2026-03-31"}})
    api.get(f"{INTAKE}/v1/offices", json=OFFICES)
    api.get(f"{INTAKE}/v1/reports/progress", body=b"%PDF-1.7 y", content_type="application/pdf")
    b = browser("project_lead")
    html = b.client.get("/reports/quarterly?year=2026&quarter=1&region=west").get_data(as_text=True)
    link = html.split('href="/reports/progress.pdf?')[1].split('"')[0].replace("&amp;", "&")
    assert link == "until=2026-03-02&region=west"  # the unit tests' clock: 2 March, before the quarter's end
    assert "Halfjaarlijkse voortgangsrapportages van deze cliënten (pdf)" in html
    response = b.client.get(f"/reports/progress.pdf?{link}")
    assert response.data == b"%PDF-1.7 y" and "until=2026-03-02" in api.calls[-1].request.url


def test_the_brief_comes_as_a_french_pdf_for_the_client(browser, api):
    api.get(f"{INTAKE}/v1/countries/GN/brief", body=b"%PDF-1.7 z", content_type="application/pdf",
            headers={"Content-Disposition": 'attachment; filename="brief-GN-fr.pdf"'})
    api.get(f"{INTAKE}/v1/countries/GN/insights", json={"country": "GN", "returnees": 0, "checkins": 0,
                                                         "suppressed": True, "k": 5, "updated_at": None})
    consultant = browser("consultant").client
    page = consultant.get("/countries/GN/brief").get_data(as_text=True)
    assert 'href="/countries/GN/brief.pdf?lang=fr"' in page and "Pdf in het Frans, voor de cliënt" in page
    response = consultant.get("/countries/gn/brief.pdf?lang=fr")
    assert response.data == b"%PDF-1.7 z"
    assert response.headers["Content-Disposition"] == 'attachment; filename="brief-GN-fr.pdf"'
    sent = api.calls[-1].request
    assert sent.headers["Accept-Language"] == "fr" and "lang=fr" in sent.url and "format=pdf" in sent.url
