"""The case file's documents (issue 20, item 2): uploaded as multipart, the type read from the bytes, back byte for
byte, listed newest first, deleted; refused with their codes in the request's language; encrypted at rest in
GridFS; refused to project leads and partners; audited by person; in the export; gone after erasure."""
from __future__ import annotations

import hashlib
import io
import json

import pytest

from services.intake.api import create_app
from services.intake.bootstrap import IntakeService
from services.intake.config import IntakeConfig
from services.intake.documents import AuditEntry
from services.intake.documents_repository import CaseDocument
from tests.unit.intake.returnees import register

PDF = b"%PDF-1.4\n1 0 obj << /Title (cnrydoc42 paspoort) >> endobj\ntrailer\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
JPEG = b"\xff\xd8\xff\xe0" + b"\x00JFIF" + b"\x10" * 100


@pytest.fixture
def case(intake):
    client, service, headers = intake
    return client, service, headers, register(client, headers).json["id"]


def upload(client, headers, rid, body=PDF, name="scan.pdf", **fields):
    form = {"kind": "travel_document", "title": "Paspoort", **fields}
    if body is not None:
        form["file"] = (io.BytesIO(body), name)
    return client.post(f"/v1/returnees/{rid}/documents", data=form, headers=headers,
                       content_type="multipart/form-data")


def test_a_consultant_uploads_a_pdf_and_downloads_it_back_byte_for_byte(case):
    client, _, headers, rid = case
    response = upload(client, headers, rid, expires_on="2031-05-01")
    assert response.status_code == 201, response.json
    document = response.json
    assert document["id"].startswith("doc_") and document["kind"] == "travel_document"
    assert document["title"] == "Paspoort" and document["content_type"] == "application/pdf"
    assert document["size"] == len(PDF) and document["sha256"] == hashlib.sha256(PDF).hexdigest()
    assert document["uploaded_by"] == "test-consultant" and document["expires_on"] == "2031-05-01"
    content = client.get(f"/v1/returnees/{rid}/documents/{document['id']}/content", headers=headers)
    assert content.status_code == 200 and content.data == PDF and content.mimetype == "application/pdf"
    assert content.headers["Content-Disposition"] == f'attachment; filename="{document["id"]}.pdf"'


def test_the_type_comes_from_the_bytes_not_the_name(case):
    client, _, headers, rid = case
    assert upload(client, headers, rid, PNG, name="photo.pdf", kind="id").json["content_type"] == "image/png"
    assert upload(client, headers, rid, JPEG, name="x", kind="other").json["content_type"] == "image/jpeg"
    refused = upload(client, {**headers, "Accept-Language": "nl"}, rid, b"MZ\x90\x00 a program", name="scan.pdf")
    assert refused.status_code == 415 and refused.mimetype == "application/problem+json"
    assert refused.json["error_codes"] == {"file": "unsupported_file_type"}
    assert "PDF" in refused.json["errors"]["file"] and refused.json["errors"]["file"] != "Only a PDF, JPEG or PNG file."


def test_the_list_is_newest_first_a_page_at_a_time_and_a_deleted_one_is_gone(case):
    client, _, headers, rid = case
    ids = [upload(client, headers, rid, title=f"scan {n}", kind="other").json["id"] for n in range(3)]
    first = client.get(f"/v1/returnees/{rid}/documents?limit=2", headers=headers).json
    assert [d["id"] for d in first["items"]] == ids[:0:-1] and first["items"][0]["title"] == "scan 2"
    rest = client.get(f"/v1/returnees/{rid}/documents", query_string={"cursor": first["next_cursor"]},
                      headers=headers).json
    assert [d["id"] for d in rest["items"]] == ids[:1] and rest["next_cursor"] is None
    assert client.delete(f"/v1/returnees/{rid}/documents/{ids[1]}", headers=headers).status_code == 204
    assert client.get(f"/v1/returnees/{rid}/documents/{ids[1]}/content", headers=headers).status_code == 404
    assert client.delete(f"/v1/returnees/{rid}/documents/{ids[1]}", headers=headers).status_code == 404
    listed = client.get(f"/v1/returnees/{rid}/documents", headers=headers).json["items"]
    assert [d["id"] for d in listed] == [ids[2], ids[0]]
    assert CaseDocument._get_db()["case_files.files"].count_documents({}) == 2  # the file went with it


@pytest.fixture
def small(build, auth):
    service = build(IntakeService, "intake", config=IntakeConfig(document_max_bytes=2048))
    client = create_app(service=service).test_client()
    headers = auth("consultant")
    return client, headers, register(client, headers).json["id"]


@pytest.mark.parametrize("size", [2049, 200_000])  # just above the limit (the file), far above (the body)
@pytest.mark.parametrize("lang, words", [("nl", "ten hoogste"), ("fr", "au plus"), ("en", "at most")])
def test_a_file_above_the_limit_is_refused_413_in_the_requests_language(small, size, lang, words):
    client, headers, rid = small
    refused = upload(client, {**headers, "Accept-Language": lang}, rid, b"%PDF-" + b"x" * (size - 5))
    assert refused.status_code == 413 and refused.json["error_codes"] == {"file": "file_too_large"}
    assert words in refused.json["errors"]["file"].lower() and "2 kB" not in refused.json["errors"]["file"]
    assert upload(client, headers, rid, b"%PDF-" + b"x" * 2043).status_code == 201  # the limit itself


@pytest.mark.parametrize("fields, body, field", [({"kind": "passport"}, PDF, "kind"), ({"title": " "}, PDF, "title"),
                                                 ({"title": "x" * 201}, PDF, "title"), ({}, None, "file"),
                                                 ({"kind": "medical", "expires_on": "2030-01-01"}, PDF, "expires_on")])
def test_bad_uploads_are_refused_with_the_field_named(case, fields, body, field):
    client, _, headers, rid = case
    refused = upload(client, {**headers, "Accept-Language": "nl"}, rid, body, **fields)
    assert refused.status_code == 422, refused.json
    assert list(refused.json["errors"]) == [field] and refused.json["detail"] == "Het verzoek bevat ongeldige velden."


@pytest.mark.parametrize("role", ["project_lead", "partner", "service"])
def test_project_leads_and_partners_get_no_documents(case, auth, role):
    client, _, headers, rid = case
    document = upload(client, headers, rid).json
    them = auth(role, org="prt_01J0000000000000000000000" if role == "partner" else None)
    assert client.get(f"/v1/returnees/{rid}/documents", headers=them).status_code == 403
    assert client.get(f"/v1/returnees/{rid}/documents/{document['id']}/content", headers=them).status_code == 403
    assert client.delete(f"/v1/returnees/{rid}/documents/{document['id']}", headers=them).status_code == 403
    assert upload(client, them, rid).status_code == 403


def test_every_read_is_in_the_audit_log_by_person(case, auth):
    client, service, headers, rid = case
    document = upload(client, headers, rid).json
    client.get(f"/v1/returnees/{rid}/documents", headers=auth("consultant", sub="reader-one"))
    client.get(f"/v1/returnees/{rid}/documents/{document['id']}/content", headers=auth("admin", sub="reader-two"))
    service.audit.flush()
    reads = {(e.who, e.path, e.resource_id) for e in AuditEntry.objects(returnee_id=rid, method="GET")}
    assert ("reader-one", f"/v1/returnees/{rid}/documents", rid) in reads
    assert ("reader-two", f"/v1/returnees/{rid}/documents/{document['id']}/content", document["id"]) in reads


def test_the_export_holds_the_documents_with_where_their_bytes_are(case, auth):
    client, _, headers, rid = case
    document = upload(client, headers, rid).json
    exported = client.get(f"/v1/returnees/{rid}/export", headers=auth("admin")).json["services"]["intake"]["documents"]
    path = f"/v1/returnees/{rid}/documents/{document['id']}/content"
    assert exported == [{**document, "content": path}]
    assert client.get(path, headers=auth("admin")).data == PDF


def test_encrypted_at_rest_and_after_erasure_nothing_of_it_is_left_in_any_collection(case):
    client, service, headers, rid = case
    document = upload(client, headers, rid, title="cnrytitle42").json
    database = CaseDocument._get_db()

    def dumped() -> str:
        return "".join(json.dumps(list(database[name].find()), default=repr) for name in database.list_collection_names())

    before = dumped()
    assert "case_files.chunks" in database.list_collection_names() and document["id"] in before
    assert "cnrydoc42" not in before and "cnrytitle42" not in before  # sealed with the returnee's key
    assert client.delete(f"/v1/returnees/{rid}", headers=headers).status_code == 204
    service.audit.flush()
    assert service.repo.existing_personal_key(rid) is None
    for name in ("case_documents", "case_files.files", "case_files.chunks"):
        assert database[name].count_documents({}) == 0, name
    after = dumped()
    assert "cnrydoc42" not in after and "cnrytitle42" not in after
    assert client.get(f"/v1/returnees/{rid}/documents", headers=headers).status_code == 404
