"""The worklist follows need-to-know (services.intake.access.visible_to): a consultant sees and acts on the tasks
of the clients they read, and of the tasks given to them; another office's client's tasks are not theirs."""
from __future__ import annotations

from services.intake import offices
from tests.unit.intake.returnees import register

QUERY = {"due_before": "2027-12-31"}


def test_a_consultant_sees_the_tasks_of_their_caseload_only_and_of_what_was_given_to_them(intake, auth):
    client, _, admin = intake[0], intake[1], auth("admin")
    first, second = sorted(offices.offices())[:2]
    rid = register(client, admin, consultant="web:anna", office=first).json["id"]
    anna = auth("consultant", sub="web:anna")  # follows the client, no offices
    colleague = auth("consultant", sub="web:bram", offices=(first,))  # the client's office
    stranger = auth("consultant", sub="web:carla", offices=(second,))
    mine = client.get("/v1/tasks", query_string=QUERY, headers=anna).json["items"]
    assert mine and {t["returnee_id"] for t in mine} == {rid}
    assert client.get("/v1/tasks", query_string=QUERY, headers=colleague).json["items"] == mine
    assert client.get("/v1/tasks", query_string=QUERY, headers=stranger).json["items"] == []
    assert len(client.get("/v1/tasks", query_string=QUERY, headers=admin).json["items"]) == len(mine)
    task = mine[0]["id"]
    assert client.post(f"/v1/tasks/{task}/done", headers=stranger).status_code == 404
    given = client.post(f"/v1/tasks/{task}/reassign", json={"to": "web:carla"}, headers=anna)
    assert given.status_code == 200 and given.json["owner"] == "web:carla"
    seen = client.get("/v1/tasks", query_string=QUERY, headers=stranger).json["items"]
    assert [t["id"] for t in seen] == [task]  # given to her: hers to see and to close
    assert client.post(f"/v1/tasks/{task}/done", headers=stranger).status_code == 200
