"""The judgement before return (issue 20, item 4): recorded at a decision moment, listed oldest first, refused
with codes in the request's language, consultants and administrators only, the judgement sealed at rest, its
codes and scores (no text) to monitoring as `returnee.assessed.v1`, in the export, gone after erasure."""
from __future__ import annotations

import json

import pytest

from services.intake.assessments_repository import Assessment
from services.intake.documents import Returnee
from tests.unit.intake.returnees import register

BODY = {"assessed_on": "2026-03-02", "moment": "after_action_plan",
        "scores": {"economic": 2, "housing": 3, "social": 4, "health": 3, "resilience": 2},
        "documents": "applied_for", "safety": "some_risks", "judgement": "Terugkeer haalbaar met steun kanarie7c."}


@pytest.fixture
def case(intake, auth):
    client, service, headers = intake
    rid = register(client, headers).json["id"]
    return client, service, headers, rid


def assess(client, headers, rid, **fields):
    return client.post(f"/v1/returnees/{rid}/assessments", json={**BODY, **fields}, headers=headers)


def outbox_events(rid, type_):
    doc = Returnee.objects(id=rid).as_pymongo().first()
    return [e for e in doc.get("outbox", []) if e["type"] == type_]


def test_a_consultant_records_an_assessment_and_lists_it(case):
    client, _, headers, rid = case
    response = assess(client, headers, rid)
    assert response.status_code == 201, response.json
    made = response.json
    assert made["id"].startswith("asm_") and made["assessed_by"] == "test-consultant"
    assert made["scores"] == BODY["scores"] and made["judgement"] == BODY["judgement"]
    later = assess(client, headers, rid, assessed_on="2026-03-02", moment="at_end",
                   scores={"economic": 3, "housing": None}, judgement=None).json
    listed = client.get(f"/v1/returnees/{rid}/assessments", headers=headers).json["items"]
    assert [a["id"] for a in listed] == [made["id"], later["id"]] and listed[1]["scores"] == {"economic": 3}


def test_monitoring_hears_the_codes_and_scores_never_the_judgement(case):
    client, _, headers, rid = case
    assess(client, headers, rid)
    [event] = outbox_events(rid, "returnee.assessed.v1")
    data = json.loads(event["value"])["data"]
    assert data["scores"] == BODY["scores"] and data["moment"] == "after_action_plan"
    assert data["documents"] == "applied_for" and data["safety"] == "some_risks"
    assert "kanarie7c" not in json.dumps(event, default=str)


@pytest.mark.parametrize("fields, field, code", [
    ({"moment": "later"}, "moment", "one_of"), ({"scores": {"economic": 6}}, "scores.economic", "out_of_range"),
    ({"scores": {}}, "scores.economic", "no_scores"), ({"scores": {"wealth": 3}}, "scores.wealth", "unknown_field"),
    ({"documents": "lost"}, "documents", "one_of"), ({"safety": 3}, "safety", "invalid_string"),
    ({"assessed_on": "2026-01-01"}, "assessed_on", "before_registration")])
def test_bad_assessments_are_refused_with_the_field_and_its_code(case, fields, field, code):
    client, _, headers, rid = case
    response = assess(client, {**headers, "Accept-Language": "nl"}, rid, **fields)
    assert response.status_code == 422, response.json
    assert list(response.json["error_codes"]) == [field] and response.json["error_codes"][field] == code
    assert response.headers["Content-Language"] == "nl"


@pytest.mark.parametrize("role", ["project_lead", "partner"])
def test_project_leads_and_partners_get_no_assessments(case, auth, role):
    client, _, headers, rid = case
    assess(client, headers, rid)
    them = auth(role, org="prt_01J0000000000000000000000" if role == "partner" else None)
    assert client.get(f"/v1/returnees/{rid}/assessments", headers=them).status_code == 403
    assert assess(client, them, rid).status_code == 403


def test_the_judgement_is_sealed_at_rest_in_the_export_and_gone_after_erasure(case, auth):
    client, service, headers, rid = case
    made = assess(client, headers, rid).json
    stored = Assessment.objects(id=made["id"]).as_pymongo().first()
    assert "kanarie7c" not in json.dumps(stored, default=str)
    export = client.get(f"/v1/returnees/{rid}/export", headers=auth("admin")).json
    assert [a["judgement"] for a in export["services"]["intake"]["assessments"]] == [BODY["judgement"]]
    assert client.delete(f"/v1/returnees/{rid}", headers=headers).status_code == 204
    assert Assessment.objects(returnee_id=rid).count() == 0
    assert client.get(f"/v1/returnees/{rid}/assessments", headers=headers).status_code == 404
