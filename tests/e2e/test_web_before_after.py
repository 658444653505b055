"""The judgement before return beside the check-ins after it, in a real headless Chromium on a phone (issue 20,
items 4 and 5): a consultant records an assessment before return and a phone contact from the Netherlands on the
returnee's page, which then shows both per domain (before beside after), the contact in the timeline as the
consultant's; a project lead's page of the same client shows neither the section nor the judgement.

One module-scoped network and browser (the fixtures of conftest.py).
"""
from __future__ import annotations

from playwright.sync_api import expect

from tests.e2e.pages import shot, sign_in

PHONE = {"width": 375, "height": 812}
JUDGEMENT = "Qvx: terugkeer verantwoord, mits de huisvesting in Enugu geregeld is."


def test_a_consultant_records_an_assessment_and_a_phone_contact_and_sees_them_side_by_side(browser, staff):
    network = staff
    partner = network.add_partner("NG")
    rid = network.register("NG", consultant="web:e2e.consultant")["id"]  # whom monitoring takes a contact from
    network.arrive(partner, rid)
    page = sign_in(browser, network, "consultant", f"/returnees/{rid}")
    page.set_viewport_size(PHONE)
    section = page.locator("#oordeel")
    expect(section.locator("h2")).to_have_text("Voor en na terugkeer")
    expect(section).to_contain_text("Nog geen oordeel voor terugkeer vastgelegd.")

    section.locator("summary", has_text="Oordeel voor terugkeer vastleggen").click()
    page.select_option("#a-moment", "at_end")
    for domain, score in (("economic", "2"), ("housing", "1"), ("social", "3"), ("health", "4")):
        page.select_option(f"#a-{domain}", score)
    page.select_option("#a-documents", "applied_for")
    page.select_option("#a-safety", "some_risks")
    page.fill("#a-judgement", JUDGEMENT)
    page.click(".assessment-form button[type=submit]")
    expect(page.locator(".flash")).to_contain_text("Het oordeel voor terugkeer is vastgelegd.")
    expect(section.locator("tr[data-domain=housing] td.before")).to_have_text("1")
    expect(section.locator(".judgement")).to_have_text(JUDGEMENT)

    section.locator("summary", has_text="Contact vanuit Nederland vastleggen").click()
    page.select_option("#c-slot", "1")
    page.select_option("#c-mode", "phone")
    page.select_option("#c-economic", "3")
    page.select_option("#c-housing", "3")
    page.click(".contact-form button[type=submit]")
    expect(page.locator(".flash")).to_contain_text("Het contact is vastgelegd.")

    housing = section.locator("tr[data-domain=housing]")
    expect(housing.locator("td.before")).to_have_text("1")
    expect(housing.locator("td.after")).to_have_text("3")
    expect(section.locator("tr[data-domain=resilience] td.before")).to_have_text("–")  # not assessed
    checkin = page.locator(".timeline li[data-kind=checkin]")
    expect(checkin).to_have_count(1)
    expect(checkin.locator(".recorded-by")).to_contain_text("vanuit Nederland")
    expect(checkin.locator(".contact-mode")).to_have_text("Telefoon")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], width
    shot(page, "before-after-consultant-phone")

    lead = sign_in(browser, network, "project_lead", f"/returnees/{rid}")
    expect(lead.locator("h1")).to_be_visible()
    expect(lead.locator("#oordeel")).to_have_count(0)
    assert "Qvx" not in lead.locator("main").inner_text()
