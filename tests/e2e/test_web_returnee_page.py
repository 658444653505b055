"""The consultant's returnee page in a real headless Chromium against the running network: handover only
with consent, the partner's check-in on the timeline, alerts acted on from the page, and withdrawing
consent only after a confirmation.

One module-scoped network and browser (the fixtures of test_web_pages); each test is one flow.
"""
from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.pages import shot, sign_in
from tests.helpers import eventually


def _in_monitoring(network, country: str, **fields):
    partner = network.add_partner(country)
    returnee = network.register(country, **fields)
    network.arrive(partner, returnee["id"])
    return partner, returnee["id"]


def _checkin(network, partner, rid: str, key: str, **fields) -> dict:
    body = {"returnee_id": rid, "slot": "ad_hoc", "contact_date": network.clock.today().isoformat(),
            "contact_made": True, "contact_mode": "phone",
            "scores": {"economic": 3, "housing": 3, "social": 3, "health": 3, "resilience": 3}, **fields}
    return network.call("POST", "monitoring", "/v1/checkins", 201,
                        headers={**partner["headers"], "Idempotency-Key": key}, json=body)


def test_without_consent_to_share_no_handover_is_offered_and_the_page_says_why_in_dutch(browser, staff):
    network = staff
    network.add_partner("GH", name="Accra Desk")
    rid = network.register("GH", consent=False)["id"]
    page = sign_in(browser, network, "consultant", f"/returnees/{rid}")
    expect(page.locator("h1")).to_contain_text("Amina Okafor")
    expect(page.locator("form[action$='/handover']")).to_have_count(0)
    expect(page.locator(".suggestion")).to_have_count(0)
    needed = page.locator(".actions .consent-needed")
    expect(needed).to_contain_text("toestemming")
    expect(needed.locator("a[href='#consent']")).to_have_count(1)
    expect(page.locator("#consent")).to_be_visible()
    shot(page, "returnee-no-consent")


def test_the_partners_checkin_shows_contact_mode_status_notes_and_support_on_the_timeline(browser, staff):
    network = staff
    partner, rid = _in_monitoring(network, "SN")
    today = network.clock.today().isoformat()
    _checkin(network, partner, rid, f"web-page-{rid}", contact_mode="via_family", status="re_migrated",
             notes="Ze is naar <Libië> vertrokken; haar moeder belde.",
             support_delivered=[{"type": "business", "amount_eur": 1250.5, "amount": 820_000, "currency": "XOF",
                                 "delivered_on": today, "description": "naaimachine"}])
    page = sign_in(browser, network, "consultant", f"/returnees/{rid}")
    entry = page.locator(".timeline li[data-kind=checkin]")
    expect(entry).to_have_count(1)
    expect(entry.locator(".contact-mode")).to_have_text("Via familie")
    expect(entry.locator(".in-country")).to_have_text("Opnieuw vertrokken naar een ander land")
    expect(entry.locator(".notes")).to_have_text("Ze is naar <Libië> vertrokken; haar moeder belde.")  # escaped
    support = entry.locator(".support li")
    expect(support).to_have_count(1)
    expect(support).to_contain_text("Eigen bedrijf starten")
    expect(support.locator(".amount")).to_have_text(re.compile(r"^€\s1\.250,50$"))
    expect(support.locator(".paid")).to_have_text(re.compile(r"^\(betaald: F\sCFA\s820\.000\)$"))  # as paid, locally
    expect(support.locator("time")).to_have_attribute("datetime", today)
    shot(page, "returnee-checkin")


def test_a_safety_alert_shows_the_partners_words_and_is_acknowledged_from_the_returnee_page(browser, staff):
    network = staff
    partner, rid = _in_monitoring(network, "CM")
    _checkin(network, partner, rid, f"web-safety-{rid}", safety_concern=True,
             notes="Haar ex-man staat elke avond voor de deur.")
    alert = eventually(lambda: next(iter(network.call(
        "GET", "monitoring", f"/v1/alerts?returnee_id={rid}&type=safety_concern", 200)["items"]), None),
        message="safety alert")
    page = sign_in(browser, network, "consultant", f"/returnees/{rid}")
    panel = page.locator(f".open-alerts [data-alert='{alert['id']}']")
    expect(panel).to_contain_text("Zorgen over veiligheid")
    expect(panel.locator(".notes")).to_have_text("Haar ex-man staat elke avond voor de deur.")
    panel.locator("input[name=note]").fill("Met haar gebeld; ze slaapt bij haar zus")
    shot(page, "returnee-alert")
    panel.locator("button[formaction$='/acknowledge']").click()
    expect(page).to_have_url(network.urls["web"] + f"/returnees/{rid}")
    expect(page.locator(".flash")).to_contain_text("Signaal in behandeling genomen")
    acknowledged = network.call("GET", "monitoring", f"/v1/alerts?returnee_id={rid}&type=safety_concern", 200)
    assert acknowledged["items"][0]["status"] == "acknowledged"
    expect(page.locator(f".open-alerts [data-alert='{alert['id']}'] .alert-status")).to_have_text("In behandeling")
    expect(page.locator(f".open-alerts [data-alert='{alert['id']}'] button[formaction$='/acknowledge']")) \
        .to_have_count(0)


def test_withdrawing_all_consent_asks_first_and_then_says_it_was_withdrawn(browser, staff):
    network = staff
    rid = network.register("NG")["id"]
    page = sign_in(browser, network, "consultant", f"/returnees/{rid}")
    page.click("text=Alle toestemming intrekken")
    expect(page.locator("h1")).to_contain_text("Alle toestemming intrekken")
    expect(page.locator("main")).to_contain_text("partnerorganisatie")
    expect(page.locator("main")).to_contain_text("ketenpartners")
    assert network.returnee(rid)["consent"]["share_with_partner"] is True  # nothing happened yet
    shot(page, "withdraw-consent")
    page.check("#confirm")
    page.click("form button.danger")
    expect(page).to_have_url(network.urls["web"] + f"/returnees/{rid}")
    expect(page.locator(".flash")).to_contain_text("Alle toestemming ingetrokken")
    expect(page.locator(".flash")).not_to_contain_text("vastgelegd")
    consent = network.returnee(rid)["consent"]
    assert (consent["share_with_partner"], consent["share_outcomes_with_chain_partners"]) == (False, False)
