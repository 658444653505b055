"""The partner portal on one phone shared by two field workers (issue 18), in a real headless Chromium: each one's
check-ins waiting on the phone stay apart and signing out asks first; on a slow connection a kept page answers at
once, and never another person's."""
from __future__ import annotations

from playwright.sync_api import expect

from tests.e2e.portal_pages import CONTROLS, MEASURE, MIN_TAP, PASSWORD, fill_checkin, ready, sign_in, two_on_one_phone
from tests.e2e.portal_pages import portal  # noqa: F401 - fixtures


def test_a_shared_phone_keeps_each_field_workers_check_ins_apart_and_signing_out_asks_first(browser, network, portal):  # noqa: F811
    rid, context, page = two_on_one_phone(browser, network, portal, "e2e.binta", "e2e.sekou")
    context.route("**/sync", lambda route: route.abort())  # nothing gets through for now
    page.click("#schedule li[data-slot='1'] a.button")
    fill_checkin(page, {"economic": 4})
    page.click("#save")
    expect(page.locator("#queue-status")).to_contain_text("1 suivi attend d'être envoyé.")

    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    page.click("#signout button")
    page.wait_for_timeout(300)
    assert asked and asked[0].startswith("1 suivi attend d'être envoyé.")
    expect(page.locator("#signout")).to_be_visible()  # still signed in
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#signout button")
    expect(page.locator("[data-signed-out]")).to_be_visible()
    assert page.evaluate("async () => (await caches.keys()).filter(n => n.startsWith('portal-pages-'))") == []

    sign_in(page, portal, "e2e.sekou", "/waiting")  # the same phone, another field worker
    ready(page)
    expect(page.locator("#queue-empty")).to_be_visible()
    expect(page.locator("#queue li")).to_have_count(0)
    expect(page.locator("#queue-status")).to_be_hidden()
    page.click("#signout button")  # nothing waiting for this one: no question
    expect(page.locator("[data-signed-out]")).to_be_visible()

    context.unroute("**/sync")
    sign_in(page, portal, "e2e.binta", f"/cases/{rid}")  # back: the check-in waited for her, and goes now
    expect(page.locator("#queue-status")).to_contain_text("1 suivi envoyé.")
    ready(page)
    assert len(network.call("GET", "monitoring", f"/v1/cases/{rid}", 200)["checkins"]) == 1
    context.route(f"**/cases/{rid}", lambda route: route.fulfill(status=503, body="down"))
    page.reload()  # the portal answers 503: the copy kept on the phone instead of an error
    expect(page.locator("#schedule")).to_be_visible()
    context.unroute(f"**/cases/{rid}")
    context.close()


def test_on_a_slow_connection_a_kept_page_answers_at_once_and_never_another_persons(browser, network, portal):  # noqa: F811
    rid, context, page = two_on_one_phone(browser, network, portal, "e2e.hawa", "e2e.oumar")
    page.reload()  # through the service worker: kept in this session
    ready(page)

    held = []  # the network does not answer (a very slow connection) until the test lets it
    hold = lambda route: held.append(route)  # noqa: E731
    context.route(f"**/cases/{rid}", hold)
    page.goto(portal + f"/cases/{rid}", timeout=10_000)  # the kept copy, without waiting for the network
    expect(page.locator("#schedule li")).not_to_have_count(0)
    assert len(held) == 1
    expect(page.locator("#newer")).to_be_hidden()
    held.pop().continue_()  # the network's answer comes: kept for the next visit, and offered
    expect(page.locator("#newer")).to_be_visible()
    measured = page.evaluate(MEASURE, [CONTROLS, MIN_TAP])
    assert measured["small"] == [] and measured["scrollWidth"] <= measured["viewport"], measured
    context.unroute(f"**/cases/{rid}")
    page.click("#newer-show")
    expect(page.locator("#newer")).to_be_hidden()
    expect(page.locator("#schedule li")).not_to_have_count(0)

    # her session ends without signing out; a colleague signs in on the same phone, the connection slow
    context.clear_cookies()
    page.goto(portal + "/login")
    page.fill("#username", "e2e.oumar")
    page.fill("#password", PASSWORD)
    is_home = lambda url: url == portal + "/"  # noqa: E731
    context.route(is_home, hold)
    shown = []
    page.on("framenavigated", lambda frame: frame == page.main_frame and shown.append(frame.url))
    page.click("form#login button[type=submit]", no_wait_after=True)
    page.wait_for_timeout(1500)  # three times the wait after which a kept copy would answer
    assert len(held) == 1 and shown == []  # still waiting for the network: never her kept home page
    held.pop().continue_()
    expect(page.locator("h1")).to_have_text("Bonjour Oumar")
    context.unroute(is_home)
    context.close()
