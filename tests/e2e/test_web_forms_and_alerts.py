"""The staff forms speak the social worker's language, and the alerts worklist names the client (a real Chromium
against the running network, as tests/e2e/test_web_pages.py).

- countries and languages are chosen by name in the page's language ("Guinee" is Guinea, never Guam);
- amounts are typed as in the page's locale ("1.200,50" in Dutch) and shown back that way;
- gender starts empty: nobody is registered as a gender the consultant did not choose;
- the alerts worklist shows the returnee's name linking to their page, and a consultant can keep to the clients
  they follow.
"""
from __future__ import annotations

from datetime import datetime, timezone

import pytest
from playwright.sync_api import expect

from services.web import accounts
from services.web.tokens import staff_subject
from services.web.repository import update_account
from tests.e2e.pages import PASSWORD, shot, sign_in
from tests.helpers import eventually


@pytest.fixture(scope="module")
def staff(network):
    """Two consultants (e2e.forms-a, e2e.forms-b: `sign_in` signs in as e2e.<name>), each following their clients."""
    now = datetime.now(timezone.utc)
    for name in ("forms-a", "forms-b"):
        accounts.create_account(f"e2e.{name}", "consultant", PASSWORD, now, display_name=f"E2E {name}")
        update_account(f"e2e.{name}", team="forms")  # one team: each reads the other's clients (need-to-know)
    return network


def test_a_consultant_registers_a_client_by_country_and_language_names_and_a_dutch_amount(browser, staff):
    network = staff
    page = sign_in(browser, network, "forms-a", "/returnees/new")
    expect(page.locator("html")).to_have_attribute("lang", "nl")

    gender = page.locator("#f-gender")
    expect(gender).to_have_value("")  # nothing preselected
    expect(gender.locator("option:checked")).to_have_text("kies")

    country = page.locator("#f-country_of_return")
    expect(country.locator("option[value=GN]")).to_have_text("Guinee")
    expect(country.locator("option[value=GU]")).to_have_text("Guam")
    page.select_option("#f-country_of_return", label="Guinee")
    expect(country).to_have_value("GN")
    expect(page.locator("#eligibility")).to_contain_text("Guinee")  # the return-scheme panel follows the select
    page.select_option("#f-nationality", label="Guinee")

    page.fill("#f-given_name", "Fatoumata")
    page.fill("#f-family_name", "Camara")
    page.check("label:text-is('Frans')")
    page.select_option("#f-languages", label="Wolof")
    page.select_option("#f-reintegration_plan\\.planned_support\\.0\\.type", "business")
    page.fill("#f-reintegration_plan\\.planned_support\\.0\\.budget_eur", "1.200,50")
    page.check("#c-share")
    shot(page, "register-by-name")
    page.click("form#register button[type=submit]:not([formmethod])")
    expect(page.locator("h1")).to_contain_text("Fatoumata Camara")
    expect(page.locator("dd.languages")).to_have_text("Frans, Wolof")

    rid = page.url.rsplit("/", 1)[1]
    stored = network.returnee(rid)
    assert stored["country_of_return"] == "GN" and stored["nationality"] == "GN"
    assert sorted(stored["languages"]) == ["fr", "wo"]
    assert stored["reintegration_plan"]["planned_support"][0]["budget_eur"] == 1200.5
    assert stored["gender"] == "unknown"  # not chosen: the API's default, not a guess of the form

    # the correction form shows names and the amount as a Dutch social worker writes it
    page.goto(network.urls["web"] + f"/returnees/{rid}/edit")
    expect(page.locator("#f-country_of_return")).to_have_value("GN")
    expect(page.locator("#f-country_of_return option:checked")).to_have_text("Guinee")
    expect(page.locator("#f-reintegration_plan\\.planned_support\\.0\\.budget_eur")).to_have_value("1.200,50")
    expect(page.locator("label:text-is('Frans')")).to_be_visible()
    assert page.locator("input[name=languages][value=fr]").is_checked()
    expect(page.locator("#f-languages option:checked")).to_have_text("Wolof")
    page.fill("#f-reintegration_plan\\.planned_support\\.0\\.budget_eur", "2.000")
    page.click("form[action$='/edit'] button[type=submit]")
    expect(page.locator("h1")).to_contain_text("Fatoumata Camara")
    stored = network.returnee(rid)
    assert stored["reintegration_plan"]["planned_support"][0]["budget_eur"] == 2000
    assert sorted(stored["languages"]) == ["fr", "wo"]

    # the caseload filters by country name
    page.goto(network.urls["web"] + "/returnees")
    page.select_option("#country", label="Guinee")
    page.click("form.filters button[type=submit]")
    expect(page.locator(f"tr[data-returnee='{rid}']")).to_have_count(1)
    expect(page.locator("#country option:checked")).to_have_text("Guinee")


def _safety_alert(network, partner: dict, returnee_id: str) -> dict:
    """An arrived returnee's check-in with a safety concern: an open alert on the worklist."""
    network.arrive(partner, returnee_id)
    network.call("POST", "monitoring", "/v1/checkins", 201,
                 headers={**partner["headers"], "Idempotency-Key": f"forms-{returnee_id}"},
                 json={"returnee_id": returnee_id, "slot": "ad_hoc", "contact_date": network.clock.today().isoformat(),
                       "contact_made": True, "contact_mode": "phone", "safety_concern": True,
                       "scores": {"economic": 3, "housing": 3, "social": 3, "health": 3, "resilience": 3}})
    return eventually(lambda: network.call("GET", "monitoring", f"/v1/alerts?returnee_id={returnee_id}"
                                           "&type=safety_concern", 200, role="admin")["items"], message="safety alert")[0]


def test_the_alerts_worklist_names_the_client_and_keeps_to_my_clients_on_request(browser, staff):
    network = staff
    partners = {"NG": network.add_partner("NG"), "ET": network.add_partner("ET")}
    mine = network.register("NG", given_name="Ngozi", family_name="Adeyemi",
                            consultant=staff_subject("e2e.forms-a"))
    theirs = network.register("ET", given_name="Tigist", family_name="Bekele",
                              consultant=staff_subject("e2e.forms-b"))
    my_alert = _safety_alert(network, partners["NG"], mine["id"])
    their_alert = _safety_alert(network, partners["ET"], theirs["id"])

    page = sign_in(browser, network, "forms-a", "/alerts")
    expect(page.locator("h1")).to_have_text("Signalen")
    for alert, returnee, name in ((my_alert, mine, "Ngozi Adeyemi"), (their_alert, theirs, "Tigist Bekele")):
        link = page.locator(f"tr[data-alert='{alert['id']}'] a[href='/returnees/{returnee['id']}']")
        expect(link).to_have_text(name)
    shot(page, "alerts-named")

    page.check("label:text-is('Alleen mijn cliënten')")
    page.click("form.filters button[type=submit]")
    expect(page.locator(f"tr[data-alert='{my_alert['id']}']")).to_have_count(1)
    expect(page.locator(f"tr[data-alert='{their_alert['id']}']")).to_have_count(0)
    expect(page.locator("tbody tr")).to_have_count(1)
    expect(page.locator("#mine")).to_be_checked()

    # the other consultant sees their own client only
    other = sign_in(browser, network, "forms-b", "/alerts?mine=1")
    expect(other.locator(f"tr[data-alert='{their_alert['id']}'] a")).to_have_text("Tigist Bekele")
    expect(other.locator("tbody tr")).to_have_count(1)

    # the country filter is a list of names
    page.goto(network.urls["web"] + "/alerts")
    page.select_option("#country", label="Ethiopië")
    page.click("form.filters button[type=submit]")
    expect(page.locator(f"tr[data-alert='{their_alert['id']}']")).to_have_count(1)
    expect(page.locator(f"tr[data-alert='{my_alert['id']}']")).to_have_count(0)
    page.click(f"tr[data-alert='{their_alert['id']}'] a")
    expect(page.locator("h1")).to_contain_text("Tigist Bekele")
