"""The case file's notes (issue 20, item 1): written, listed newest first, searched, corrected with their
versions, refused to project leads and partners, sealed at rest, in the export, gone after erasure."""
from __future__ import annotations

import json

import pytest

from services.intake.documents import AuditEntry, Note
from tests.unit.intake.returnees import register

NOTE = {"text": "Gesprek over de terugkeer naar Addis; cliënt twijfelt nog.", "kind": "conversation",
        "with": ["client", "lawyer"], "mode": "in_person", "interpreter": True, "contact_on": "2026-03-02"}


@pytest.fixture
def case(intake, auth):
    client, service, headers = intake
    rid = register(client, headers).json["id"]
    return client, service, headers, rid


def write(client, headers, rid, **fields):
    return client.post(f"/v1/returnees/{rid}/notes", json={**NOTE, **fields}, headers=headers)


def test_a_consultant_writes_a_note_and_reads_it_back(case):
    client, _, headers, rid = case
    response = write(client, headers, rid)
    assert response.status_code == 201, response.json
    note = response.json
    assert note["id"].startswith("not_") and note["version"] == 1 and note["written_by"] == "test-consultant"
    assert note["text"] == NOTE["text"] and note["with"] == ["client", "lawyer"] and note["interpreter"] is True
    assert note["contact_on"] == "2026-03-02" and note["written_at"]
    again = client.get(f"/v1/returnees/{rid}/notes/{note['id']}", headers=headers).json
    assert again["text"] == NOTE["text"] and again["versions"] == []


def test_the_list_is_newest_first_a_page_at_a_time(case):
    client, _, headers, rid = case
    ids = [write(client, headers, rid, text=f"note {n}").json["id"] for n in range(5)]
    first = client.get(f"/v1/returnees/{rid}/notes?limit=2", headers=headers).json
    assert [n["id"] for n in first["items"]] == ids[:-3:-1]
    second = client.get(f"/v1/returnees/{rid}/notes", query_string={"limit": 2, "cursor": first["next_cursor"]},
                        headers=headers).json
    third = client.get(f"/v1/returnees/{rid}/notes", query_string={"limit": 2, "cursor": second["next_cursor"]},
                       headers=headers).json
    assert [n["id"] for n in second["items"] + third["items"]] == ids[2::-1] and third["next_cursor"] is None


def test_search_finds_whole_words_whatever_their_case_or_accents_within_the_client(case):
    client, _, headers, rid = case
    other = register(client, headers, client_ref="F-2").json["id"]
    wanted = write(client, headers, rid, text="Afspraak met de advocaat over het Dublin-besluit").json["id"]
    write(client, headers, rid, text="Telefonisch contact over de cliënt zijn medicatie")
    write(client, headers, other, text="Ook hier een ADVOCAAT")

    def found(q, returnee=rid):
        page = client.get(f"/v1/returnees/{returnee}/notes", query_string={"q": q}, headers=headers).json
        return [n["id"] for n in page["items"]]

    assert found("Advocaat dublin") == [wanted]
    assert len(found("CLIENT")) == 1  # cliënt, accent folded
    assert found("advocaat medicatie") == []  # every word, in one note
    assert found("advo") == []  # whole words
    assert len(found("advocaat", other)) == 1


def test_a_correction_is_a_new_version_the_earlier_text_shown_to_its_author_and_admins_only(case, auth):
    client, _, headers, rid = case
    note = write(client, headers, rid, text="Cliënt wil naar Gondar").json
    corrected = client.patch(f"/v1/returnees/{rid}/notes/{note['id']}", json={"text": "Cliënt wil naar Bahir Dar"},
                             headers=headers)
    assert corrected.status_code == 200, corrected.json
    assert corrected.json["version"] == 2 and corrected.json["text"] == "Cliënt wil naar Bahir Dar"
    assert [v["text"] for v in corrected.json["versions"]] == ["Cliënt wil naar Gondar"]
    path = f"/v1/returnees/{rid}/notes/{note['id']}"
    assert client.get(path, headers=auth("admin")).json["versions"][0]["version"] == 1
    colleague = auth("consultant", sub="colleague", caseload=["test-consultant"])  # in the author's team
    seen = client.get(path, headers=colleague).json
    assert seen["text"] == "Cliënt wil naar Bahir Dar" and "versions" not in seen
    assert client.patch(path, json={"text": "x"}, headers=colleague).status_code == 403
    listed = client.get(f"/v1/returnees/{rid}/notes?q=gondar", headers=headers).json["items"]
    assert listed == []  # the search looks in the current text


@pytest.mark.parametrize("role", ["project_lead", "partner", "service"])
def test_project_leads_and_partners_get_no_notes(case, auth, role):
    client, _, headers, rid = case
    note = write(client, headers, rid).json
    them = auth(role, org="prt_01J0000000000000000000000" if role == "partner" else None)
    assert client.get(f"/v1/returnees/{rid}/notes", headers=them).status_code == 403
    assert client.get(f"/v1/returnees/{rid}/notes/{note['id']}", headers=them).status_code == 403
    assert write(client, them, rid).status_code == 403


def test_every_read_is_in_the_audit_log_by_person(case, auth):
    client, service, headers, rid = case
    note = write(client, headers, rid).json
    client.get(f"/v1/returnees/{rid}/notes", headers=auth("consultant", sub="reader-one"))
    client.get(f"/v1/returnees/{rid}/notes/{note['id']}", headers=auth("admin", sub="reader-two"))
    service.audit.flush()
    reads = {(e.who, e.path, e.resource_id) for e in AuditEntry.objects(returnee_id=rid, method="GET")}
    assert ("reader-one", f"/v1/returnees/{rid}/notes", rid) in reads
    assert ("reader-two", f"/v1/returnees/{rid}/notes/{note['id']}", note["id"]) in reads


@pytest.mark.parametrize("lang, fragment", [("nl", "registratie"), ("fr", "enregistrement"), ("en", "registration")])
def test_a_contact_before_the_registration_is_refused_in_the_requests_language(case, lang, fragment):
    client, _, headers, rid = case
    response = write(client, {**headers, "Accept-Language": lang}, rid, contact_on="2026-01-01")
    assert response.status_code == 422
    assert fragment in json.dumps(response.json["errors"]["contact_on"], ensure_ascii=False).lower()


@pytest.mark.parametrize("fields, field", [({"text": ""}, "text"), ({"text": "x" * 20_001}, "text"),
                                           ({"kind": "letter"}, "kind"), ({"with": ["neighbour"]}, "with"),
                                           ({"mode": "fax"}, "mode"), ({"contact_on": "1999-12-31"}, "contact_on"),
                                           ({"contact_on": "2999-01-01"}, "contact_on")])
def test_bad_notes_are_refused_with_the_field_named(case, fields, field):
    client, _, headers, rid = case
    response = write(client, {**headers, "Accept-Language": "nl"}, rid, **fields)
    assert response.status_code == 422, response.json
    assert [name.split(".")[0] for name in response.json["errors"]] == [field], response.json
    assert response.json["detail"] == "Het verzoek bevat ongeldige velden."  # in the request's language


def test_the_text_is_sealed_at_rest_and_searchable_words_are_keyed_hashes(case):
    client, _, headers, rid = case
    note = write(client, headers, rid, text="kanarie Okafọr").json
    stored = json.dumps(Note.objects(id=note["id"]).as_pymongo().first(), default=str).lower()
    assert "kanarie" not in stored and "okafor" not in stored and "okafọr" not in stored
    assert client.get(f"/v1/returnees/{rid}/notes?q=OKAFOR", headers=headers).json["items"][0]["id"] == note["id"]


def test_the_export_holds_the_notes_with_their_versions(case, auth):
    client, _, headers, rid = case
    note = write(client, headers, rid, text="eerste tekst").json
    client.patch(f"/v1/returnees/{rid}/notes/{note['id']}", json={"text": "tweede tekst"}, headers=headers)
    export = client.get(f"/v1/returnees/{rid}/export", headers=auth("admin")).json
    exported = export["services"]["intake"]["notes"]
    assert [(n["text"], [v["text"] for v in n["versions"]]) for n in exported] == [("tweede tekst", ["eerste tekst"])]


def test_after_erasure_nothing_of_a_note_is_readable_in_any_store(case):
    client, service, headers, rid = case
    tag = "cnrynote7f3a"
    note = write(client, headers, rid, text=f"canary {tag}").json
    client.patch(f"/v1/returnees/{rid}/notes/{note['id']}", json={"text": f"corrected {tag}"}, headers=headers)
    stored = Note.objects(id=note["id"]).as_pymongo().first()
    secrets = [stored["text"]["ciphertext"], stored["versions"][0]["text"]["ciphertext"], *stored["words"]]
    assert client.delete(f"/v1/returnees/{rid}", headers=headers).status_code == 204
    service.audit.flush()
    assert client.get(f"/v1/returnees/{rid}/notes", headers=headers).status_code == 404
    assert service.repo.existing_personal_key(rid) is None  # shredded: no copy anywhere opens again
    database = Note._get_db()
    for name in database.list_collection_names():
        dumped = json.dumps(list(database[name].find()), default=str)
        assert tag not in dumped and not [s for s in secrets if s in dumped], name
