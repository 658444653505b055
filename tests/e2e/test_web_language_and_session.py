"""In a real headless Chromium against its own running network: a form filled while the session expires
comes back after signing in again, a Dutch page tells a check-in's alerts in Dutch only, and wrong
passwords are slowed with a Dutch 429 page while the owner is told of them at the next sign-in.

The fixtures of test_web_pages (browser, staff accounts e2e.*); this module starts its own network.
"""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

from playwright.sync_api import expect

from services.web import accounts
from services.web.documents import WebSession
from tests.e2e.pages import PASSWORD, shot, sign_in
from tests.helpers import eventually

EXPIRED = "Uw sessie was verlopen; controleer en verstuur het formulier opnieuw."


def _expire_sessions_of(username: str) -> None:
    """As if the person had left the page alone for longer than WEB_SESSION_IDLE_MINUTES (30)."""
    idle = datetime.now(timezone.utc) - timedelta(minutes=31)
    assert WebSession.objects(username=username).update(set__last_seen=idle) >= 1


def test_a_form_sent_after_the_session_expired_comes_back_filled_after_signing_in(browser, staff):
    network = staff
    page = sign_in(browser, network, "consultant", "/returnees/new")
    expect(page).to_have_url(network.urls["web"] + "/returnees/new")
    page.fill("#f-given_name", "Folake")
    page.fill("#f-family_name", "Adeyemi")
    page.fill("#f-client_ref", "VWN-EXPIRED-1")
    page.select_option("#f-country_of_return", "NG")
    page.fill("#f-reintegration_plan\\.goals\\.economic", "Een kapsalon beginnen")
    page.check("#c-share")

    _expire_sessions_of("e2e.consultant")
    page.click("form#register button[type=submit]:not([formmethod])")
    expect(page).to_have_url(re.compile(r"/login\?"))
    expect(page.locator("main")).to_contain_text("Uw sessie was verlopen")
    shot(page, "session-expired-login")
    page.fill("#username", "e2e.consultant")
    page.fill("#password", PASSWORD)
    page.click("form[action='/login'] button[type=submit]")

    expect(page).to_have_url(network.urls["web"] + "/returnees/new")
    expect(page.locator("main")).to_contain_text(EXPIRED)
    expect(page.locator("#f-given_name")).to_have_value("Folake")
    expect(page.locator("#f-family_name")).to_have_value("Adeyemi")
    expect(page.locator("#f-client_ref")).to_have_value("VWN-EXPIRED-1")
    expect(page.locator("#f-reintegration_plan\\.goals\\.economic")).to_have_value("Een kapsalon beginnen")
    expect(page.locator("#f-country_of_return")).to_have_value("NG")
    expect(page.locator("#c-share")).to_be_checked()
    shot(page, "session-expired-form-kept")
    registered = network.call("GET", "intake", "/v1/returnees?limit=200", 200)["items"]
    assert not [r for r in registered if r.get("client_ref") == "VWN-EXPIRED-1"]  # nothing sent by itself

    page.click("form#register button[type=submit]:not([formmethod])")
    expect(page.locator("h1")).to_contain_text("Folake Adeyemi")
    rid = page.url.rsplit("/", 1)[1]
    assert network.returnee(rid)["client_ref"] == "VWN-EXPIRED-1"
    page.context.close()


def test_a_checkins_alerts_read_in_dutch_with_amsterdam_times(browser, staff):
    network = staff
    partner = network.add_partner("NG")
    rid = network.register("NG")["id"]
    network.arrive(partner, rid)
    eventually(lambda: network._case_exists(rid), message="monitoring case")
    network.call("POST", "monitoring", "/v1/checkins", 201,
                 headers={**partner["headers"], "Idempotency-Key": f"lang-{rid}"},
                 json={"returnee_id": rid, "slot": "ad_hoc", "contact_date": network.clock.today().isoformat(),
                       "contact_made": True, "contact_mode": "phone", "safety_concern": True,
                       "scores": {"economic": 1, "housing": 4, "social": 4, "health": 3, "resilience": 3}})
    eventually(lambda: len(network.call("GET", "monitoring", f"/v1/alerts?returnee_id={rid}", 200)["items"]) >= 2,
               message="the check-in's alerts")

    page = sign_in(browser, network, "consultant", "/alerts")
    expect(page).to_have_url(network.urls["web"] + "/alerts")
    row = page.locator("tr", has=page.locator(f"a[href='/returnees/{rid}']"))
    expect(row.first).to_be_visible()
    main = page.locator("main")
    expect(main).to_contain_text("Score 1 op economisch (inkomen, werk, opleiding).")
    expect(main).to_contain_text("De partner meldt zorgen over de veiligheid.")
    expect(main).to_contain_text("Tijden in de tijdzone van Amsterdam.")
    shot(page, "alerts-dutch")
    for english in ("The partner reported", "Scored 1 on"):
        assert english not in main.inner_text()

    page.goto(network.urls["web"] + f"/returnees/{rid}")
    timeline = page.locator(".timeline")
    expect(timeline.locator("li[data-kind=alert_raised]")).to_have_count(2)
    expect(timeline).to_contain_text("Score 1 op economisch (inkomen, werk, opleiding).")
    expect(timeline).to_contain_text("De partner meldt zorgen over de veiligheid.")
    expect(page.locator("main")).to_contain_text("Tijden in de tijdzone van Amsterdam.")
    for english in ("The partner reported", "Scored 1 on"):
        assert english not in page.locator("main").inner_text()
    page.context.close()


def _try_password(page, network, username: str, password: str):
    """Fill in the sign-in form and send it; the answer to the POST."""
    if "/login" not in page.url:
        page.goto(network.urls["web"] + "/login")
    page.fill("#username", username)
    page.fill("#password", password)
    with page.expect_response(lambda r: r.url.endswith("/login") and r.request.method == "POST") as sent:
        page.click("form[action='/login'] button[type=submit]")
    return sent.value


def test_wrong_passwords_are_slowed_with_a_dutch_429_and_the_owner_is_told(browser, staff):
    """Issue 22, items 5 and 6: no lock-out and no sleeping request; the owner sees the failed attempts."""
    network = staff
    accounts.create_account("e2e.guessed", "consultant", PASSWORD, datetime.now(timezone.utc))
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    for _ in range(2):
        assert _try_password(page, network, "e2e.guessed", "not the password at all").status == 401
    assert _try_password(page, network, "e2e.guessed", PASSWORD).status == 302
    expect(page).to_have_url(network.urls["web"] + "/returnees")
    notice = page.locator("main .flash")
    expect(notice).to_contain_text("Sinds uw vorige aanmelding is 2 keer geprobeerd op uw account aan te melden met "
                                   "een verkeerd wachtwoord, het laatst op")
    expect(notice).to_contain_text("Was u dat niet? Laat het dan een beheerder weten.")
    shot(page, "sign-in-failed-attempts-notice")
    page.context.close()

    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    statuses = []
    while 429 not in statuses and len(statuses) < 12:  # five free failures, then 1 s, 2 s, 4 s ...: soon refused
        answer = _try_password(page, network, "e2e.guessed", "not the password at all")
        statuses.append(answer.status)
    assert statuses[:5] == [401] * 5 and statuses[-1] == 429, statuses
    assert int(answer.headers["retry-after"]) >= 1
    expect(page.locator("main [role=alert]")).to_contain_text(
        re.compile(r"^Te veel mislukte pogingen om aan te melden\. Probeer het over \d+ seconden? opnieuw\.$"))
    expect(page.locator("#password")).to_be_visible()  # the form, to try again
    shot(page, "sign-in-throttled")
    assert "Too many" not in page.locator("main").inner_text()
    page.context.close()
