"""Sharing one note or document with the partner holding the case (issue 20, "Privacy and access"): explicit, one
at a time, sealed on its way (`returnee.item_shared.v1`), 409 while no partner holds the case, unshared (and a
deleted document unshared) with `returnee.item_unshared.v1`, the bytes for the partners service only, for the
partner the document is shared with; consultants and administrators only; audited."""
from __future__ import annotations

import json

import pytest

from services.intake.documents import AuditEntry
from services.intake.handlers import follow_handover
from shared import sealing
from shared.events import new_event
from tests.unit.intake.test_documents_api import PDF, upload
from tests.unit.intake.returnees import PARTNER_P, PARTNER_Q, register, stored

NOTE = {"text": "Gesprek over sharecanary42 en de woning", "kind": "conversation", "with": ["client"],
        "mode": "phone", "contact_on": "2026-03-02"}


def accepted(client, service, headers, clock) -> tuple[str, str]:
    """A returnee whose handover to PARTNER_P is accepted: (returnee id, handover id)."""
    rid = register(client, headers).json["id"]
    handover_id = client.post(f"/v1/returnees/{rid}/handover", json={"partner_id": PARTNER_P},
                              headers=headers).json["handover"]["id"]
    follow_handover(service.deps, new_event("partners", "handover.accepted.v1", rid, {
        "returnee_id": rid, "handover_id": handover_id, "partner_id": PARTNER_P}, clock.now()))
    return rid, handover_id


def events(rid, type_):
    return [json.loads(e["value"]) for e in stored(rid)["outbox"] if e["type"] == type_]


@pytest.fixture
def case(intake, clock):
    client, service, headers = intake
    rid, handover_id = accepted(client, service, headers, clock)
    note_id = client.post(f"/v1/returnees/{rid}/notes", json=NOTE, headers=headers).json["id"]
    doc_id = upload(client, headers, rid, title="Paspoort sharecanary42").json["id"]
    return client, service, headers, rid, handover_id, note_id, doc_id


class TestSharing:
    def test_a_shared_note_travels_sealed_to_the_partner_holding_the_case(self, case):
        client, service, headers, rid, handover_id, note_id, _ = case
        answer = client.post(f"/v1/returnees/{rid}/notes/{note_id}/share", headers=headers)
        assert answer.status_code == 200, answer.json
        assert answer.json == {"item_id": note_id, "type": "note", "partner_id": PARTNER_P, "handover_id": handover_id,
                               "shared_at": answer.json["shared_at"], "shared_by": "test-consultant"}
        raw = [e["value"] for e in stored(rid)["outbox"] if e["type"] == "returnee.item_shared.v1"]
        assert len(raw) == 1 and "sharecanary42" not in raw[0]
        data = json.loads(raw[0])["data"]
        assert (data["item_id"], data["item_type"], data["partner_id"]) == (note_id, "note", PARTNER_P)
        opened = sealing.unseal(service.repo.existing_personal_key(rid), data["content"])
        assert opened == {"text": NOTE["text"], "kind": "conversation", "contact_on": "2026-03-02", "mode": "phone"}

    def test_a_shared_document_sends_its_metadata_sealed_and_never_its_bytes(self, case):
        client, service, headers, rid, _, _, doc_id = case
        assert client.post(f"/v1/returnees/{rid}/documents/{doc_id}/share", headers=headers).status_code == 200
        (event,) = events(rid, "returnee.item_shared.v1")
        assert "sharecanary42" not in json.dumps(event) and "%PDF" not in json.dumps(event)
        opened = sealing.unseal(service.repo.existing_personal_key(rid), event["data"]["content"])
        assert opened == {"title": "Paspoort sharecanary42", "kind": "travel_document",
                          "content_type": "application/pdf", "size": len(PDF)}

    def test_without_a_partner_holding_the_case_sharing_is_409(self, intake):
        client, _, headers = intake
        rid = register(client, headers).json["id"]
        note_id = client.post(f"/v1/returnees/{rid}/notes", json=NOTE, headers=headers).json["id"]
        client.post(f"/v1/returnees/{rid}/handover", json={"partner_id": PARTNER_P}, headers=headers)  # offered only
        refused = client.post(f"/v1/returnees/{rid}/notes/{note_id}/share", headers=headers)
        assert refused.status_code == 409 and refused.mimetype == "application/problem+json"
        assert not events(rid, "returnee.item_shared.v1")

    def test_an_unknown_note_or_document_is_404(self, case):
        client, _, headers, rid, *_ = case
        assert client.post(f"/v1/returnees/{rid}/notes/not_01JXXXXXXXXXXXXXXXXXXXXXXX/share",
                           headers=headers).status_code == 404
        assert client.post(f"/v1/returnees/{rid}/documents/doc_01JXXXXXXXXXXXXXXXXXXXXXXX/share",
                           headers=headers).status_code == 404

    @pytest.mark.parametrize("role", ["project_lead", "partner", "service"])
    def test_project_leads_and_partners_cannot_share(self, case, auth, role):
        client, _, _, rid, _, note_id, _ = case
        them = auth(role, org=PARTNER_P if role == "partner" else None)
        assert client.post(f"/v1/returnees/{rid}/notes/{note_id}/share", headers=them).status_code == 403
        assert client.delete(f"/v1/returnees/{rid}/notes/{note_id}/share", headers=them).status_code == 403

    def test_a_share_is_in_the_audit_log_by_person(self, case):
        client, service, headers, rid, _, note_id, _ = case
        client.post(f"/v1/returnees/{rid}/notes/{note_id}/share", headers=headers)
        service.audit.flush()
        entries = AuditEntry.objects(resource_id=note_id, method="POST").as_pymongo()
        assert [(e["path"], e["who"], e["returnee_id"]) for e in entries if e["path"].endswith("/share")] == [
            (f"/v1/returnees/{rid}/notes/{note_id}/share", "test-consultant", rid)]


class TestUnsharing:
    def test_unsharing_sends_the_removal_and_a_second_unshare_is_404(self, case):
        client, _, headers, rid, handover_id, note_id, _ = case
        client.post(f"/v1/returnees/{rid}/notes/{note_id}/share", headers=headers)
        assert client.delete(f"/v1/returnees/{rid}/notes/{note_id}/share", headers=headers).status_code == 204
        (event,) = events(rid, "returnee.item_unshared.v1")
        assert event["data"] == {"returnee_id": rid, "item_id": note_id, "item_type": "note",
                                 "handover_id": handover_id, "partner_id": PARTNER_P}
        assert client.delete(f"/v1/returnees/{rid}/notes/{note_id}/share", headers=headers).status_code == 404

    def test_deleting_a_shared_document_unshares_it(self, case):
        client, _, headers, rid, _, _, doc_id = case
        client.post(f"/v1/returnees/{rid}/documents/{doc_id}/share", headers=headers)
        assert client.delete(f"/v1/returnees/{rid}/documents/{doc_id}", headers=headers).status_code == 204
        assert [e["data"]["item_id"] for e in events(rid, "returnee.item_unshared.v1")] == [doc_id]


class TestSharedContent:
    def test_the_partners_service_gets_the_bytes_for_the_partner_it_is_shared_with_only(self, case, auth):
        client, _, headers, rid, _, _, doc_id = case
        path = f"/v1/returnees/{rid}/documents/{doc_id}/shared-content"
        service = auth("service", sub="partners")
        assert client.get(path, query_string={"partner_id": PARTNER_P}, headers=service).status_code == 404  # not yet
        client.post(f"/v1/returnees/{rid}/documents/{doc_id}/share", headers=headers)
        got = client.get(path, query_string={"partner_id": PARTNER_P}, headers=service)
        assert got.status_code == 200 and got.data == PDF and got.mimetype == "application/pdf"
        assert client.get(path, query_string={"partner_id": PARTNER_Q}, headers=service).status_code == 404
        assert client.get(path, query_string={"partner_id": PARTNER_P}, headers=headers).status_code == 403
        assert client.get(path, query_string={"partner_id": PARTNER_P},
                          headers=auth("service", sub="monitoring")).status_code == 403
        client.delete(f"/v1/returnees/{rid}/documents/{doc_id}/share", headers=headers)
        assert client.get(path, query_string={"partner_id": PARTNER_P}, headers=service).status_code == 404

    def test_after_consent_is_withdrawn_the_bytes_are_not_given(self, case, auth):
        client, _, headers, rid, _, _, doc_id = case
        client.post(f"/v1/returnees/{rid}/documents/{doc_id}/share", headers=headers)
        client.put(f"/v1/returnees/{rid}/consent", headers=headers,
                   json={"share_with_partner": False, "given_on": "2026-02-01"})
        assert client.get(f"/v1/returnees/{rid}/documents/{doc_id}/shared-content", query_string={
            "partner_id": PARTNER_P}, headers=auth("service", sub="partners")).status_code == 404

    def test_after_erasure_nothing_shared_is_readable(self, case, auth):
        client, _, headers, rid, _, note_id, doc_id = case
        client.post(f"/v1/returnees/{rid}/notes/{note_id}/share", headers=headers)
        client.post(f"/v1/returnees/{rid}/documents/{doc_id}/share", headers=headers)
        sealed = [e["data"]["content"] for e in events(rid, "returnee.item_shared.v1")]
        assert client.delete(f"/v1/returnees/{rid}", headers=headers).status_code == 204
        assert client.get(f"/v1/returnees/{rid}/documents/{doc_id}/shared-content", query_string={
            "partner_id": PARTNER_P}, headers=auth("service", sub="partners")).status_code == 404
        assert len(sealed) == 2 and client.get(f"/v1/personal-keys/{rid}",
                                               headers=auth("service", sub="partners")).status_code == 404
