"""The returnee page's documents (Documenten): listed, uploaded as multipart with kind and title, refused files
back with the Dutch message at the field, downloaded byte for byte, deleted after a confirmation; a project
lead's page shows none and never asks intake for them."""
from __future__ import annotations

import io

import pytest

from tests.unit.web.conftest import INTAKE, MONITORING
from tests.unit.web.returnee_answer import RETURNEE

DOCUMENTS = f"{INTAKE}/v1/returnees/rtn_1/documents"
PDF = b"%PDF-1.4 a scan\n%%EOF\n"
DOCUMENT = {"id": "doc_1", "returnee_id": "rtn_1", "kind": "travel_document", "title": "Paspoort Abebe",
            "content_type": "application/pdf", "size": 2300, "sha256": "ab" * 32, "uploaded_by": "web:consultant",
            "uploaded_at": "2026-03-01T11:00:00+00:00", "expires_on": "2031-05-01"}


@pytest.fixture
def page(api):
    api.get(f"{INTAKE}/v1/returnees/rtn_1", json=RETURNEE)
    api.get(f"{MONITORING}/v1/cases/rtn_1", status=404, json={"status": 404})
    api.get(f"{INTAKE}/v1/returnees/rtn_1/notes", json={"items": [], "next_cursor": None})
    return api


def test_the_consultant_sees_the_documents_in_dutch_with_download_and_delete(browser, page):
    page.get(DOCUMENTS, json={"items": [DOCUMENT], "next_cursor": "doc_1"})
    html = browser("consultant").client.get("/returnees/rtn_1").get_data(as_text=True)
    assert "Documenten" in html and "Paspoort Abebe" in html and "Reisdocument" in html
    assert "geldig tot 1 mei 2031" in html and "3 kB" in html and "Oudere documenten" in html
    assert 'href="/returnees/rtn_1/documents/doc_1"' in html and 'href="/returnees/rtn_1/documents/doc_1/delete"' in html
    assert 'enctype="multipart/form-data"' in html and "Een document toevoegen" in html


def test_an_upload_sends_the_file_and_its_fields_as_multipart(browser, page):
    page.get(DOCUMENTS, json={"items": [], "next_cursor": None})
    page.post(DOCUMENTS, status=201, json=DOCUMENT)
    b = browser("consultant")
    b.get("/returnees/rtn_1")
    response = b.post("/returnees/rtn_1/documents", {"kind": "travel_document", "title": "Paspoort Abebe",
                                                     "expires_on": "2031-05-01", "file": (io.BytesIO(PDF), "scan.pdf")},
                      content_type="multipart/form-data")
    assert response.status_code == 302 and response.headers["Location"] == "/returnees/rtn_1#documenten"
    sent = [c.request for c in page.calls if c.request.method == "POST"][-1]
    assert sent.headers["Content-Type"].startswith("multipart/form-data") and sent.headers["Accept-Language"] == "nl"
    assert PDF in sent.body and b'name="title"' in sent.body and b"Paspoort Abebe" in sent.body
    assert b"2031-05-01" in sent.body


@pytest.mark.parametrize("status, code, message", [(415, "unsupported_file_type", "Alleen een PDF-, JPEG- of PNG-bestand"),
                                                   (413, "file_too_large", "Het bestand is te groot.")])
def test_a_refused_file_comes_back_with_the_dutch_message_and_the_title_kept(browser, page, status, code, message):
    page.get(DOCUMENTS, json={"items": [], "next_cursor": None})
    page.post(DOCUMENTS, status=status, json={"status": status, "errors": {"file": "English text"},
                                              "error_codes": {"file": code}})
    b = browser("consultant")
    b.get("/returnees/rtn_1")
    response = b.post("/returnees/rtn_1/documents", {"kind": "other", "title": "Mijn brief",
                                                     "file": (io.BytesIO(b"MZ program"), "brief.pdf")},
                      content_type="multipart/form-data")
    html = response.get_data(as_text=True)
    assert response.status_code == status and message in html and "English text" not in html
    assert 'value="Mijn brief"' in html and "Het document is niet bewaard" in html


def test_the_download_is_the_apis_bytes_with_their_type_as_an_attachment(browser, page):
    page.get(f"{DOCUMENTS}/doc_1/content", body=PDF, content_type="application/pdf",
             headers={"Content-Disposition": 'attachment; filename="doc_1.pdf"'})
    response = browser("consultant").client.get("/returnees/rtn_1/documents/doc_1")
    assert response.status_code == 200 and response.data == PDF and response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == 'attachment; filename="doc_1.pdf"'


def test_deleting_asks_first_then_deletes(browser, page):
    page.get(f"{DOCUMENTS}/doc_1", json=DOCUMENT)
    page.delete(f"{DOCUMENTS}/doc_1", status=204)
    b = browser("consultant")
    confirm = b.get("/returnees/rtn_1/documents/doc_1/delete")
    html = confirm.get_data(as_text=True)
    assert confirm.status_code == 200 and "Paspoort Abebe" in html and "Voorgoed verwijderen" in html
    assert not [c for c in page.calls if c.request.method == "DELETE"]
    response = b.post("/returnees/rtn_1/documents/doc_1/delete")
    assert response.status_code == 302 and [c for c in page.calls if c.request.method == "DELETE"]


def test_a_project_lead_sees_no_documents_and_intake_is_not_asked(browser, page):
    b = browser("project_lead")
    html = b.client.get("/returnees/rtn_1").get_data(as_text=True)
    assert "Documenten" not in html and "documenten" not in html
    assert not [c for c in page.calls if "/documents" in c.request.url]
    assert b.client.get("/returnees/rtn_1/documents/doc_1").status_code == 403
