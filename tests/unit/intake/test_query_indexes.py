"""Every query intake's lists, searches, counts and reports send has an index declared in documents.py's
`meta`: the test records the filters that reach the store while it calls each of them, then checks each
against the declared indexes, so that MongoDB never scans a collection for a page, a count or a report."""
from __future__ import annotations

import io

import pytest

from services.intake import documents, plan_repository, tasks_repository
from services.intake.documents_repository import CaseDocument
from shared.embedded_store import EmbeddedCursor, IdIndexedCollection
from tests.unit.intake.returnees import register

MANAGED = {"return_organisations"}  # a managed list of a few, read whole: it does not grow with the caseload
UNSELECTIVE = ("$ne", "$nin", "$exists")  # conditions an index cannot narrow (erased != true)
LISTS = [{}, {"status": "registered"}, {"country": "NG"}, {"office": "amsterdam"}, {"consultant": "web:alice"},
         {"trajectory": "return_guidance"}, {"trajectory": "future_orientation"}, {"q": "obi"}, {"q": "ada obi"},
         {"attention": "true"}, {"attention": "true", "country": "NG"}, {"q": "ada", "status": "registered"},
         {"limit": 1}]
COUNTS = [{}, {"office": "amsterdam"}, {"trajectory": "future_orientation"}, {"consultant": "web:alice"}]
REPORTS = [("/v1/reports/quarterly", {"year": 2026, "quarter": 1}),
           ("/v1/reports/quarterly", {"year": 2026, "quarter": 1, "region": "west"}),
           ("/v1/reports/quarterly", {"year": 2026, "quarter": 1, "office": "utrecht"}),
           ("/v1/reports/programme", {}), ("/v1/reports/programme", {"office": "haarlem", "from": "2026-03-02"})]


def indexed_fields(document) -> set[str]:
    """The fields that lead a declared index (and `_id`, which MongoDB always indexes)."""
    return {"_id"} | {spec["fields"][0][0] for spec in document._meta["index_specs"]}


def served(query: dict, leading: set[str], limited: bool = False) -> bool:
    """True when an index narrows the query: a selective field leads an index, or each branch of its `$or` is
    served; a query without a selective field is served only as a page (`limited`), a walk of `_id` in order."""
    fields = [name for name, condition in query.items() if not name.startswith("$")
              and not (isinstance(condition, dict) and set(condition) & set(UNSELECTIVE))]
    for part in query.get("$and", ()):
        fields += [name for name in part if not name.startswith("$")]
    if any(name in leading for name in fields):
        return True
    if "$or" in query:
        return all(served(branch, leading) for branch in query["$or"])
    return not fields and limited


def lookup(query: dict) -> bool:
    """A read of documents by their ids (`_id` one value or a list): the `_id` index, whatever else."""
    ids = query.get("_id")
    return isinstance(ids, str) or (isinstance(ids, dict) and set(ids) <= {"$eq", "$in"})


@pytest.fixture
def recorded(monkeypatch):
    """(collection, filter, limited) of each read and count that reaches the store."""
    seen = []
    compute, count = EmbeddedCursor._compute_results, IdIndexedCollection.count_documents

    def recording_compute(self, with_limit_and_skip=False):
        seen.append((self.collection.name, dict(self._spec or {}), bool(with_limit_and_skip and self._limit)))
        return compute(self, with_limit_and_skip)

    def recording_count(self, filter, *args, **kwargs):  # noqa: A002 - pymongo's name
        seen.append((self.name, dict(filter or {}), False))
        return count(self, filter, *args, **kwargs)

    monkeypatch.setattr(EmbeddedCursor, "_compute_results", recording_compute)
    monkeypatch.setattr(IdIndexedCollection, "count_documents", recording_count)
    return seen


def test_the_rule_tells_a_scan_from_an_indexed_query():
    leading = indexed_fields(documents.Returnee)
    assert served({"erased": {"$ne": True}, "status": "registered"}, leading)
    assert served({"erased": {"$ne": True}, "_id": {"$gt": "rtn_1"}}, leading, limited=True)
    assert not served({"erased": {"$ne": True}}, leading)  # every returnee read: a scan
    assert not served({"erased": {"$ne": True}, "region": "Lagos"}, leading)
    assert not served({"$or": [{"status": "arrived"}, {"region": "Lagos"}]}, leading)


def unserved(recorded: list) -> list:
    """The recorded queries (not lookups by id) that no declared index serves; fails when none was recorded."""
    classes = {cls._meta["collection"]: cls
               for cls in [*vars(documents).values(), CaseDocument, *vars(plan_repository).values(),
                           *vars(tasks_repository).values()]
               if isinstance(cls, type) and issubclass(cls, documents.Document) and "collection" in cls._meta}
    shapes = {(name, repr(query)): (query, limited) for name, query, limited in recorded
              if name in classes and name not in MANAGED and not lookup(query)}
    assert shapes, "no query was recorded"
    return [(name, query) for (name, _), (query, limited) in shapes.items()
            if not served(query, indexed_fields(classes[name]), limited)]


def test_every_list_and_search_query_has_its_index(intake, auth, recorded):
    client, _, headers = intake
    for office in ("amsterdam", None):
        register(client, headers, family_name="Obi", country_of_return="NG", office=office)
    recorded.clear()
    cursor = client.get("/v1/returnees?limit=1", headers=headers).json["next_cursor"]
    for query in LISTS + [{"cursor": cursor}, {"cursor": cursor, "q": "obi"}]:
        assert client.get("/v1/returnees", query_string=query, headers=headers).status_code == 200, query
    assert unserved(recorded) == []


def test_every_count_and_report_reads_its_read_models_by_id(intake, caseload, auth, recorded):
    client, _, headers = intake
    lead = auth("project_lead")
    recorded.clear()
    for query in COUNTS:
        assert client.get("/v1/returnees/counts", query_string=query, headers=headers).status_code == 200, query
    for path, query in REPORTS:
        assert client.get(path, query_string=query, headers=lead).status_code == 200, (path, query)
    assert unserved(recorded) == []
    assert {name for name, _, _ in recorded} <= {"read_models", "return_organisations", "audit"}  # no returnee read


def test_the_notes_list_and_search_have_their_index(intake, recorded):
    client, _, headers = intake
    rid = register(client, headers).json["id"]
    for text in ("Gesprek met de advocaat", "Telefonisch contact"):
        body = {"text": text, "kind": "conversation", "mode": "phone", "contact_on": "2026-03-02"}
        assert client.post(f"/v1/returnees/{rid}/notes", json=body, headers=headers).status_code == 201
    recorded.clear()
    cursor = client.get(f"/v1/returnees/{rid}/notes?limit=1", headers=headers).json["next_cursor"]
    for query in ({}, {"q": "advocaat"}, {"q": "gesprek advocaat"}, {"cursor": cursor}, {"cursor": cursor, "q": "x"}):
        assert client.get(f"/v1/returnees/{rid}/notes", query_string=query, headers=headers).status_code == 200
    assert any(name == "notes" for name, _, _ in recorded)
    assert unserved(recorded) == []


def test_the_import_finds_known_client_references_by_their_index(intake, auth, recorded):
    """A caseload file's rows are matched on client_ref: on MongoDB that look-up must not scan the returnees."""
    client, _, headers = intake
    admin = auth("admin")
    template = client.get("/v1/returnees/import/template?format=csv", headers=admin)
    assert template.status_code == 200
    recorded.clear()
    preview = client.post("/v1/returnees/import?dry_run=true", data=template.data, headers={
        **admin, "Content-Type": "application/octet-stream"})
    assert preview.status_code == 200, preview.json
    assert any(name == "returnees" and "client_ref" in query for name, query, _ in recorded), recorded
    assert unserved(recorded) == []


def test_the_documents_list_has_its_index(intake, recorded):
    client, _, headers = intake
    rid = register(client, headers).json["id"]
    for title in ("Paspoort", "Toestemming"):
        form = {"kind": "other", "title": title, "file": (io.BytesIO(b"%PDF-1.4 x"), "a.pdf")}
        assert client.post(f"/v1/returnees/{rid}/documents", data=form, headers=headers).status_code == 201
    recorded.clear()
    cursor = client.get(f"/v1/returnees/{rid}/documents?limit=1", headers=headers).json["next_cursor"]
    assert client.get(f"/v1/returnees/{rid}/documents", query_string={"cursor": cursor}, headers=headers).status_code == 200
    assert any(name == "case_documents" for name, _, _ in recorded)
    assert unserved(recorded) == []


def test_the_housekeeping_finds_expired_import_runs_by_their_index():
    """The intake worker's import-runs job deletes by `updated_at` (ImportRepository.remove_before)."""
    assert "updated_at" in indexed_fields(documents.ImportRun)


def test_the_plan_and_the_worklist_have_their_indexes(intake, recorded):
    client, _, headers = intake
    rid = register(client, headers).json["id"]
    goals = [{"domain": "housing", "goal": "Een kamer", "who": "client", "deadline": "2026-06-30"}]
    assert client.put(f"/v1/returnees/{rid}/plan", json={"goals": goals}, headers=headers).status_code == 200
    assert client.post(f"/v1/returnees/{rid}/plan/fix", json={"fixed_on": "2026-03-02"}, headers=headers).status_code == 200
    recorded.clear()
    assert client.get(f"/v1/returnees/{rid}/plan/versions", headers=headers).status_code == 200
    for query in ({}, {"consultant": "test-consultant"}, {"due_before": "2027-01-01", "consultant": "x"}):
        assert client.get("/v1/tasks", query_string=query, headers=headers).status_code == 200
    assert {"plan_versions", "tasks"} <= {name for name, _, _ in recorded}


def test_the_glass_breaks_list_reads_by_its_indexes(intake, auth, recorded):
    """Need-to-know's log (services.intake.access): newest first, of everybody, one client or one person."""
    client, _, _ = intake
    rid = register(client, auth("admin")).json["id"]
    headers = {**auth("consultant", sub="web:other"), "X-Access-Reason": "standing in"}
    assert client.get(f"/v1/returnees/{rid}", headers=headers).status_code == 200
    recorded.clear()
    for query in ({}, {"returnee_id": rid}, {"who": "web:other"}):
        answer = client.get("/v1/access/glass-breaks", query_string=query, headers=auth("admin"))
        assert answer.status_code == 200 and len(answer.json["items"]) == 1, query
    assert unserved(recorded) == []
