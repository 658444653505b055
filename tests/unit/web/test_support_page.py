"""The support report page: the groups with their euro figures and what is not converted, in Dutch, the
deliveries with the rate used, and the three downloads passed on as monitoring writes them."""
from __future__ import annotations

from datetime import date

import pytest

from services.monitoring.domain.support import support_report
from tests.unit.web.conftest import MONITORING

CASES = [{"returnee_id": "rtn_1", "partner_id": "ptn_1", "country": "NG", "state": "active",
          "handover": {"requested_on": "2026-01-02"},
          "planned_support": [{"type": "business", "amount": 1000, "currency": "EUR", "funding_source": "amif"},
                              {"type": "housing", "amount": 900000, "currency": "GNF", "funding_source": None}],
          "checkins": [{"id": "chk_1", "contact_date": "2026-02-06", "support_delivered": [
              {"type": "business", "amount": 160000, "currency": "NGN", "delivered_on": "2026-02-05"},
              {"type": "housing", "amount": 450000, "currency": "GNF", "delivered_on": "2026-02-05"}]}]}]
RATES = [{"currency": "NGN", "units_per_eur": 1600, "valid_from": "2026-01-01"}]


@pytest.fixture
def report(api):
    def answer(by: str = "client"):
        body = support_report(CASES, RATES, by, None, date(2026, 3, 1))
        api.get(f"{MONITORING}/v1/reports/support", json=body)
        return body
    return answer


def test_the_page_shows_planned_delivered_open_and_not_converted(browser, report):
    report()
    html = browser("project_lead").client.get("/reports/support").get_data(as_text=True)
    assert "Ondersteuning en geld" in html and "rtn_1" in html
    assert "1.000,00" in html and "100,00" in html and "900,00" in html  # planned, delivered (at 1600), open
    assert "GNF 900.000" in html and "GNF 450.000" in html and "niet omgerekend" in html
    assert "1.600,00 per euro vanaf 1 jan 2026" in html


def test_by_funding_source_names_the_source_and_the_unknown_one(browser, report):
    report("funding_source")
    html = browser("project_lead").client.get("/reports/support?by=funding_source").get_data(as_text=True)
    assert "AMIF (Europees Asiel-, Migratie- en Integratiefonds)" in html and "onbekend" in html


@pytest.mark.parametrize("kind,mimetype", [("csv", "text/csv"), ("pdf", "application/pdf"),
                                           ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")])
def test_the_downloads_are_monitorings_files(browser, api, kind, mimetype):
    api.get(f"{MONITORING}/v1/reports/support", body=b"file-bytes", content_type=mimetype,
            headers={"Content-Disposition": f'attachment; filename="support-by-client.{kind}"'})
    response = browser("project_lead").client.get(f"/reports/support.{kind}?by=client")
    assert response.status_code == 200 and response.data == b"file-bytes" and response.mimetype == mimetype
    assert api.calls[-1].request.params["format"] == kind


def test_consultants_do_not_get_it(browser):
    assert browser("consultant").client.get("/reports/support").status_code == 403
