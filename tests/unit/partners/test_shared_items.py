"""Notes and documents shared with the partner holding the case (issue 20): kept on the handover opened with the
returnee's key, served to that partner only (another gets 404), removed when unshared and by erasure, a document's
bytes fetched from intake (with partners' service token) at the download, every read audited."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest
import responses

from services.partners.api import create_app
from services.partners.bootstrap import PartnersService
from services.partners.documents import AuditEntry
from services.partners.handlers import (drop_shared_item, erase_returnee, keep_shared_item, offer_handover,
                                        register_partner)
from services.partners.shared_items import IntakeSharedFiles
from shared import sealing
from shared.events import new_event
from tests.unit.conftest import FakeKeySource
from tests.unit.partners.stored import stored_handover

HANDOVER, RETURNEE = "hnd_01J00000000000000000000001", "rtn_01J00000000000000000000002"
INTAKE = "http://intake.test"
NOTE = {"text": "Gesprek over sharecanary42", "kind": "conversation", "contact_on": "2026-03-01", "mode": "phone"}
DOCUMENT = {"title": "Paspoort", "kind": "travel_document", "content_type": "application/pdf", "size": 9}
PDF = b"%PDF-1.4\n"
SHARED_AT = datetime(2026, 3, 2, 8, 0, tzinfo=timezone.utc)


@pytest.fixture
def setup(settings_for, clock, publisher, auth):
    keys = FakeKeySource()
    keys.keys[RETURNEE] = sealing.new_key()
    service = PartnersService(settings_for("partners"), clock=clock, publisher=publisher, key_source=keys,
                              shared_files=None, intake_url=INTAKE)
    service.deps.shared_files = IntakeSharedFiles(INTAKE, service.issuer)
    org = register_partner(service.deps, {"name": "P", "countries": ["NG"]})["_id"]
    other = register_partner(service.deps, {"name": "Q", "countries": ["NG"]})["_id"]
    offer_handover(service.deps, new_event("intake", "returnee.handover_requested.v1", RETURNEE, {
        "returnee_id": RETURNEE, "handover_id": HANDOVER, "partner_id": org, "country_of_return": "NG"}, clock.now()))
    client = create_app(service=service).test_client()
    return service, keys, client, auth("partner", org=org), auth("partner", org=other), org


def share(service, clock, org, item_id, item_type, content, key):
    keep_shared_item(service.deps, new_event("intake", "returnee.item_shared.v1", RETURNEE, {
        "returnee_id": RETURNEE, "item_id": item_id, "item_type": item_type, "handover_id": HANDOVER,
        "partner_id": org, "shared_at": SHARED_AT.isoformat(), "content": sealing.seal(key, RETURNEE, content)},
        clock.now()))


def unshare(service, clock, org, item_id):
    drop_shared_item(service.deps, new_event("intake", "returnee.item_unshared.v1", RETURNEE, {
        "returnee_id": RETURNEE, "item_id": item_id, "item_type": "note", "handover_id": HANDOVER, "partner_id": org},
        clock.now()))


class TestSharedWithThePartner:
    def test_a_shared_note_is_opened_and_served_to_the_partner_of_the_handover(self, setup, clock):
        service, keys, client, mine, _, org = setup
        share(service, clock, org, "not_1", "note", NOTE, keys.keys[RETURNEE])
        answer = client.get(f"/v1/handovers/{HANDOVER}/shared", headers=mine)
        assert answer.status_code == 200, answer.json
        (item,) = answer.json["items"]
        assert item["text"] == NOTE["text"] and item["type"] == "note" and item["readable"] is True
        assert (item["kind"], item["contact_on"], item["title"], item["content"]) == (
            "conversation", "2026-03-01", None, None)
        assert stored_handover(HANDOVER)["shared"][0]["content"]["text"] == NOTE["text"]

    def test_another_partner_gets_404(self, setup, clock):
        service, keys, client, _, theirs, org = setup
        share(service, clock, org, "not_1", "note", NOTE, keys.keys[RETURNEE])
        assert client.get(f"/v1/handovers/{HANDOVER}/shared", headers=theirs).status_code == 404
        assert client.get(f"/v1/handovers/{HANDOVER}/shared/doc_1/content", headers=theirs).status_code == 404

    def test_shared_again_the_newer_content_replaces_the_older(self, setup, clock):
        service, keys, client, mine, _, org = setup
        share(service, clock, org, "not_1", "note", NOTE, keys.keys[RETURNEE])
        share(service, clock, org, "not_1", "note", {**NOTE, "text": "corrected"}, keys.keys[RETURNEE])
        assert [i["text"] for i in client.get(f"/v1/handovers/{HANDOVER}/shared", headers=mine).json["items"]] == [
            "corrected"]

    def test_a_destroyed_key_means_nothing_is_kept(self, setup, clock):
        service, _, client, mine, _, org = setup
        share(service, clock, org, "not_1", "note", NOTE, sealing.new_key())
        assert client.get(f"/v1/handovers/{HANDOVER}/shared", headers=mine).json["items"] == []

    def test_unsharing_removes_it(self, setup, clock):
        service, keys, client, mine, _, org = setup
        share(service, clock, org, "not_1", "note", NOTE, keys.keys[RETURNEE])
        share(service, clock, org, "doc_1", "document", DOCUMENT, keys.keys[RETURNEE])
        unshare(service, clock, org, "not_1")
        assert [i["id"] for i in client.get(f"/v1/handovers/{HANDOVER}/shared", headers=mine).json["items"]] == ["doc_1"]

    def test_erasure_removes_every_shared_item(self, setup, clock):
        service, keys, client, mine, _, org = setup
        share(service, clock, org, "not_1", "note", NOTE, keys.keys[RETURNEE])
        erase_returnee(service.deps, new_event("intake", "returnee.erased.v1", RETURNEE, {"returnee_id": RETURNEE},
                                               clock.now()))
        assert stored_handover(HANDOVER)["shared"] == []
        assert "sharecanary42" not in repr(stored_handover(HANDOVER))

    def test_every_read_is_audited_by_person(self, setup, clock):
        service, keys, client, mine, _, org = setup
        client.get(f"/v1/handovers/{HANDOVER}/shared", headers=mine)
        service.audit.flush()
        assert [(e.path, e.returnee_id) for e in AuditEntry.objects(method="GET")] == [
            (f"/v1/handovers/{HANDOVER}/shared", RETURNEE)]


class TestSharedDocument:
    @responses.activate
    def test_the_bytes_come_from_intake_with_the_service_token_for_this_partner(self, setup, clock):
        service, keys, client, mine, _, org = setup
        share(service, clock, org, "doc_1", "document", DOCUMENT, keys.keys[RETURNEE])
        asked = responses.get(f"{INTAKE}/v1/returnees/{RETURNEE}/documents/doc_1/shared-content", body=PDF,
                              content_type="application/pdf",
                              match=[responses.matchers.query_param_matcher({"partner_id": org})])
        (item,) = client.get(f"/v1/handovers/{HANDOVER}/shared", headers=mine).json["items"]
        assert item["title"] == "Paspoort" and item["content"] == f"/v1/handovers/{HANDOVER}/shared/doc_1/content"
        got = client.get(item["content"], headers=mine)
        assert got.status_code == 200 and got.data == PDF and got.mimetype == "application/pdf"
        assert got.headers["Content-Disposition"] == 'attachment; filename="doc_1.pdf"'
        assert asked.call_count == 1
        assert asked.calls[0].request.headers["Authorization"].startswith("Bearer ")

    @responses.activate
    def test_unshared_at_intake_meanwhile_is_404_and_intake_down_is_503(self, setup, clock):
        service, keys, client, mine, _, org = setup
        share(service, clock, org, "doc_1", "document", DOCUMENT, keys.keys[RETURNEE])
        url = f"{INTAKE}/v1/returnees/{RETURNEE}/documents/doc_1/shared-content"
        responses.get(url, status=404)
        assert client.get(f"/v1/handovers/{HANDOVER}/shared/doc_1/content", headers=mine).status_code == 404
        responses.replace(responses.GET, url, status=502)
        down = client.get(f"/v1/handovers/{HANDOVER}/shared/doc_1/content", headers=mine)
        assert down.status_code == 503 and down.headers["Retry-After"] == "10"

    def test_a_note_has_no_content_to_download(self, setup, clock):
        service, keys, client, mine, _, org = setup
        share(service, clock, org, "not_1", "note", NOTE, keys.keys[RETURNEE])
        assert client.get(f"/v1/handovers/{HANDOVER}/shared/not_1/content", headers=mine).status_code == 404


def test_the_subject_export_lists_the_shared_items_of_each_handover(setup, clock, auth):
    service, keys, client, _, _, org = setup
    share(service, clock, org, "not_1", "note", NOTE, keys.keys[RETURNEE])
    held = client.get(f"/v1/subjects/{RETURNEE}", headers=auth("service", sub="intake"))
    assert held.status_code == 200
    (handover,) = held.json["handovers"]
    assert [(i["id"], i["text"]) for i in handover["shared"]] == [("not_1", NOTE["text"])]
