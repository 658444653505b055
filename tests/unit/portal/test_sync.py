"""`POST /sync`: the device's queue of check-ins goes to monitoring's batch with the person's token, each
item's result comes back as monitoring gave it; CSRF and the session guard it, as every write."""
from __future__ import annotations

import requests

from tests.unit.portal.conftest import MONITORING, json_body, sign_in

ITEM = {"idempotency_key": "7d1f0c2e-0d6e-4c84-9d59-3c1c1d3d9b11",
        "checkin": {"returnee_id": "rtn_01JRETVRNEE000000000000001", "slot": 1, "contact_date": "2026-03-01",
                    "contact_made": True, "contact_mode": "phone", "scores": {"economic": 3}}}


def send(client, token: str | None, body) -> object:
    headers = {"X-CSRF-Token": token} if token else {}
    return client.post("/sync", json=body, headers=headers)


def test_the_items_go_to_monitorings_batch_with_the_persons_token_and_the_results_come_back(app, api):
    client = app.test_client()
    token = sign_in(client, api)
    refused = {"idempotency_key": "k2", "status": 422, "error": {
        "type": "https://homeward.example/problems/422", "status": 422, "title": "Unprocessable Entity",
        "detail": "The check-in has invalid fields.", "errors": {"scores.economic": "Must be between 1 and 5."},
        "error_codes": {"scores.economic": "out_of_range"}}}
    results = [{"idempotency_key": ITEM["idempotency_key"], "status": 201, "checkin": {"id": "chk_1"}}, refused]
    api.post(f"{MONITORING}/v1/checkins/batch", json={"results": results})
    second = {"idempotency_key": "k2", "checkin": {**ITEM["checkin"], "scores": {"economic": 9}}}
    answer = send(client, token, {"items": [ITEM, second]})
    assert answer.status_code == 200 and answer.json == {"results": results}
    call = next(c for c in api.calls if c.request.url.endswith("/v1/checkins/batch"))
    assert call.request.headers["Authorization"] == "Bearer access-1"
    assert json_body(call) == {"items": [ITEM, second]}


def test_without_the_csrf_header_nothing_is_sent(app, api):
    client = app.test_client()
    sign_in(client, api)
    for token in (None, "forged"):
        answer = send(client, token, {"items": [ITEM]})
        assert answer.status_code == 400 and answer.json == {"error": "csrf"}
    assert not [c for c in api.calls if "batch" in c.request.url]


def test_without_a_session_it_answers_401_for_the_page_to_keep_the_items(app, api):
    client = app.test_client()
    answer = send(client, "anything", {"items": [ITEM]})
    assert answer.status_code == 401 and answer.json == {"error": "signed_out"}


def test_malformed_and_too_large_uploads_are_refused_before_monitoring(app, api):
    client = app.test_client()
    token = sign_in(client, api)
    for body in ({}, {"items": []}, {"items": [{"checkin": {}}]}, {"items": [{**ITEM, "extra": 1}]},
                 {"items": [{"idempotency_key": "", "checkin": {}}]}, [ITEM]):
        assert send(client, token, body).status_code == 400, body
    too_many = send(client, token, {"items": [ITEM] * 51})
    assert too_many.status_code == 413 and too_many.json["most"] == 50
    assert not [c for c in api.calls if "batch" in c.request.url]


def test_monitoring_out_of_reach_answers_503_and_the_page_retries(app, api):
    client = app.test_client()
    token = sign_in(client, api)
    api.post(f"{MONITORING}/v1/checkins/batch", body=requests.ConnectionError("down"))
    assert send(client, token, {"items": [ITEM]}).json == {"error": "unavailable"}
    api.post(f"{MONITORING}/v1/checkins/batch", status=500, json={"status": 500})
    answer = send(client, token, {"items": [ITEM]})
    assert answer.status_code == 503 and answer.json == {"error": "unavailable"}


def test_monitorings_answer_401_is_renewed_once_then_the_session_ends(app, api, portal):
    from tests.unit.portal.conftest import grant, tokens

    client = app.test_client()
    token = sign_in(client, api)
    api.post(f"{MONITORING}/v1/checkins/batch", status=401, json={"status": 401})
    grant(api, 200, tokens(2))
    api.post(f"{MONITORING}/v1/checkins/batch", status=401, json={"status": 401})
    answer = send(client, token, {"items": [ITEM]})
    assert answer.status_code == 401 and answer.json == {"error": "signed_out"}
    batches = [c for c in api.calls if "batch" in c.request.url]
    assert [c.request.headers["Authorization"] for c in batches] == ["Bearer access-1", "Bearer access-2"]
