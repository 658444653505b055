"""Need-to-know in the browser (issue 20, "who sees whom"): a consultant of another office does not find a colleague's
client in the caseload, is asked in Dutch why before the file opens (on a 375 px phone), opens it with a reason, and an
administrator sees who opened it, why and when."""
from __future__ import annotations

from datetime import datetime, timezone

from playwright.sync_api import expect

from services.web import accounts
from services.web.repository import update_account
from tests.e2e.pages import PASSWORD, shot, sign_in

PHONE = {"width": 375, "height": 812}
REASON = "Collega is ziek; ik neem het gesprek van vandaag over"


def test_a_consultant_breaks_the_glass_with_a_reason_and_the_administrator_sees_it(browser, staff):
    network = staff
    accounts.create_account("e2e.outsider", "consultant", PASSWORD, datetime.now(timezone.utc), display_name="Outsider")
    update_account("e2e.outsider", offices=["groningen"])
    rid = network.register("ET", given_name="Selam", family_name="Tesfaye", office="utrecht")["id"]

    page = browser.new_context(viewport=PHONE).new_page()
    page.goto(network.urls["web"] + "/login")
    page.fill("#username", "e2e.outsider")
    page.fill("#password", PASSWORD)
    page.click("form[action='/login'] button[type=submit]")
    page.goto(network.urls["web"] + "/returnees?q=Tesfaye")
    expect(page.locator(f"tr[data-returnee='{rid}']")).to_have_count(0)  # not in this caseload, not found

    response = page.goto(network.urls["web"] + f"/returnees/{rid}")
    assert response.status == 403
    expect(page.locator("h1")).to_have_text("Waarom opent u dit dossier?")
    assert "Selam" not in page.content()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # fits the phone
    shot(page, "break-the-glass-phone")
    page.fill("#f-reason", REASON)
    page.click("form.access-reason button[type=submit]")
    expect(page).to_have_url(network.urls["web"] + f"/returnees/{rid}")
    expect(page.locator("h1")).to_contain_text("Selam")

    admin = sign_in(browser, network, "admin", "/admin/glass-breaks")
    expect(admin).to_have_url(network.urls["web"] + "/admin/glass-breaks")
    row = admin.locator("table.glass-breaks tbody tr").filter(has_text=rid)
    expect(row).to_contain_text(REASON)
    expect(row).to_contain_text("e2e.outsider")
    shot(admin, "glass-breaks")
