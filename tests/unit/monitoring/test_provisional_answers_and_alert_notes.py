"""Issue 16: a check-in for a case monitoring does not know yet is a provisional answer (not stored under
its Idempotency-Key, retried with the same key once the case exists); every stored answer is replayed
byte for byte, a full problem document where it is an error; the note typed on acknowledge is kept."""
from __future__ import annotations

import pytest

from services.monitoring.handlers import note_handover_requested, start_monitoring
from shared.events import new_event
from tests.unit.monitoring.checkin_requests import ARRIVED, body, post

NOT_YET = "https://homeward.example/problems/case-not-known-yet"
PROBLEM = "application/problem+json"


def arrive(service, clock, rid: str, org: str = "prt_own") -> None:
    start_monitoring(service.deps, new_event("partners", "returnee.arrived.v1", rid, {
        "returnee_id": rid, "partner_id": org, "country": "NG", "arrived_on": ARRIVED.isoformat(),
        "handover_id": "h"}, clock.now()))


def stored_key(service, scope: str, key: str):
    """The answer kept under a key: recorded in its case with the check-in's write, and copied to the key
    store beside the requests (done here at once)."""
    service.history_feed.run_once()
    return service.idempotency.documents.objects(id=f"{scope}:{key}").first()


def assert_not_yet(response):
    assert response.status_code == 404, response.get_data(as_text=True)
    assert response.mimetype == PROBLEM
    problem = response.json
    assert problem["type"] == NOT_YET and problem["status"] == 404 and problem["title"] and problem["detail"]
    assert int(response.headers["Retry-After"]) > 0
    assert problem["retry_after"] == int(response.headers["Retry-After"])


def assert_same_bytes(first, again):
    assert again.status_code == first.status_code
    assert again.headers["Content-Type"] == first.headers["Content-Type"]
    assert again.get_data() == first.get_data()


class TestACheckinBeforeTheCaseExists:
    def test_is_a_provisional_404_that_is_not_stored_and_the_same_key_succeeds_later(self, monitoring, clock):
        client, service, partner = monitoring
        early = body(returnee_id="rtn_early")
        assert_not_yet(post(client, partner, early, key="early"))
        assert stored_key(service, "org:prt_own", "early") is None
        assert_not_yet(post(client, partner, early, key="early"))  # still not known: asked again, not replayed
        arrive(service, clock, "rtn_early")
        created = post(client, partner, early, key="early")
        assert created.status_code == 201, created.json
        assert_same_bytes(created, post(client, partner, early, key="early"))
        assert len(service.repo.get("rtn_early")["checkins"]) == 1

    def test_a_case_still_awaiting_arrival_is_not_known_yet_to_the_partner(self, monitoring, clock):
        client, service, partner = monitoring
        note_handover_requested(service.deps, new_event("intake", "returnee.handover_requested.v1", "rtn_waiting", {
            "returnee_id": "rtn_waiting", "handover_id": "hnd_1", "partner_id": "prt_own",
            "country_of_return": "NG"}, clock.now()))
        waiting = body(returnee_id="rtn_waiting")
        assert_not_yet(post(client, partner, waiting, key="w"))
        arrive(service, clock, "rtn_waiting")
        assert post(client, partner, waiting, key="w").status_code == 201

    def test_another_organisations_case_answers_exactly_like_one_not_known_yet(self, monitoring):
        client, service, partner = monitoring
        other, nobody = post(client, partner, body(returnee_id="rtn_other"), key="o"), \
            post(client, partner, body(returnee_id="rtn_nobody"), key="n")
        assert_not_yet(other)
        assert_not_yet(nobody)
        assert {k: v for k, v in other.json.items() if k != "request_id"} == \
            {k: v for k, v in nobody.json.items() if k != "request_id"}
        assert stored_key(service, "org:prt_own", "o") is None

    def test_a_consultant_gets_the_same_provisional_answer(self, monitoring, auth, clock):
        client, service, _ = monitoring
        consultant = auth("consultant")
        early = body(returnee_id="rtn_later")
        assert_not_yet(post(client, consultant, early, key="c"))
        arrive(service, clock, "rtn_later")
        assert post(client, consultant, early, key="c").status_code == 201

    def test_the_same_key_with_another_body_is_still_422_once_an_answer_is_stored(self, monitoring, clock):
        client, service, partner = monitoring
        assert_not_yet(post(client, partner, body(returnee_id="rtn_early"), key="k"))
        arrive(service, clock, "rtn_early")
        assert post(client, partner, body(returnee_id="rtn_early"), key="k").status_code == 201
        assert post(client, partner, body(returnee_id="rtn_early", notes="other"), key="k").status_code == 422


class TestReplays:
    def test_a_stored_refusal_is_replayed_byte_for_byte_as_a_problem_document(self, monitoring):
        client, service, partner = monitoring
        refused = body(contact_date="2026-01-01", support_delivered=[])  # before arrival: the plan refuses it
        first = post(client, partner, refused, key="bad")
        assert first.status_code == 422 and first.mimetype == PROBLEM
        assert "contact_date" in first.json["errors"]
        assert stored_key(service, "org:prt_own", "bad") is not None
        again = post(client, partner, refused, key="bad")
        assert_same_bytes(first, again)
        assert again.json["type"] and again.json["status"] == 422 and again.json["detail"]

    def test_a_stored_success_is_replayed_byte_for_byte(self, monitoring):
        client, _, partner = monitoring
        first = post(client, partner, body(), key="ok")
        assert first.status_code == 201
        assert_same_bytes(first, post(client, partner, body(), key="ok"))


class TestBatchItems:
    def batch(self, client, headers, items):
        response = client.post("/v1/checkins/batch", json={"items": items}, headers=headers)
        assert response.status_code == 200, response.json
        return response.json["results"]

    def test_an_item_not_known_yet_carries_the_problem_and_is_stored_once_when_resent_later(self, monitoring, clock):
        client, service, partner = monitoring
        items = [{"idempotency_key": "i1", "checkin": body()},
                 {"idempotency_key": "i2", "checkin": body(returnee_id="rtn_early")}]
        first = self.batch(client, partner, items)
        assert [r["status"] for r in first] == [201, 404]
        assert first[1]["error"]["type"] == NOT_YET and first[1]["error"]["retry_after"] > 0
        assert "checkin" not in first[1]
        assert stored_key(service, "org:prt_own", "i2") is None
        arrive(service, clock, "rtn_early")
        second = self.batch(client, partner, items)
        assert [r["status"] for r in second] == [201, 201]
        assert second[0] == first[0]
        assert self.batch(client, partner, items) == second
        assert len(service.repo.get("rtn_early")["checkins"]) == 1
        assert len(service.repo.get("rtn_own")["checkins"]) == 1

    def test_a_stored_refusal_of_an_item_is_replayed_as_the_same_problem(self, monitoring):
        client, _, partner = monitoring
        items = [{"idempotency_key": "x1", "checkin": body(contact_date="2026-01-01", support_delivered=[])}]
        first = self.batch(client, partner, items)
        assert first[0]["status"] == 422 and first[0]["error"]["status"] == 422
        assert "contact_date" in first[0]["error"]["errors"]
        again = self.batch(client, partner, items)
        assert again == first
        single = post(client, partner, items[0]["checkin"], key="x1")  # the same key, one at a time
        assert single.status_code == 422 and single.mimetype == PROBLEM and single.json == first[0]["error"]


class TestAcknowledgeNote:
    def test_the_note_typed_on_acknowledge_is_kept_and_answered(self, monitoring, auth):
        client, _, _ = monitoring
        consultant = auth("admin")  # reads every client's alerts (the cases follow nobody)
        alert = client.get("/v1/alerts?status=open&returnee_id=rtn_own", headers=consultant).json["items"][0]
        acted = client.post(f"/v1/alerts/{alert['id']}/acknowledge", json={"note": "Called her, visiting Friday"},
                            headers=consultant)
        assert acted.status_code == 200
        assert acted.json["acknowledged_note"] == "Called her, visiting Friday"
        assert acted.json["acknowledged_by"] and acted.json["acknowledged_at"]
        listed = client.get("/v1/alerts?status=acknowledged&returnee_id=rtn_own", headers=consultant).json["items"]
        assert [a["acknowledged_note"] for a in listed if a["id"] == alert["id"]] == ["Called her, visiting Friday"]
        case = client.get("/v1/cases/rtn_own", headers=consultant).json
        assert [a["acknowledged_note"] for a in case["alerts"] if a["id"] == alert["id"]] == \
            ["Called her, visiting Friday"]

    def test_resolving_later_keeps_the_acknowledge_note_beside_the_resolution(self, monitoring, auth):
        client, _, _ = monitoring
        consultant = auth("admin")  # reads every client's alerts (the cases follow nobody)
        alert = client.get("/v1/alerts?status=open&returnee_id=rtn_own", headers=consultant).json["items"][0]
        client.post(f"/v1/alerts/{alert['id']}/acknowledge", json={"note": "On it"}, headers=consultant)
        resolved = client.post(f"/v1/alerts/{alert['id']}/resolve", json={"note": "Visited"}, headers=consultant).json
        assert (resolved["acknowledged_note"], resolved["resolution"]) == ("On it", "Visited")


@pytest.mark.parametrize("note", ["", "Will call"])
def test_the_timeline_shows_the_acknowledge_note(note):
    from services.web.timeline import build_timeline

    alert = {"id": "alr_1", "type": "index_drop", "raised_at": "2026-04-02T10:00:00Z",
             "acknowledged_at": "2026-04-03T08:00:00Z", "acknowledged_note": note, "resolved_at": None}
    entry = next(e for e in build_timeline({}, {"alerts": [alert]}) if e["kind"] == "alert_acknowledged")
    assert entry["note"] == note
