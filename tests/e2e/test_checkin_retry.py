"""Issue 16 through real HTTP and the real broker: a check-in sent before monitoring knows the case gets a
provisional answer that its Idempotency-Key does not keep, and the same key succeeds once the arrival has
reached monitoring (one check-in stored); the note typed on acknowledging an alert shows on the alerts
page and on the returnee's timeline (headless Chromium, the fixtures of test_web_pages).
"""
from __future__ import annotations

import requests
from playwright.sync_api import expect

from tests.e2e.pages import shot, sign_in
from tests.helpers import eventually

NOT_YET = "https://homeward.example/problems/case-not-known-yet"


def _checkin(network, rid: str, **fields) -> dict:
    return {"returnee_id": rid, "slot": "ad_hoc", "contact_date": network.clock.today().isoformat(),
            "contact_made": True, "contact_mode": "phone",
            "scores": {"economic": 3, "housing": 3, "social": 3, "health": 3, "resilience": 3}, **fields}


def _post(network, partner, key: str, body: dict) -> requests.Response:
    return requests.post(network.urls["monitoring"] + "/v1/checkins", json=body, timeout=30,
                         headers={**partner["headers"], "Idempotency-Key": key})


def _batch(network, partner, items: list) -> list:
    return network.call("POST", "monitoring", "/v1/checkins/batch", 200, headers=partner["headers"],
                        json={"items": items})["results"]


def test_a_checkin_sent_before_the_case_exists_succeeds_with_the_same_key_once_it_does(network):
    partner = network.add_partner("NG")
    rid = network.register("NG")["id"]  # monitoring has not heard of this returnee yet
    key, body = f"offline-{rid}", _checkin(network, rid, notes="Collected before the arrival was confirmed")
    items = [{"idempotency_key": f"batch-{rid}", "checkin": _checkin(network, rid, notes="from the batch")}]

    early = _post(network, partner, key, body)
    assert early.status_code == 404, early.text
    assert early.headers["Content-Type"] == "application/problem+json"
    assert early.json()["type"] == NOT_YET and int(early.headers["Retry-After"]) > 0
    [item] = _batch(network, partner, items)
    assert item["status"] == 404 and item["error"]["type"] == NOT_YET and item["error"]["retry_after"] > 0

    network.arrive(partner, rid)
    created = _post(network, partner, key, body)
    assert created.status_code == 201, created.text
    again = _post(network, partner, key, body)
    assert (again.status_code, again.headers["Content-Type"], again.content) == \
        (201, created.headers["Content-Type"], created.content)
    [recorded] = _batch(network, partner, items)
    assert recorded["status"] == 201
    assert _batch(network, partner, items) == [recorded]

    case = network.call("GET", "monitoring", f"/v1/cases/{rid}", 200, headers=partner["headers"])
    assert sorted(c["notes"] for c in case["checkins"]) == ["Collected before the arrival was confirmed",
                                                            "from the batch"]
    assert [c["id"] for c in case["checkins"] if c["notes"] == body["notes"]] == [created.json()["id"]]


def test_the_note_typed_on_acknowledging_shows_on_the_alerts_page_and_the_timeline(browser, staff):
    network = staff
    partner = network.add_partner("GH")
    rid = network.register("GH")["id"]
    network.arrive(partner, rid)
    network.call("POST", "monitoring", "/v1/checkins", 201, json=_checkin(network, rid, safety_concern=True),
                 headers={**partner["headers"], "Idempotency-Key": f"ack-note-{rid}"})
    alert = eventually(lambda: next(iter(network.call(
        "GET", "monitoring", f"/v1/alerts?returnee_id={rid}&type=safety_concern", 200)["items"]), None),
        message="safety alert")
    note = "Met haar gebeld; vrijdag op bezoek"

    page = sign_in(browser, network, "consultant", "/alerts")
    row = page.locator(f"tr[data-alert='{alert['id']}']")
    row.locator("input[name=note]").fill(note)
    row.locator("button[formaction$='/acknowledge']").click()
    expect(page.locator(".flash")).to_contain_text("Signaal in behandeling genomen")
    kept = page.locator(f"tr[data-alert='{alert['id']}'] .acknowledged-note")
    expect(kept).to_contain_text(note)
    expect(kept).to_contain_text("Notitie van e2e.consultant")
    shot(page, "alerts-acknowledged-note")

    page.goto(network.urls["web"] + f"/returnees/{rid}")
    expect(page.locator(".timeline li[data-kind=alert_acknowledged]")).to_contain_text(note)
    shot(page, "timeline-acknowledged-note")
