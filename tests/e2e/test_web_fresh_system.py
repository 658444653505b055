"""The web app on a system nobody used through the web yet (a network of its own: the fixture is
module-scoped), and a departure recorded after the partner confirmed the arrival.

The first web session of this module is a project lead's: no consultant's page visit may be what makes
the project lead's pages work (the partner names once came from a consultant-only call, cached a minute).
"""
from __future__ import annotations

from playwright.sync_api import expect

from tests.e2e.pages import shot, sign_in
from tests.helpers import eventually

PARTNER_NAME = "Abuja Homecoming Trust"


def test_a_project_lead_is_the_first_to_sign_in_and_sees_every_page_with_the_partner_names(browser, staff):
    network = staff
    partner = network.add_partner("NG", name=PARTNER_NAME)
    rid = network.register("NG")["id"]
    network.arrive(partner, rid)
    eventually(lambda: any(row["partner_id"] == partner["id"] for row in network.call(
        "GET", "monitoring", "/v1/scorecard", 200, role="project_lead")["partners"]), message="scorecard row")

    page = sign_in(browser, network, "project_lead")
    expect(page).to_have_url(network.urls["web"] + "/dashboard")
    expect(page.locator("#chart-timeliness tbody")).to_contain_text(PARTNER_NAME)
    shot(page, "fresh-dashboard")

    response = page.goto(network.urls["web"] + "/returnees")
    assert response.status == 200
    expect(page.locator(f"tr[data-returnee='{rid}']")).to_contain_text(PARTNER_NAME)

    response = page.goto(network.urls["web"] + f"/returnees/{rid}")
    assert response.status == 200
    expect(page.locator("dd.partner")).to_contain_text(PARTNER_NAME)

    response = page.goto(network.urls["web"] + "/outcomes?by=partner")
    assert response.status == 200
    expect(page.locator("table.outcomes tbody")).to_contain_text(PARTNER_NAME)

    for path in ("/outcomes?by=country", "/countries", "/countries/NG"):
        response = page.goto(network.urls["web"] + path)
        assert response.status == 200, path
    body = page.content()
    assert "Niet voor uw rol" not in body and "Amina" not in body


def test_a_consultant_records_the_departure_after_the_partner_confirmed_the_arrival(browser, staff):
    network = staff
    partner = network.add_partner("ET", name="Addis Return Circle")
    rid = network.register("ET", given_name="Selam", family_name="Bekele")["id"]
    network.arrive(partner, rid, depart=False)  # the partner confirms before the consultant records the departure
    arrived = network.returnee(rid)
    assert arrived["departed_on"] is None

    page = sign_in(browser, network, "consultant", "/returnees?attention=1")
    row = page.locator(f"tr[data-returnee='{rid}']")
    expect(row.locator(".departure-missing")).to_have_text("Aangekomen, vertrek niet vastgelegd")
    expect(row).to_contain_text("Addis Return Circle")  # added after the names were cached: looked up again
    shot(page, "caseload-departure-missing")

    page.goto(network.urls["web"] + f"/returnees/{rid}")
    form = page.locator("form[action$='/departure']")
    expect(form).to_be_visible()
    expect(page.locator(".actions")).to_contain_text("vertrek is nog niet vastgelegd")
    form.locator("#departed_on").fill(arrived["arrived_on"])
    form.locator("button[type=submit]").click()
    expect(page.locator(".flash, .flashes")).to_contain_text("Vertrek vastgelegd")
    expect(page.locator("form[action$='/departure']")).to_have_count(0)
    shot(page, "returnee-late-departure")
    recorded = network.returnee(rid)
    assert recorded["departed_on"] == arrived["arrived_on"] and recorded["status"] == "arrived"

    page.goto(network.urls["web"] + "/returnees?attention=1")
    expect(page.locator(f"tr[data-returnee='{rid}']")).to_have_count(0)
    page.goto(network.urls["web"] + "/returnees")
    expect(page.locator(f"tr[data-returnee='{rid}'] .departure-missing")).to_have_count(0)
