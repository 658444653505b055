"""The perspective plan (issue 20, item 3) and the worklist derived from the file (item 6): versions with what
changed and why, fixing, sealed at rest, the partner's sealed copy, project leads refused, erased with the key;
the tasks' due dates, their state kept by identity, the durations as configuration."""
from __future__ import annotations

import io
import json

import pytest

from services.intake import offices, tasks
from services.intake.config import IntakeConfig
from services.intake.events import RETURNEE_UPDATED
from services.intake.plan_repository import PlanVersion
from services.intake.tasks_repository import TaskRow
from shared import sealing
from tests.unit.intake.returnees import register, stored

GOALS = [{"domain": "housing", "goal": "Zqplan: een kamer bij zijn oom in Adama", "needed": "huur voor drie maanden",
          "who": "partner", "deadline": "2026-06-30"},
         {"domain": "economic", "goal": "Een eigen koffiekraam", "who": "client", "deadline": "2026-09-01",
          "status": "in_progress"}]


@pytest.fixture
def case(intake):
    client, service, headers = intake
    office = next(iter(offices.offices()))  # the fixture's consultant reads every office (need-to-know)
    return client, service, headers, register(client, headers, consultant="anna", office=office).json["id"]


def put(client, headers, rid, goals, **extra):
    return client.put(f"/v1/returnees/{rid}/plan", json={"goals": goals, **extra}, headers=headers)


def test_a_plan_is_written_fixed_and_changed_with_its_reason_as_a_new_version(case):
    client, _, headers, rid = case
    assert client.get(f"/v1/returnees/{rid}/plan", headers=headers).json["version"] == 0
    first = put(client, headers, rid, GOALS)
    assert first.status_code == 200, first.json
    assert first.json["version"] == 1 and [g["status"] for g in first.json["goals"]] == ["open", "in_progress"]
    assert [c["change"] for c in first.json["changes"]] == ["added", "added"]
    fixed = client.post(f"/v1/returnees/{rid}/plan/fix", json={"fixed_on": "2026-03-02"}, headers=headers)
    assert fixed.status_code == 200 and fixed.json["fixed_on"] == "2026-03-02" and fixed.json["fixed_version"] == 1
    again = client.post(f"/v1/returnees/{rid}/plan/fix", json={"fixed_on": "2026-03-02"}, headers=headers)
    assert again.status_code == 409
    goals = [{**goal} for goal in first.json["goals"]]
    goals[0]["status"] = "achieved"
    refused = put(client, headers, rid, goals)
    assert refused.status_code == 422 and refused.json["error_codes"] == {"reason": "reason_required"}
    second = put(client, headers, rid, goals[:1], reason="Kamer gevonden; kraam valt af", version=1)
    assert second.status_code == 200, second.json
    assert second.json["version"] == 2 and second.json["fixed_on"] is None and second.json["fixed_version"] == 1
    assert second.json["changes"] == [{"goal": goals[0]["id"], "change": "changed", "fields": ["status"]},
                                      {"goal": goals[1]["id"], "change": "removed", "fields": []}]
    stale = put(client, headers, rid, goals, reason="x", version=1)
    assert stale.status_code == 409
    versions = client.get(f"/v1/returnees/{rid}/plan/versions", headers=headers).json["items"]
    assert [(v["version"], v["fixed_on"], v["reason"]) for v in versions] == [
        (1, "2026-03-02", None), (2, None, "Kamer gevonden; kraam valt af")]


def test_the_goals_and_reasons_are_sealed_at_rest_and_project_leads_are_refused(case, auth):
    client, _, headers, rid = case
    put(client, headers, rid, GOALS)
    assert "Zqplan" not in json.dumps(list(PlanVersion.objects.as_pymongo()), default=str)
    lead = auth("project_lead")
    for path in ("plan", "plan/versions"):
        assert client.get(f"/v1/returnees/{rid}/{path}", headers=lead).status_code == 403
    assert put(client, lead, rid, GOALS).status_code == 403
    assert client.get("/v1/tasks", headers=lead).status_code == 403


def test_fixing_sends_the_partner_the_fixed_plan_sealed_in_the_profile(case):
    client, service, headers, rid = case
    put(client, headers, rid, GOALS)
    client.post(f"/v1/returnees/{rid}/plan/fix", json={"fixed_on": "2026-03-02"}, headers=headers)
    event = [json.loads(e["value"]) for e in stored(rid)["outbox"] if e["type"] == RETURNEE_UPDATED][-1]
    assert event["data"]["changed"] == ["perspective_plan"] and "Zqplan" not in json.dumps(event)
    profile = sealing.unseal(service.repo.existing_personal_key(rid), event["data"]["profile"])
    assert profile["perspective_plan"]["fixed_on"] == "2026-03-02"
    assert profile["perspective_plan"]["goals"][0]["goal"].startswith("Zqplan")


def test_the_worklist_holds_the_evaluation_six_months_on_and_the_goal_deadlines(case):
    client, _, headers, rid = case
    query = {"consultant": "anna", "due_before": "2027-12-31"}
    put(client, headers, rid, GOALS)
    before = client.get("/v1/tasks", query_string=query, headers=headers).json["items"]
    assert [(t["kind"], t["due_on"]) for t in before] == [("how_next", "2027-08-19"), ("guidance_term", "2027-09-02")]
    client.post(f"/v1/returnees/{rid}/plan/fix", json={"fixed_on": "2026-03-02"}, headers=headers)
    items = client.get("/v1/tasks", query_string=query, headers=headers).json["items"]
    assert [(t["kind"], t["due_on"]) for t in items] == [
        ("goal_deadline", "2026-06-30"), ("goal_deadline", "2026-09-01"), ("plan_evaluation", "2026-09-02"),
        ("how_next", "2027-08-19"), ("guidance_term", "2027-09-02")]  # soonest first
    assert all(t["returnee_id"] == rid and t["owner"] == "anna" and t["state"] == "open" for t in items)
    assert client.get("/v1/tasks", query_string={**query, "consultant": "bram"}, headers=headers).json["items"] == []
    soon = client.get("/v1/tasks", query_string={**query, "due_before": "2026-07-01"}, headers=headers).json["items"]
    assert [t["kind"] for t in soon] == ["goal_deadline"]


def test_a_task_is_done_postponed_or_reassigned_and_keeps_that_state_when_derived_again(case):
    client, service, headers, rid = case
    put(client, headers, rid, GOALS)
    client.post(f"/v1/returnees/{rid}/plan/fix", json={"fixed_on": "2026-03-02"}, headers=headers)
    query = {"consultant": "anna", "due_before": "2026-12-31"}
    evaluation = next(t for t in client.get("/v1/tasks", query_string=query, headers=headers).json["items"]
                      if t["kind"] == "plan_evaluation")
    moved = client.post(f"/v1/tasks/{evaluation['id']}/postpone", headers=headers,
                        json={"until": "2027-01-15", "reason": "Zqtask: cliënt in het ziekenhuis"})
    assert moved.status_code == 200 and moved.json["state"] == "postponed" and moved.json["due_on"] == "2027-01-15"
    assert moved.json["postpone_reason"] == "Zqtask: cliënt in het ziekenhuis"
    assert "Zqtask" not in json.dumps(list(TaskRow.objects.as_pymongo()), default=str)
    assert evaluation["id"] not in [t["id"] for t in client.get("/v1/tasks", query_string=query, headers=headers).json["items"]]
    tasks.refresh(service.deps, rid)  # derived again after another write: same id, state kept
    assert client.get("/v1/tasks", query_string={**query, "due_before": "2027-01-31"}, headers=headers).json[
        "items"][-1]["id"] == evaluation["id"]
    goal = next(t for t in client.get("/v1/tasks", query_string=query, headers=headers).json["items"]
                if t["kind"] == "goal_deadline")
    given = client.post(f"/v1/tasks/{goal['id']}/reassign", json={"to": "bram"}, headers=headers)
    assert given.json["owner"] == "bram"
    assert [t["id"] for t in client.get("/v1/tasks", query_string={**query, "consultant": "bram"},
                                        headers=headers).json["items"]] == [goal["id"]]
    assert client.post(f"/v1/tasks/{goal['id']}/done", headers=headers).json["state"] == "done"
    assert client.get("/v1/tasks", query_string={**query, "consultant": "bram"}, headers=headers).json["items"] == []


def test_erasure_leaves_no_plan_and_no_task(case, auth):
    client, _, headers, rid = case
    put(client, headers, rid, GOALS)
    client.post(f"/v1/returnees/{rid}/plan/fix", json={"fixed_on": "2026-03-02"}, headers=headers)
    export = client.get(f"/v1/returnees/{rid}/export", headers=auth("admin")).json
    assert export["services"]["intake"]["perspective_plan"][0]["goals"][0]["goal"].startswith("Zqplan")
    assert client.delete(f"/v1/returnees/{rid}", headers=auth("admin")).status_code in (200, 204)
    assert not PlanVersion.objects(returnee_id=rid).count() and not TaskRow.objects(returnee_id=rid).count()


def test_the_durations_are_configuration():
    settings = IntakeConfig.from_env({"TASK_EVALUATION_MONTHS": "3", "TASK_HOW_NEXT_DAYS": "21"}).tasks
    assert (settings.evaluation_months, settings.how_next_days, settings.guidance_months) == (3, 21, 18)


def test_a_planned_support_line_names_the_goal_it_serves(intake):
    client, _, headers = intake
    goal = "gol_01J0000000000000000000000A"
    plan = {"goals": {}, "planned_support": [{"type": "housing", "amount": 300, "goal": goal}, {"type": "business"}]}
    rid = register(client, headers, reintegration_plan=plan).json["id"]
    assert put(client, headers, rid, [{**GOALS[0], "id": goal}]).json["goals"][0]["id"] == goal
    lines = client.get(f"/v1/returnees/{rid}", headers=headers).json["reintegration_plan"]["planned_support"]
    assert [line["goal"] for line in lines] == [goal, None]
    refused = register(client, headers, reintegration_plan={"planned_support": [{"type": "housing", "goal": "x"}]})
    assert refused.status_code == 422 and "reintegration_plan.planned_support.0.goal" in refused.json["errors"]


def test_an_expiring_travel_document_is_a_task_until_it_is_deleted(case):
    client, _, headers, rid = case
    form = {"kind": "travel_document", "title": "Paspoort", "expires_on": "2026-06-30",
            "file": (io.BytesIO(b"%PDF-1.4 scan"), "a.pdf")}
    document = client.post(f"/v1/returnees/{rid}/documents", data=form, headers=headers,
                           content_type="multipart/form-data").json
    query = {"consultant": "anna", "due_before": "2026-12-31"}
    items = client.get("/v1/tasks", query_string=query, headers=headers).json["items"]
    assert [(t["kind"], t["due_on"], t["document_id"]) for t in items] == [
        ("document_expiry", "2026-05-01", document["id"])]  # TASK_DOCUMENT_NOTICE_DAYS (60) before it expires
    assert client.delete(f"/v1/returnees/{rid}/documents/{document['id']}", headers=headers).status_code == 204
    assert client.get("/v1/tasks", query_string=query, headers=headers).json["items"] == []


def test_the_back_fill_derives_the_worklist_of_a_file_written_before_tasks_existed(case):
    client, service, headers, rid = case
    put(client, headers, rid, GOALS)
    client.post(f"/v1/returnees/{rid}/plan/fix", json={"fixed_on": "2026-03-02"}, headers=headers)
    query = {"consultant": "anna", "due_before": "2027-12-31"}
    kinds = [t["kind"] for t in client.get("/v1/tasks", query_string=query, headers=headers).json["items"]]
    TaskRow.objects(returnee_id=rid).delete()  # as stored before tasks existed
    assert client.get("/v1/tasks", query_string=query, headers=headers).json["items"] == []
    assert tasks.backfill(service.deps) == 1
    after = client.get("/v1/tasks", query_string=query, headers=headers).json["items"]
    assert [t["kind"] for t in after] == kinds and "plan_evaluation" in kinds
    assert tasks.backfill(service.deps) == 0  # a file with rows is left as it is
