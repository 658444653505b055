"""Signing in to the partner portal, and its team page (issue 18), in a real headless Chromium at 375 px: staff and
portal sessions open nothing of each other; a coordinator invites a field worker, who sets a password and signs in;
the sign-in page speaks the browser's language."""
from __future__ import annotations

import re
from datetime import datetime, timezone

import pytest
from playwright.sync_api import expect

from services.web import accounts
from tests.e2e.pages import PASSWORD as STAFF_PASSWORD
from tests.e2e.portal_pages import PASSWORD, check_phone_page, partner_with_people, phone, sign_in
from tests.e2e.portal_pages import portal  # noqa: F401 - fixtures


def test_staff_and_portal_sessions_open_nothing_of_each_other(browser, staff, portal):  # noqa: F811
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


def test_a_coordinator_invites_a_field_worker_who_sets_a_password_and_signs_in(browser, network, portal):  # noqa: F811
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


def test_the_sign_in_page_fits_a_phone_and_speaks_the_browsers_language(browser, portal):  # noqa: F811
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


@pytest.fixture(scope="module")
def staff(network):
    now = datetime.now(timezone.utc)
    if accounts.account("e2e.consultant") is None:
        accounts.create_account("e2e.consultant", "consultant", STAFF_PASSWORD, now, display_name="E2E consultant")
    return network
