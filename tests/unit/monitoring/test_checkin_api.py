"""POST /v1/checkins and /v1/checkins/batch: validation, scoping, idempotency, batches."""
from __future__ import annotations

import threading

import pytest

from shared.events import new_event
from tests.unit.monitoring.checkin_requests import body, post


class TestRecordingACheckin:
    def test_a_partner_records_a_check_in_for_its_own_returnee(self, monitoring):
        client, _, partner = monitoring
        response = post(client, partner, body())
        assert response.status_code == 201
        assert response.json["index"] == pytest.approx((2 + 3 + 3 + 2 + 1) / 4 / 5)
        assert response.json["scheme_version"] == "2026.1"

    def test_another_organisations_returnee_answers_404(self, monitoring):
        client, _, partner = monitoring
        assert post(client, partner, body(returnee_id="rtn_other")).status_code == 404
        assert post(client, partner, body(returnee_id="rtn_nobody"), key="k-2").status_code == 404

    def test_a_consultant_may_record_for_anyone(self, monitoring, auth):
        client, _, _ = monitoring
        assert post(client, auth("consultant"), body(returnee_id="rtn_other")).status_code == 201

    def test_project_leads_may_not_write(self, monitoring, auth):
        client, _, _ = monitoring
        assert post(client, auth("project_lead"), body()).status_code == 403

    def test_the_idempotency_key_is_required(self, monitoring):
        client, _, partner = monitoring
        response = post(client, partner, body(), key=None)
        assert response.status_code == 400 and "Idempotency-Key" in response.json["errors"]

    @pytest.mark.parametrize("change,field", [
        ({"scores": {"economic": 6}}, "scores.economic"),
        ({"scores": {"economic": 0}}, "scores.economic"),
        ({"scores": {"wealth": 3}}, "scores.wealth"),
        ({"slot": "monthly"}, "slot"),
        ({"slot": 2}, "slot"),
        ({"contact_mode": "telepathy"}, "contact_mode"),
        ({"contact_made": False, "contact_mode": None, "scores": {}}, "reason"),
        ({"contact_made": False, "reason": "away"}, "scores"),
        ({"contact_date": "2026-01-01", "support_delivered": []}, "contact_date"),
        ({"contact_date": "2026-03-03"}, "contact_date"),
        ({"status": "missing"}, "status"),
        ({"support_delivered": [{"type": "gold"}]}, "support_delivered.0.type"),
        ({"mood": "good"}, "mood"),
    ])
    def test_invalid_check_ins_are_422_naming_the_field_and_store_nothing(self, monitoring, change, field):
        client, service, partner = monitoring
        response = post(client, partner, body(**change))
        assert response.status_code == 422, response.json
        assert field in response.json["errors"], response.json
        assert service.repo.get("rtn_own")["checkins"] == []

    def test_a_second_check_in_for_the_slot_is_409_unless_it_corrects_the_first(self, monitoring):
        client, service, partner = monitoring
        first = post(client, partner, body(), key="a").json
        assert post(client, partner, body(notes="again"), key="b").status_code == 409
        corrected = post(client, partner, body(notes="fixed", supersedes=first["id"]), key="c")
        assert corrected.status_code == 201
        case = client.get("/v1/cases/rtn_own", headers=partner).json
        assert case["slots"][0]["checkin"]["id"] == corrected.json["id"]
        assert [c["superseded_by"] for c in case["checkins"]] == [corrected.json["id"], None]


class TestIdempotency:
    def test_retries_with_the_same_key_and_body_create_one_check_in_and_identical_responses(self, monitoring):
        client, service, partner = monitoring
        responses = [post(client, partner, body(), key="same") for _ in range(3)]
        assert [r.status_code for r in responses] == [201, 201, 201]
        assert responses[0].json == responses[1].json == responses[2].json
        assert len(service.repo.get("rtn_own")["checkins"]) == 1

    def test_the_same_key_with_another_body_is_422(self, monitoring):
        client, service, partner = monitoring
        post(client, partner, body(), key="k")
        response = post(client, partner, body(notes="different"), key="k")
        assert response.status_code == 422 and "Idempotency-Key" in response.json["errors"]
        assert len(service.repo.get("rtn_own")["checkins"]) == 1

    def test_keys_are_scoped_per_client(self, monitoring, auth):
        client, service, partner = monitoring
        assert post(client, partner, body(), key="shared").status_code == 201
        other = post(client, auth("consultant"), body(slot="ad_hoc"), key="shared")
        assert other.status_code == 201 and other.json["slot"] == "ad_hoc"

    def test_a_request_still_in_flight_is_409(self, monitoring):
        client, service, partner = monitoring
        service.idempotency.begin("org:prt_own", "busy", _fingerprint(body()))
        response = post(client, partner, body(), key="busy")
        assert response.status_code == 409 and response.headers["Retry-After"] == "1"

    def test_concurrent_retries_create_one_check_in(self, monitoring):
        client, service, partner = monitoring
        results = []

        def send():
            results.append(post(client, partner, body(), key="race"))

        threads = [threading.Thread(target=send) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        codes = sorted(r.status_code for r in results)
        assert set(codes) <= {201, 409} and 201 in codes
        assert len({r.json["id"] for r in results if r.status_code == 201}) == 1
        assert len(service.repo.get("rtn_own")["checkins"]) == 1


def _fingerprint(data):
    from shared.idempotency import fingerprint

    return fingerprint(data)


class TestBatch:
    def test_a_batch_with_mixed_items_keeps_the_good_ones_and_reports_each_in_order(self, monitoring):
        client, service, partner = monitoring
        items = [
            {"idempotency_key": "b1", "checkin": body()},
            {"idempotency_key": "b2", "checkin": body(slot="ad_hoc", scores={"economic": 9})},
            {"idempotency_key": "b3", "checkin": body(returnee_id="rtn_other")},
            {"idempotency_key": "b4", "checkin": body(slot="ad_hoc", contact_date="2026-02-20")},
            {"idempotency_key": "b5", "checkin": body(notes="duplicate slot")},
        ]
        response = client.post("/v1/checkins/batch", json={"items": items}, headers=partner)
        assert response.status_code == 200
        results = response.json["results"]
        assert [r["idempotency_key"] for r in results] == ["b1", "b2", "b3", "b4", "b5"]
        assert [r["index"] for r in results] == [0, 1, 2, 3, 4]
        assert [r["status"] for r in results] == [201, 422, 404, 201, 409]
        assert "scores.economic" in results[1]["error"]["errors"]
        assert len(service.repo.get("rtn_own")["checkins"]) == 2

    def test_a_replayed_batch_creates_nothing_new(self, monitoring):
        client, service, partner = monitoring
        items = [{"idempotency_key": "r1", "checkin": body()}]
        first = client.post("/v1/checkins/batch", json={"items": items}, headers=partner).json
        second = client.post("/v1/checkins/batch", json={"items": items}, headers=partner).json
        assert first == second
        assert len(service.repo.get("rtn_own")["checkins"]) == 1

    def test_batches_over_the_limit_are_413(self, monitoring):
        client, service, partner = monitoring
        items = [{"idempotency_key": f"x{i}", "checkin": body(slot="ad_hoc")} for i in range(service.batch_max_items + 1)]
        assert client.post("/v1/checkins/batch", json={"items": items}, headers=partner).status_code == 413
        assert service.repo.get("rtn_own")["checkins"] == []

    def test_a_malformed_item_is_refused_alone_and_the_good_one_is_stored(self, monitoring):
        client, service, partner = monitoring
        response = client.post("/v1/checkins/batch", json={"items": [{"idempotency_key": "g1", "checkin": body()}, "x"]},
                               headers=partner)
        assert response.status_code == 200, response.json
        good, bad = response.json["results"]
        assert (good["index"], good["idempotency_key"], good["status"]) == (0, "g1", 201)
        assert (bad["index"], bad["idempotency_key"], bad["status"]) == (1, None, 422)
        assert bad["error"]["errors"] == {"items.1": "Not a valid mapping type."}
        assert "Item 1 " in bad["error"]["detail"]
        assert len(service.repo.get("rtn_own")["checkins"]) == 1

    def test_items_without_a_key_or_with_unknown_fields_get_their_own_problem(self, monitoring):
        client, service, partner = monitoring
        items = [{"checkin": body()}, {"idempotency_key": "u1", "checkin": body(), "extra": 1},
                 {"idempotency_key": "u2", "checkin": "not an object"}, {"idempotency_key": "u3", "checkin": body()}]
        response = client.post("/v1/checkins/batch", json={"items": items}, headers=partner)
        results = response.json["results"]
        assert [(r["index"], r["status"]) for r in results] == [(0, 422), (1, 422), (2, 422), (3, 201)]
        assert list(results[0]["error"]["errors"]) == ["items.0.idempotency_key"]
        assert list(results[1]["error"]["errors"]) == ["items.1.extra"] and results[1]["idempotency_key"] == "u1"
        assert list(results[2]["error"]["errors"]) == ["items.2.checkin"]
        assert len(service.repo.get("rtn_own")["checkins"]) == 1

    def test_a_null_item_is_refused_alone_like_any_other_that_is_not_an_object(self, monitoring):
        client, service, partner = monitoring
        items = [None, {"idempotency_key": "n1", "checkin": body()}]
        response = client.post("/v1/checkins/batch", json={"items": items}, headers=partner)
        assert response.status_code == 200, response.json
        assert [(r["index"], r["status"]) for r in response.json["results"]] == [(0, 422), (1, 201)]
        assert response.json["results"][0]["error"]["errors"] == {"items.0": "Not a valid mapping type."}

    @pytest.mark.parametrize("payload", [["x"], {"items": "x"}, {"items": []}, {}, {"items": [body()], "more": 1}])
    def test_a_body_that_is_not_a_list_of_items_is_refused_whole(self, monitoring, payload):
        client, service, partner = monitoring
        assert client.post("/v1/checkins/batch", json=payload, headers=partner).status_code == 422
        assert service.repo.get("rtn_own")["checkins"] == []


class TestReportsForProjectLeads:
    def test_the_scorecard_answers_on_both_paths_and_as_csv(self, monitoring, auth):
        client, _, partner = monitoring
        post(client, partner, body())
        lead = auth("project_lead")
        cards = client.get("/v1/scorecard", headers=lead).json["partners"]
        assert client.get("/v1/outcomes/partners", headers=lead).json["partners"] == cards
        assert {c["partner_id"] for c in cards} == {"prt_own", "prt_other"}
        csv = client.get("/v1/scorecard?format=csv", headers=lead)
        assert csv.content_type.startswith("text/csv") and csv.get_data(as_text=True).startswith("\ufeffpartner_id,")
        assert client.get("/v1/scorecard", headers=partner).status_code == 403

    def test_outcomes_by_returnee_export_pseudonymous_rows_as_csv(self, monitoring, auth):
        client, _, _ = monitoring
        rows = client.get("/v1/outcomes?by=returnee&format=csv", headers=auth("project_lead")).get_data(as_text=True)
        assert rows.splitlines()[0].startswith("\ufeffreturnee_id,country,partner_id,cohort")
        assert len(rows.splitlines()) == 3


def test_corrected_vulnerabilities_reach_the_case(monitoring, clock):
    from services.monitoring.handlers import follow_update

    _, service, _ = monitoring
    follow_update(service.deps, new_event("intake", "returnee.updated.v1", "rtn_own", {
        "returnee_id": "rtn_own", "changed": ["vulnerabilities"], "vulnerabilities": ["mental_health"]},
        clock.now()))
    follow_update(service.deps, new_event("intake", "returnee.updated.v1", "rtn_none", {
        "returnee_id": "rtn_none", "vulnerabilities": ["medical"]}, clock.now()))  # no case: ignored
    assert service.repo.get("rtn_own")["vulnerabilities"] == ["mental_health"]


def test_the_alert_list_pages_on_with_the_cursor_it_gives(monitoring, auth):
    client, _, _ = monitoring
    consultant = auth("admin")  # reads every client's alerts (the cases follow nobody)
    first = client.get("/v1/alerts?limit=1&status=open", headers=consultant)
    assert first.status_code == 200 and first.json["next_cursor"]
    second = client.get("/v1/alerts", query_string={"limit": 1, "status": "open", "cursor": first.json["next_cursor"]},
                        headers=consultant)
    assert second.status_code == 200, second.json
    assert second.json["items"][0]["returnee_id"] != first.json["items"][0]["returnee_id"]
    for hostile in ("alr_x", "alr_01M8C64B0WCN70XCSRKNMQBNB8.{$ne:1}", "$gt"):
        refused = client.get("/v1/alerts", query_string={"cursor": hostile}, headers=consultant)
        assert refused.status_code == 422, hostile
