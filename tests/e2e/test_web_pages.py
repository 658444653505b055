"""The staff web app in a real headless Chromium against the running network (Playwright driving
Debian's `chromium`). Screenshots of each page go to var/screenshots/ (kept, git-ignored).

One module-scoped network and one browser; each test is one flow a consultant or project lead walks.
"""
from __future__ import annotations

from collections import Counter

from playwright.sync_api import expect

from tests.e2e.pages import shot, sign_in
from tests.helpers import eventually

def test_a_consultant_follows_a_returnee_from_registration_to_the_first_checkin(browser, staff):
    network = staff
    partner = network.add_partner("NG", name="Lagos Reintegration Desk")
    page = sign_in(browser, network, "consultant", "/returnees")
    expect(page).to_have_url(network.urls["web"] + "/returnees")
    # the status filter offers intake's statuses as intake serves them (GET /v1/vocabularies): `exited` too
    served = [c["code"] for c in network.call("GET", "intake", "/v1/vocabularies/returnee_statuses", 200)["codes"]]
    assert page.locator("#status option").evaluate_all("os => os.map(o => o.value).filter(v => v)") == served
    expect(page.locator("#status option[value=exited]")).to_have_text("Uitgestroomd zonder terugkeer")

    # register, with the return schemes shown while the form is filled in
    page.goto(network.urls["web"] + "/returnees/new")
    page.fill("#f-given_name", "Chiamaka")
    page.fill("#f-family_name", "Eze")
    page.fill("#f-client_ref", "VWN-WEB-1")
    page.select_option("#f-country_of_return", label="Nigeria")  # by name; the change refreshes the schemes panel
    expect(page.locator("#eligibility .hrt")).to_contain_text("1.750")  # Dutch number format
    page.fill("#f-reintegration_plan\\.goals\\.economic", "Tailoring business")
    page.select_option("#f-reintegration_plan\\.planned_support\\.0\\.type", "business")
    page.fill("#f-reintegration_plan\\.planned_support\\.0\\.budget_eur", "1200")
    page.check("#c-share")
    shot(page, "register")
    page.click("form#register button[type=submit]:not([formmethod])")
    expect(page.locator("h1")).to_contain_text("Chiamaka Eze")
    rid = page.url.rsplit("/", 1)[1]
    assert network.returnee(rid)["client_ref"] == "VWN-WEB-1"
    expect(page.locator(".timeline li[data-kind=registered]")).to_have_count(1)

    # hand over to the suggested partner; the partner accepts through the API
    expect(page.locator(".suggestion")).to_contain_text("Lagos Reintegration Desk")
    page.click("form[action$='/handover'] button[type=submit]")
    expect(page.locator(".timeline li[data-kind=handover_requested]")).to_have_count(1)
    handover = network.wait_handover(partner, rid)
    network.call("POST", "partners", f"/v1/handovers/{handover['id']}/accept", 200, headers=partner["headers"])
    network.wait_status(rid, "handover_accepted")
    page.reload()
    expect(page.locator(".timeline li[data-kind=handover_accepted]")).to_have_count(1)

    # departure on the page; arrival confirmed by the partner through the API
    page.click("form[action$='/departure'] button[type=submit]")
    expect(page.locator(".timeline li[data-kind=departed]")).to_have_count(1)
    network.call("POST", "partners", f"/v1/handovers/{handover['id']}/arrival", 200, headers=partner["headers"],
                 json={"arrived_on": network.clock.today().isoformat()})
    network.wait_status(rid, "arrived")
    eventually(lambda: network._case_exists(rid), message="monitoring case")
    page.reload()
    expect(page.locator(".timeline li[data-kind=arrived]")).to_have_count(1)

    # a check-in through the API (with a safety concern) shows on the timeline and the caseload
    checkin = network.call("POST", "monitoring", "/v1/checkins", 201,
                           headers={**partner["headers"], "Idempotency-Key": f"web-{rid}"},
                           json={"returnee_id": rid, "slot": "ad_hoc", "contact_date": network.clock.today().isoformat(),
                                 "contact_made": True, "contact_mode": "phone", "safety_concern": True,
                                 "scores": {"economic": 2, "housing": 4, "social": 4, "health": 3, "resilience": 3}})
    eventually(lambda: network.returnee(rid)["monitoring"]["open_alerts"] >= 1, message="alert count at intake")
    page.reload()
    entry = page.locator(".timeline li[data-kind=checkin]")
    expect(entry).to_have_count(1)
    expect(entry.locator(".index")).to_have_text(f"{checkin['index']:.2f}".replace(".", ","))
    expect(page.locator(".timeline li[data-kind=alert_raised]")).to_contain_text("Zorgen over veiligheid")
    shot(page, "returnee")
    page.goto(network.urls["web"] + "/returnees?q=Chiamaka")
    row = page.locator(f"tr[data-returnee='{rid}']")
    expect(row.locator(".index")).to_have_text(f"{checkin['index']:.2f}".replace(".", ","))
    expect(row.locator(".alerts")).not_to_have_text("0")
    shot(page, "caseload")

    # the alert is acknowledged on the alerts page
    page.goto(network.urls["web"] + "/alerts")
    alert = network.call("GET", "monitoring", f"/v1/alerts?returnee_id={rid}&type=safety_concern", 200)["items"][0]
    row = page.locator(f"tr[data-alert='{alert['id']}']")
    row.locator("input[name=note]").fill("Called her; staying with family")
    shot(page, "alerts")
    row.locator("button[formaction$='/acknowledge']").click()
    expect(page.locator(f"tr[data-alert='{alert['id']}'] .alert-status")).not_to_have_text("Open")
    acknowledged = network.call("GET", "monitoring", f"/v1/alerts?returnee_id={rid}&type=safety_concern", 200)["items"][0]
    assert acknowledged["status"] == "acknowledged"

    # English and back to Dutch, remembered between pages
    page.click("a[hreflang=en]")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text("Alerts")
    page.goto(network.urls["web"] + "/returnees")
    expect(page.locator("h1")).to_have_text("Caseload")
    page.click("a[hreflang=nl]")
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    expect(page.locator("h1")).to_have_text("Cliënten")


def test_a_project_lead_sees_the_dashboard_with_the_apis_numbers_and_no_names(browser, staff):
    network = staff
    page = sign_in(browser, network, "project_lead")
    expect(page).to_have_url(network.urls["web"] + "/dashboard")
    returnees = network.call("GET", "intake", "/v1/returnees?limit=200", 200, role="project_lead")["items"]
    by_country = Counter(r["country_of_return"] for r in returnees)
    assert page.locator("#chart-country tbody th").count() == len(by_country)
    bars = page.locator("#chart-country svg rect[data-value]")
    assert sorted(int(b.get_attribute("data-value")) for b in bars.all()) == sorted(by_country.values())
    cells = page.locator("#chart-country tbody td")
    assert sorted(int(c.inner_text()) for c in cells.all()) == sorted(by_country.values())
    alerts = Counter(a["type"] for a in network.call("GET", "monitoring", "/v1/alerts?status=open&limit=200", 200,
                                                      role="project_lead")["items"])
    bars = page.locator("#chart-alerts svg rect[data-value]")
    assert sorted(int(b.get_attribute("data-value")) for b in bars.all()) == sorted(alerts.values())
    shot(page, "dashboard")

    page.goto(network.urls["web"] + "/returnees")
    body = page.content()
    assert "Chiamaka" not in body and "VWN-WEB-1" not in body
    page.goto(network.urls["web"] + "/outcomes?by=country")
    expect(page.locator("table.outcomes")).to_be_visible()
    shot(page, "outcomes")
    page.goto(network.urls["web"] + "/countries/NG")
    # one returnee's check-ins release nothing (a release needs k returnees' new data): nothing published yet
    expect(page.locator(".lead")).to_contain_text("Nog geen cijfers gepubliceerd")  # never "based on 0 returnees"
    expect(page.locator("p.suppressed")).to_contain_text("5")  # fewer than k: no figures, never zeros
    shot(page, "country")


def test_the_api_docs_page_works_under_its_content_policy(browser, network):
    """Each API answers `default-src 'none'`; its docs page may run Swagger UI's files and its own inline
    script (by hash) and nothing else, and still shows every operation (issue 22, item 13)."""
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    refused = []
    page.on("console", lambda message: refused.append(message.text)
            if "Content Security Policy" in message.text else None)
    page.goto(network.urls["intake"] + "/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Homeward intake", timeout=15_000)
    expect(page.locator(".opblock-summary-path", has_text="/v1/returnees/counts")).to_be_visible()
    shot(page, "api-docs")
    assert refused == []


def test_a_search_finds_every_match_a_page_at_a_time_whatever_the_accents(browser, staff):
    network = staff
    ids = [network.register(given_name="Ngozi", family_name="Ọ̀nwụ́ka", client_ref=f"ZK-{i:02d}")["id"]
           for i in range(51)]
    page = sign_in(browser, network, "consultant", "/returnees?q=onwuka+ngo")
    rows = page.locator("table.caseload tbody tr")
    expect(rows).to_have_count(50)
    assert rows.first.get_attribute("data-returnee") == ids[0]
    expect(page.locator(".pager .more")).to_contain_text("Er zijn meer terugkeerders gevonden dan op deze pagina staan.")
    page.locator(".pager a[rel=next]").click()
    expect(rows).to_have_count(1)
    assert rows.first.get_attribute("data-returnee") == ids[50]
    expect(page.locator("#q")).to_have_value("onwuka ngo")  # the search is kept on the next page
    expect(page.locator(".pager a[rel=next]")).to_have_count(0)
    page.goto(network.urls["web"] + "/returnees?q=zk-50")
    expect(rows).to_have_count(1)
    shot(page, "caseload-search")
