"""The partner portal (issue 18) in a real headless Chromium against the running network: a Guinean field
worker signs in in French, takes a case from the offer to its first check-ins with the connection gone in
between, and nothing is stored twice; another organisation's field worker gets 404; staff and portal
sessions open nothing of each other; every page fits a 375 px phone with 44 px tap targets, and axe-core
finds no violation. Screenshots go to var/screenshots/portal-*.png (helpers: portal_pages.py).

The portal runs in this module (its own port and store) against the `network` fixture's partners and
monitoring APIs, on the network's clock.
"""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pytest
from playwright.sync_api import expect

from services.web import accounts
from tests.e2e.pages import PASSWORD as STAFF_PASSWORD
from tests.e2e.portal_pages import (CONTROLS, GUINEAN, MEASURE, MIN_TAP, PASSWORD, arrived_case, check_phone_page,
                                    fill_checkin, offline_ready, partner_with_people, phone, ready, renew_token,
                                    served_portal, sign_in, two_on_one_phone)
from tests.helpers import eventually


@pytest.fixture(scope="module")
def portal(network):
    with served_portal(network, "portal_test") as url:
        network.urls["portal"] = url
        yield url


def test_a_field_worker_takes_a_case_from_the_offer_to_its_check_ins_offline_in_between(browser, network, portal):
    partner = partner_with_people(network, "GN", ["fr", "ff", "sus"], ("e2e.fatou", "field_worker"), also=("SN",))
    other = partner_with_people(network, "GN", ["fr"], ("e2e.mamadou", "field_worker"))
    rid = network.register("GN", languages=["fr", "sus"], household={"adults": 1, "minors": 2}, **GUINEAN)["id"]
    network.call("POST", "intake", f"/v1/returnees/{rid}/handover", 202, json={"partner_id": partner["id"]})
    network.wait_handover(partner, rid)

    context, page = phone(browser)
    sign_in(page, portal, "e2e.fatou")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.locator("#offers")).to_contain_text("jours pour répondre")
    ready(page)
    check_phone_page(page, "home-first")

    # the offer: what to decide, then accept
    page.click("#offers a")
    expect(page.locator("h1")).to_have_text("Dossier proposé")
    expect(page.locator("main")).to_contain_text("2 enfants")
    check_phone_page(page, "offer")
    page.click("form#accept button")
    expect(page.locator(".flash")).to_contain_text("Vous avez accepté le dossier")
    network.wait_status(rid, "handover_accepted")
    network.call("POST", "intake", f"/v1/returnees/{rid}/departure", 200,
                 json={"departed_on": network.clock.today().isoformat()})
    network.wait_status(rid, "departed")

    # the arrival, confirmed on the case page; the schedule follows from monitoring
    page.reload()
    check_phone_page(page, "case-accepted")
    page.click("form#arrival button")
    expect(page.locator(".flash")).to_contain_text("Arrivée confirmée")
    eventually(lambda: network._case_exists(rid), message="monitoring case")
    page.reload()
    expect(page.locator("#schedule li")).not_to_have_count(0)
    ready(page)
    offline_ready(page, portal)
    check_phone_page(page, "case")

    # no connection: two check-ins filled and kept on the device
    context.set_offline(True)
    page.click("#schedule li[data-slot='1'] a.button")
    expect(page.locator("#checkin-about")).to_contain_text("Suivi du mois 1")
    fill_checkin(page, {"economic": 2, "housing": 4, "social": 4, "health": 3, "resilience": 3},
                 paid=("11 500 000", "1 200,50"))
    # the organisation works in two countries (the form's own default is the euro): the case's currency, offline
    expect(page.locator("select[name='support_delivered.0.currency']")).to_have_value("GNF")
    check_phone_page(page, "checkin", show="fieldset[data-field='scores']")  # the rubric
    page.click("#save")
    expect(page.locator("#queue-status")).to_contain_text("1 suivi attend d'être envoyé.")
    page.click("a.button[href*='slot=ad_hoc']")
    expect(page.locator("#checkin-about")).to_contain_text("Suivi supplémentaire")
    fill_checkin(page, {"economic": 3, "housing": 4}, mode="in_person")
    page.click("#save")
    expect(page.locator("#queue-status")).to_contain_text("2 suivis attendent d'être envoyés.")

    page.reload()  # still without a connection: the app, and what waits
    expect(page.locator("#connection")).to_be_visible()
    expect(page.locator("#queue-status")).to_contain_text("2 suivis attendent d'être envoyés.")
    page.goto(portal + "/waiting")
    expect(page.locator("#queue li")).to_have_count(2)
    check_phone_page(page, "waiting")
    assert len(network.call("GET", "monitoring", f"/v1/cases/{rid}", 200)["checkins"]) == 0

    # the connection is back: both go, each result shown
    syncs = []
    page.on("request", lambda r: r.url.endswith("/sync") and syncs.append(r.post_data_json))
    context.set_offline(False)
    expect(page.locator("#queue-status")).to_contain_text("2 suivis envoyés.")
    expect(page.locator("#queue li")).to_have_count(0)
    assert [len(s["items"]) for s in syncs] == [2]
    checkins = network.call("GET", "monitoring", f"/v1/cases/{rid}", 200)["checkins"]
    assert sorted(str(c["slot"]) for c in checkins) == ["1", "ad_hoc"]
    support = next(c for c in checkins if c["slot"] == 1)["support_delivered"][0]
    assert (support["amount"], support["currency"], support["amount_eur"]) == (11_500_000, "GNF", 1200.5)

    # a second sync sends nothing, and the case shows what was sent
    page.goto(portal + f"/cases/{rid}")
    ready(page)
    page.reload()
    ready(page)
    assert [len(s["items"]) for s in syncs] == [2]
    assert len(network.call("GET", "monitoring", f"/v1/cases/{rid}", 200)["checkins"]) == 2
    expect(page.locator("#checkins li")).to_have_count(2)

    # another organisation's field worker: that case does not exist for them
    _, stranger = phone(browser)
    sign_in(stranger, portal, "e2e.mamadou")
    assert stranger.goto(portal + f"/cases/{rid}").status == 404
    expect(stranger.locator("h1")).to_have_text("Introuvable")
    assert other["id"] != partner["id"]
    context.close()


def test_staff_and_portal_sessions_open_nothing_of_each_other(browser, staff, portal):
    network = staff
    partner_with_people(network, "GN", ["fr"], ("e2e.kadiatou", "field_worker"))
    context, page = phone(browser)
    page.goto(network.urls["web"] + "/login")
    page.fill("#username", "e2e.consultant")
    page.fill("#password", STAFF_PASSWORD)
    page.click("form[action='/login'] button[type=submit]")
    expect(page).to_have_url(re.compile(r"/returnees"))
    assert any(c["name"] == "homeward_session" for c in context.cookies())
    page.goto(portal + "/cases")  # the same host: the browser sends the staff cookie along, and it opens nothing
    expect(page).to_have_url(re.compile(r"/login\?next=/cases$"))
    sign_in(page, portal, "e2e.kadiatou")
    assert {"homeward_session", "homeward_portal_session"} <= {c["name"] for c in context.cookies()}
    kept = [c for c in context.cookies() if c["name"] != "homeward_session"]
    context.clear_cookies()
    context.add_cookies(kept)
    page.goto(network.urls["web"] + "/returnees")  # the portal's cookie is not a staff session
    expect(page).to_have_url(re.compile(r"/login"))
    context.close()


def test_a_check_in_refused_for_its_content_stays_with_its_errors_at_the_fields_until_corrected(browser, network, portal):
    partner = partner_with_people(network, "GN", ["fr"], ("e2e.aissata", "field_worker"))
    rid = arrived_case(network, partner)
    context, page = phone(browser)
    sign_in(page, portal, "e2e.aissata", f"/checkin?returnee_id={rid}&slot=1")
    ready(page)
    yesterday = (network.clock.today() - timedelta(days=1)).isoformat()
    page.fill("#f-contact_date", yesterday)  # before the arrival: monitoring refuses it
    fill_checkin(page, {"economic": 3})
    page.click("#save")
    error = page.locator("[data-field='contact_date'] p.error")
    expect(error).to_have_text("Ne doit être ni avant l'arrivée, ni dans le futur.")
    expect(page.locator("#f-contact_date")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#form-problem")).to_contain_text("Certains champs sont à vérifier.")
    expect(page).to_have_url(re.compile(r"/checkin\?item="))
    check_phone_page(page, "checkin-refused")
    refused_key = page.evaluate("""async () => {
      const q = await import('/static/queue.js');
      const user = document.querySelector('meta[name=portal-user]').content;
      return (await (await q.openQueue(user)).all())[0].key;
    }""")
    page.goto(portal + "/waiting")  # kept on the device, with what to correct
    expect(page.locator("#queue li[data-state='refused']")).to_contain_text("Ne doit être ni avant l'arrivée")
    page.click("#queue li a.button")
    expect(page.locator("#f-contact_date")).to_have_value(yesterday)
    page.fill("#f-contact_date", network.clock.today().isoformat())
    syncs = []
    page.on("request", lambda r: r.url.endswith("/sync") and syncs.append(r.post_data_json))
    page.click("#save")
    expect(page).to_have_url(re.compile(rf"/cases/{rid}$"))
    assert len(syncs) == 1 and syncs[0]["items"][0]["idempotency_key"] != refused_key  # a new request
    checkins = network.call("GET", "monitoring", f"/v1/cases/{rid}", 200)["checkins"]
    assert [c["contact_date"] for c in checkins] == [network.clock.today().isoformat()]
    context.close()


def test_a_shared_phone_keeps_each_field_workers_check_ins_apart_and_signing_out_asks_first(browser, network, portal):
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


def test_on_a_slow_connection_a_kept_page_answers_at_once_and_never_another_persons(browser, network, portal):
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


def test_a_coordinator_invites_a_field_worker_who_sets_a_password_and_signs_in(browser, network, portal):
    partner = partner_with_people(network, "GN", ["fr"], ("e2e.coordinatrice", "coordinator"))
    network.call("PUT", "partners", f"/v1/partners/{partner['id']}/webhook", 200, role="admin",
                 json={"url": "https://hooks.receiver-that-does-not-resolve.example/portal"})
    context, page = phone(browser)
    sign_in(page, portal, "e2e.coordinatrice", "/team")
    expect(page.locator("h1")).to_have_text("Votre organisation")
    expect(page.locator("#webhook .url")).to_have_text("https://hooks.receiver-that-does-not-resolve.example/portal")
    expect(page.locator("#webhook .state")).to_have_text("Actif : les messages arrivent à votre logiciel.")
    expect(page.locator("#notifications")).to_contain_text("arrivent par e-mail à chaque personne")
    check_phone_page(page, "team")
    page.goto(portal + "/settings")
    expect(page.locator("h1")).to_have_text("Paramètres des e-mails")
    check_phone_page(page, "mail-settings")
    page.check("#f-offer_new-digest")
    page.click("form#mail-settings button[type=submit]")
    expect(page.locator(".flash")).to_have_text("Vos paramètres d'e-mail sont enregistrés.")
    expect(page.locator("#f-offer_new-digest")).to_be_checked()
    page.goto(portal + "/team")
    page.fill("#display_name", "Ibrahima Diallo")
    page.fill("#new-username", "e2e.ibrahima")
    page.fill("#email", "ibrahima@partner.example")
    page.click("form#invite button")
    code = page.locator("#invite-code").inner_text()
    link = page.locator("#invite-link").inner_text()
    assert re.fullmatch(r"[0-9A-Z]{4}(-[0-9A-Z]{4}){3}", code) and link.endswith(f"/welcome?code={code}")
    expect(page.locator("#people")).to_contain_text("Invité ; mot de passe pas encore choisi")

    newcomer, welcome = phone(browser)
    welcome.goto(portal + f"/welcome?code={code}")
    expect(welcome.locator("#code")).to_have_value(code)
    check_phone_page(welcome, "welcome")
    welcome.fill("#password", PASSWORD)
    welcome.fill("#password_again", PASSWORD)
    welcome.click("form button[type=submit]")
    expect(welcome.locator(".flash")).to_contain_text("e2e.ibrahima")
    sign_in(welcome, portal, "e2e.ibrahima")
    expect(welcome.locator("h1")).to_have_text("Bonjour Ibrahima Diallo")
    assert welcome.goto(portal + "/team").status == 403  # a field worker has no team page
    newcomer.close()
    context.close()


def test_the_sign_in_page_fits_a_phone_and_speaks_the_browsers_language(browser, portal):
    context, page = phone(browser, lang="en-GB")
    page.goto(portal + "/login")
    expect(page.locator("h1")).to_have_text("Sign in")
    check_phone_page(page, "login")
    page.fill("#username", "nobody")
    page.fill("#password", "not the password")
    page.click("form#login button[type=submit]")
    expect(page.locator("#login-error")).to_have_text("Wrong user name or password, or the account is not active.")
    page.click("a[hreflang=fr]")
    expect(page.locator("h1")).to_have_text("Se connecter")
    context.close()


def test_the_home_page_lists_the_check_ins_due_first(browser, network, portal):
    """The last test of this module: it moves the network's clock on by 25 days (month 1 falls due in 5)."""
    partner = partner_with_people(network, "GN", ["fr"], ("e2e.mariama", "field_worker"))
    rid = arrived_case(network, partner)
    network.clock.advance(days=25)
    renew_token(network, partner)  # the earlier one has expired meanwhile
    offered = network.register("GN", languages=["fr"], household={"adults": 2, "minors": 3}, **GUINEAN)["id"]
    network.call("POST", "intake", f"/v1/returnees/{offered}/handover", 202, json={"partner_id": partner["id"]})
    network.wait_handover(partner, offered)
    context, page = phone(browser)
    sign_in(page, portal, "e2e.mariama")
    expect(page.locator("#due li")).to_have_count(1)
    expect(page.locator("#due li")).to_contain_text("Suivi du mois 1")
    expect(page.locator(f"#due a[href*='returnee_id={rid}']")).to_have_count(1)
    expect(page.locator("#offers li")).to_have_count(1)
    ready(page)
    check_phone_page(page, "home")
    context.close()


@pytest.fixture(scope="module")
def staff(network):
    now = datetime.now(timezone.utc)
    if accounts.account("e2e.consultant") is None:
        accounts.create_account("e2e.consultant", "consultant", STAFF_PASSWORD, now, display_name="E2E consultant")
    return network
