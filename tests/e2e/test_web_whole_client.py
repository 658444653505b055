"""The whole client on the staff forms, in a real Chromium (issue 19, parts 1 and 4): a future-orientation
client registered with contact, office and following consultant is counted by the quarterly report, and the
eligibility of a Guinean national returning to Guinea and of one returning to a third country are right and
say which rules they used, on a desktop and on a phone (375 px)."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.pages import PASSWORD, shot, sign_in
from tests.helpers import eventually


def _future_orientation_in(network, office: str) -> int:
    today = network.clock.today()
    report = network.call("GET", "intake", f"/v1/reports/quarterly?year={today.year}&quarter={(today.month - 1) // 3 + 1}"
                          f"&office={office}", 200, role="project_lead")
    return report["programme"]["in_future_orientation"]["current"]


def test_a_future_orientation_client_registered_in_the_browser_is_counted_by_the_quarterly_report(browser, staff):
    network = staff
    before = _future_orientation_in(network, "utrecht")
    page = sign_in(browser, network, "consultant", "/returnees/new")
    expect(page.locator("#f-consultant")).to_have_value("web:e2e.consultant")  # who registers, by default
    page.fill("#f-given_name", "Mariama")
    page.fill("#f-family_name", "Bah")
    page.select_option("#f-nationality", label="Guinee")
    page.select_option("#f-country_of_return", label="Guinee")
    page.fill("#f-contact\\.phone", "+31 6 1234 5678")
    page.fill("#f-contact\\.email", "mariama@example.org")
    page.fill("#f-contact\\.address", "Oudegracht 1, Utrecht")
    page.select_option("#f-office", "utrecht")
    page.select_option("#f-consultant", label="E2E admin")
    page.select_option("#f-trajectory", "future_orientation")
    page.select_option("#f-reintegration_plan\\.planned_support\\.0\\.type", "business")
    page.click("button[name=more_support]")  # with script: a line more in the page, nothing sent
    for i in (1, 2, 3):
        page.select_option(f"#f-reintegration_plan\\.planned_support\\.{i}\\.type", "housing")
    page.fill("#f-reintegration_plan\\.planned_support\\.3\\.budget_eur", "1.200,50")
    page.check("#c-share")
    shot(page, "register-whole-client")
    page.click("form#register button[type=submit]:not([formmethod])")
    expect(page.locator("h1")).to_contain_text("Mariama Bah")
    rid = page.url.rsplit("/", 1)[1]
    kept = network.returnee(rid)
    assert kept["contact"] == {"phone": "+31 6 1234 5678", "email": "mariama@example.org",
                               "address": "Oudegracht 1, Utrecht"}
    assert (kept["office"], kept["consultant"], kept["trajectory"]) == ("utrecht", "web:e2e.admin", "future_orientation")
    assert [s["budget_eur"] for s in kept["reintegration_plan"]["planned_support"]] == [None, None, None, 1200.5]
    expect(page.locator(".enrolled-on")).to_be_visible()
    expect(page.locator(".trajectory-history li")).to_have_count(1)
    eventually(lambda: _future_orientation_in(network, "utrecht") == before + 1,
               message="the quarterly report counts the client in future orientation")


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 900}, {"width": 375, "height": 812}])
def test_a_guinean_returning_home_and_one_returning_to_a_third_country(browser, staff, viewport):
    network = staff
    page = browser.new_context(viewport=viewport).new_page()
    page.goto(network.urls["web"] + "/returnees/new")
    page.fill("#username", "e2e.consultant")
    page.fill("#password", PASSWORD)
    page.click("form[action='/login'] button[type=submit]")
    page.select_option("#f-nationality", label="Guinee")
    page.select_option("#f-country_of_return", label="Guinee")
    panel = page.locator("#eligibility")
    expect(panel.locator(".rules")).to_contain_text("Regels van 2016")
    expect(panel.locator(".hrt")).to_contain_text("1.750")  # Guinea is on the HRT list
    expect(panel).to_contain_text("De regels van 2016 zijn ouder dan het vertrekjaar")
    expect(panel).not_to_contain_text("ander land dan dat van de nationaliteit")

    page.select_option("#f-country_of_return", label="Senegal")  # the nationality still decides the schemes
    expect(panel).to_contain_text("Terugkeer naar Senegal")
    expect(panel).to_contain_text("ander land dan dat van de nationaliteit")
    expect(panel.locator(".hrt")).to_contain_text("1.750")
    page.check("#q-deported_within_5_years")
    expect(panel.locator(".rean")).to_contain_text("op kosten van de Nederlandse overheid uitgezet")
    expect(panel.locator(".hrt")).to_contain_text("HRT kan alleen samen met REAN")
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth + 1")
    shot(page, f"eligibility-{viewport['width']}")
