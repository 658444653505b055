"""A project lead's returnee page in a real headless Chromium against the running network (issue 22, items 1
and 2): the case's facts, dates and scores, but not the consultant's exit note, the plan's goals in words, the
region as typed, the partner's check-in notes or the notes typed on its alert.

One module-scoped network and browser (the fixtures of test_web_pages).
"""
from __future__ import annotations

from playwright.sync_api import expect

from tests.e2e.pages import shot, sign_in
from tests.helpers import eventually

WORDS = ("Zqx", "tailoring", "Ikeja")


def _no_words(page) -> None:
    text = page.locator("main").inner_text()
    assert [w for w in WORDS if w.lower() in text.lower()] == [], text


def test_a_project_lead_sees_the_exit_but_not_the_consultants_note(browser, staff):
    network = staff
    rid = network.register("NG", region="Ikeja, Lagos", reintegration_plan={
        "goals": {"economic": "Start a tailoring business"},
        "planned_support": [{"type": "business", "description": "Zqx sewing machine", "budget_eur": 1200}]})["id"]
    network.call("POST", "intake", f"/v1/returnees/{rid}/exit", 200, json={
        "reason": "irregular", "exited_on": network.clock.today().isoformat(), "note": "Zqxexit: went to his brother"})

    consultant = sign_in(browser, network, "consultant", f"/returnees/{rid}")
    expect(consultant.locator("dd.exit")).to_contain_text("Zqxexit: went to his brother")  # the control

    page = sign_in(browser, network, "project_lead", f"/returnees/{rid}")
    expect(page.locator("dd.exit")).to_contain_text("Naar illegaliteit")
    expect(page.locator("h1")).not_to_contain_text("Amina")
    _no_words(page)
    shot(page, "project-lead-exited")


def test_a_project_lead_sees_the_checkin_and_its_alert_without_the_words(browser, staff):
    network = staff
    partner = network.add_partner("CM")
    rid = network.register("CM")["id"]
    network.arrive(partner, rid)
    body = {"returnee_id": rid, "slot": "ad_hoc", "contact_date": network.clock.today().isoformat(),
            "contact_made": True, "contact_mode": "phone", "safety_concern": True,
            "scores": {"economic": 2, "housing": 3, "social": 3, "health": 2, "resilience": 3},
            "notes": "Zqxnote: HIV treatment interrupted"}
    network.call("POST", "monitoring", "/v1/checkins", 201, json=body,
                 headers={**partner["headers"], "Idempotency-Key": f"lead-{rid}"})
    alert = eventually(lambda: next((a for a in network.call("GET", "monitoring", f"/v1/alerts?returnee_id={rid}",
                                                             200)["items"] if a["type"] == "safety_concern"), None))
    network.call("POST", "monitoring", f"/v1/alerts/{alert['id']}/acknowledge", 200,
                 json={"note": "Zqxack: called her sister"})

    page = sign_in(browser, network, "project_lead", f"/returnees/{rid}")
    expect(page.locator(".timeline li[data-kind=checkin]")).to_have_count(1)
    expect(page.locator(".timeline li[data-kind=alert_raised]")).to_have_count(1)
    _no_words(page)
    shot(page, "project-lead-checkin")
