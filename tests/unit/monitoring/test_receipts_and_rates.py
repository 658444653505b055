"""Receipts of support delivered (PDF, JPEG, PNG by their bytes; stored in GridFS; back byte for byte; a
partner sees only its own) and the rate table (administrators write it, project leads read it)."""
from __future__ import annotations

import pytest

from services.monitoring.api.money import RECEIPT_MAX_BYTES
from tests.unit.monitoring.checkin_requests import body, post

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256))
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(200))
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64


@pytest.fixture
def line(monitoring):
    client, service, partner = monitoring
    checkin = post(client, partner, body()).json
    return client, service, partner, f"/v1/cases/rtn_own/checkins/{checkin['id']}/support/0/receipt"


@pytest.mark.parametrize("content,kind", [(PDF, "application/pdf"), (JPEG, "image/jpeg"), (PNG, "image/png")])
def test_a_receipt_comes_back_byte_for_byte_to_the_partner_and_to_staff(line, auth, content, kind):
    client, _, partner, url = line
    stored = client.put(url, data=content, headers={**partner, "Content-Type": "application/octet-stream"})
    assert stored.status_code == 201, stored.json
    assert stored.json["content_type"] == kind and stored.json["size"] == len(content)
    for headers in (partner, auth("consultant"), auth("admin")):
        back = client.get(url, headers=headers)
        assert back.status_code == 200 and back.data == content and back.content_type == kind
    listed = client.get("/v1/cases/rtn_own", headers=partner).json["receipts"]  # the case names what is attached
    assert [(r["checkin_id"], r["index"], r["content_type"], r["size"]) for r in listed] == [
        (url.split("/")[5], 0, kind, len(content))]
    assert listed[0]["uploaded_at"].startswith("20")  # ISO 8601


def test_a_renamed_program_is_refused_in_the_callers_language(line):
    client, service, partner, url = line
    refused = client.put(url, data=EXE, headers={**partner, "Content-Type": "application/pdf",
                                                 "Accept-Language": "fr"})
    assert refused.status_code == 415 and refused.content_type == "application/problem+json"
    assert refused.headers["Content-Language"] == "fr" and "PDF, JPEG ou PNG" in refused.json["detail"]
    assert client.get(url, headers=partner).status_code == 404


def test_a_receipt_too_large_is_refused(line):
    client, _, partner, url = line
    refused = client.put(url, data=PDF + b"0" * RECEIPT_MAX_BYTES, headers={**partner, "Content-Type": "application/pdf",
                                                                          "Accept-Language": "nl"})
    assert refused.status_code == 413 and refused.headers["Content-Language"] == "nl"


def test_another_partner_neither_uploads_nor_reads_it(line, auth):
    client, _, partner, url = line
    assert client.put(url, data=PDF, headers=partner).status_code == 201
    other = auth("partner", org="prt_other")
    assert client.get(url, headers=other).status_code == 404
    assert client.put(url, data=PNG, headers=other).status_code == 404
    assert client.get(url, headers=partner).data == PDF  # unchanged
    assert client.get(url, headers=auth("project_lead")).status_code == 403


def test_no_such_support_line(line):
    client, _, partner, url = line
    assert client.put(url.replace("/support/0/", "/support/3/"), data=PDF, headers=partner).status_code == 404


RATES = {"rates": [{"currency": "GNF", "units_per_eur": 9400, "valid_from": "2026-01-01"}]}


def test_only_administrators_write_the_rate_table_and_project_leads_read_it(monitoring, auth):
    client, _, partner = monitoring
    for role in ("project_lead", "consultant"):
        assert client.put("/v1/currency-rates", json=RATES, headers=auth(role)).status_code == 403
    assert client.put("/v1/currency-rates", json=RATES, headers=partner).status_code == 403
    written = client.put("/v1/currency-rates", json=RATES, headers=auth("admin", sub="admin@example.org"))
    assert written.status_code == 200 and written.json["updated_by"] == "admin@example.org"
    read = client.get("/v1/currency-rates", headers=auth("project_lead")).json
    assert read["rates"] == [{"currency": "GNF", "units_per_eur": 9400.0, "valid_from": "2026-01-01"}]
    assert client.get("/v1/currency-rates", headers=partner).status_code == 403


def test_the_rate_table_is_replaced_whole_and_refuses_a_bad_rate(monitoring, auth):
    client, _, _ = monitoring
    admin = auth("admin")
    client.put("/v1/currency-rates", json=RATES, headers=admin)
    client.put("/v1/currency-rates", json={"rates": [{"currency": "ETB", "units_per_eur": 150,
                                                       "valid_from": "2026-02-01"}]}, headers=admin)
    assert [r["currency"] for r in client.get("/v1/currency-rates", headers=admin).json["rates"]] == ["ETB"]
    bad = client.put("/v1/currency-rates", json={"rates": [{"currency": "ETB", "units_per_eur": 0,
                                                             "valid_from": "2026-02-01"}]}, headers=admin)
    assert bad.status_code == 422 and "rates.0.units_per_eur" in bad.json["errors"]


def test_a_write_to_the_rate_table_is_audited(monitoring, auth):
    client, service, _ = monitoring
    client.put("/v1/currency-rates", json=RATES, headers=auth("admin", sub="admin@example.org"))
    service.audit.flush()
    entries = client.get("/v1/audit", query_string={"resource_id": "currency_rates"}, headers=auth("admin")).json
    assert [(e["method"], e["who"]) for e in entries["items"]] == [("PUT", "admin@example.org")]


def test_erasure_removes_the_receipts(line, clock):
    from services.monitoring.handlers import anonymise
    from shared.events import new_event

    client, service, partner, url = line
    assert client.put(url, data=PNG, headers=partner).status_code == 201
    anonymise(service.deps, new_event("intake", "returnee.erased.v1", "rtn_own", {"returnee_id": "rtn_own"},
                                      clock.now()))
    assert service.receipts.get("rtn_own", url.split("/")[5], 0) is None
    assert client.get(url, headers=partner).status_code == 404
