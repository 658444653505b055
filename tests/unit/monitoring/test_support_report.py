"""The support report adds up a hand-built case exactly: two clients, planned lines in two currencies and
from four funding sources, deliveries in euros, in naira at the rate of their day, and in Guinean francs
without a rate (listed as not converted, never as 0); the JSON, the XLSX read back and the PDF's text."""
from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from services.monitoring.api import create_app
from services.monitoring.bootstrap import MonitoringService
from services.monitoring.handlers import note_handover_requested, start_monitoring
from shared.events import new_event
from tests.unit.monitoring.checkin_requests import body, post

ARRIVED = date(2026, 1, 5)
PLANS = {
    "rtn_a": ("prt_ng", "NG", [{"type": "business", "amount": 1000, "currency": "EUR", "funding_source": "rean"},
                               {"type": "housing", "amount": 300000, "currency": "NGN", "funding_source": "amif"}]),
    "rtn_b": ("prt_gn", "GN", [{"type": "business", "amount": 5_000_000, "currency": "GNF", "funding_source": "hrt"},
                               {"type": "education", "amount": 400, "currency": "EUR", "funding_source": "own_budget"}]),
}
RATES = {"rates": [{"currency": "NGN", "units_per_eur": 1600, "valid_from": "2026-01-01"},
                   {"currency": "NGN", "units_per_eur": 1650, "valid_from": "2026-02-15"}]}


@pytest.fixture
def network(build, clock, auth):
    service = build(MonitoringService, "monitoring")
    for rid, (org, country, lines) in PLANS.items():
        note_handover_requested(service.deps, new_event("intake", "returnee.handover_requested.v1", rid, {
            "returnee_id": rid, "handover_id": f"h_{rid}", "partner_id": org, "country_of_return": country,
            "region": None, "vulnerabilities": [], "planned_support": lines, "office": None, "office_region": None},
            clock.now()))
        start_monitoring(service.deps, new_event("partners", "returnee.arrived.v1", rid, {
            "returnee_id": rid, "partner_id": org, "country": country, "arrived_on": ARRIVED.isoformat(),
            "handover_id": f"h_{rid}"}, clock.now()))
    client = create_app(service=service).test_client()
    assert client.put("/v1/currency-rates", json=RATES, headers=auth("admin")).status_code == 200
    a, b = auth("partner", org="prt_ng"), auth("partner", org="prt_gn")
    for headers, data, key in (
            (a, body(returnee_id="rtn_a", support_delivered=[
                {"type": "business", "amount": 400, "currency": "EUR", "delivered_on": "2026-02-01"},
                {"type": "housing", "amount": 160000, "currency": "NGN", "delivered_on": "2026-02-05"}]), "a1"),
            (a, body(returnee_id="rtn_a", slot="ad_hoc", contact_date="2026-02-20", support_delivered=[
                {"type": "housing", "amount": 33000, "currency": "NGN", "delivered_on": "2026-02-20"}]), "a2"),
            (b, body(returnee_id="rtn_b", support_delivered=[
                {"type": "business", "amount": 2_000_000, "currency": "GNF", "delivered_on": "2026-02-02"},
                {"type": "education", "amount": 150.5, "currency": "EUR", "delivered_on": "2026-02-03"}]), "b1")):
        assert post(client, headers, data, key).status_code == 201
    return client, auth("project_lead")


def report(client, lead, **query):
    response = client.get("/v1/reports/support", query_string={"to": "2026-03-01", **query}, headers=lead)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return response


def test_the_totals_add_up_exactly(network):
    answer = report(*network).json
    # planned: 1000 + 300000 NGN at 1650 (the rate on the last day: 181.82) + 400; GNF 5000000 not converted
    # delivered: 400 + 160000/1600 (100.00) + 33000/1650 (20.00) + 150.50; GNF 2000000 not converted
    assert answer["totals"] == {"planned_eur": 1581.82, "delivered_eur": 670.5, "open_eur": 911.32,
                                "planned_not_converted": {"GNF": 5_000_000}, "delivered_not_converted": {"GNF": 2_000_000},
                                "complete": False}
    by_client = {r["client"]: r for r in answer["rows"]}
    assert (by_client["rtn_a"]["planned_eur"], by_client["rtn_a"]["delivered_eur"], by_client["rtn_a"]["open_eur"]) == (
        1181.82, 520.0, 661.82)
    assert (by_client["rtn_b"]["planned_eur"], by_client["rtn_b"]["delivered_eur"], by_client["rtn_b"]["open_eur"]) == (
        400.0, 150.5, 249.5)
    assert by_client["rtn_b"]["delivered_not_converted"] == {"GNF": 2_000_000}


def test_each_delivery_says_the_rate_it_was_converted_at_or_that_it_was_not(network):
    deliveries = {(d["returnee_id"], d["delivered_on"]): d for d in report(*network).json["deliveries"]}
    assert deliveries[("rtn_a", "2026-02-05")]["rate"] == {"units_per_eur": 1600.0, "valid_from": "2026-01-01"}
    assert deliveries[("rtn_a", "2026-02-20")]["rate"] == {"units_per_eur": 1650.0, "valid_from": "2026-02-15"}
    unconverted = deliveries[("rtn_b", "2026-02-02")]
    assert unconverted["converted"] is False and unconverted["eur"] is None and unconverted["rate"] is None
    assert deliveries[("rtn_a", "2026-02-05")]["funding_source"] == "amif"  # the planned housing line's


def test_by_funding_source_partner_and_period(network):
    client, lead = network
    by_source = {r["funding_source"]: r for r in report(client, lead, by="funding_source").json["rows"]}
    assert {k: (r["planned_eur"], r["delivered_eur"]) for k, r in by_source.items()} == {
        "amif": (181.82, 120.0), "hrt": (0.0, 0.0), "own_budget": (400.0, 150.5), "rean": (1000.0, 400.0)}
    assert by_source["hrt"]["planned_not_converted"] == {"GNF": 5_000_000}
    by_partner = {r["partner"]: r["delivered_eur"] for r in report(client, lead, by="partner").json["rows"]}
    assert by_partner == {"prt_gn": 150.5, "prt_ng": 520.0}
    february = report(client, lead, by="period", **{"from": "2026-02-10"}).json
    assert february["totals"]["delivered_eur"] == 20.0  # only the delivery of 20 February is in the window


def test_the_final_statement_per_client(network):
    statements = {s["returnee_id"]: s for s in report(*network).json["statements"]}
    lines = {line["type"]: line for line in statements["rtn_a"]["lines"]}
    assert (lines["housing"]["planned_eur"], lines["housing"]["delivered_eur"], lines["housing"]["open_eur"]) == (
        181.82, 120.0, 61.82)
    assert statements["rtn_a"]["final"] is False  # the year is not over


def test_the_workbook_holds_the_same_figures(network):
    book = load_workbook(io.BytesIO(report(*network, format="xlsx").data))
    first = book.worksheets[0]
    rows = list(first.iter_rows(values_only=True))
    assert rows[-1][:4] == ("Total", 1581.82, 670.5, 911.32) and rows[-1][4] == "GNF 5000000.00"
    deliveries = list(book.worksheets[1].iter_rows(values_only=True))
    assert ("rtn_b", "prt_gn", "GN", "hrt", "business") == deliveries[-2][:5] and deliveries[-2][8] == "not converted"


def test_the_pdf_text_holds_the_totals_in_dutch(network):
    client, lead = network
    response = client.get("/v1/reports/support", query_string={"to": "2026-03-01", "format": "pdf"},
                          headers={**lead, "Accept-Language": "nl"})
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    for figure in ("1581.82", "670.50", "911.32", "niet omgerekend", "Eindafrekeningen"):
        assert figure in text


def test_only_project_leads_and_administrators_read_it(network, auth):
    client, _ = network
    assert client.get("/v1/reports/support", headers=auth("consultant")).status_code == 403
    assert client.get("/v1/reports/support", headers=auth("partner", org="prt_ng")).status_code == 403


def test_the_checkin_event_says_when_support_was_first_delivered(network):
    import json

    from services.monitoring.documents import Case

    outbox = Case.objects(id="rtn_a").as_pymongo().first()["outbox"]
    recorded = [json.loads(e["value"])["data"] for e in outbox if e["type"] == "checkin.recorded.v1"]
    assert [r["support_delivered_on"] for r in recorded] == ["2026-02-01", "2026-02-20"]
