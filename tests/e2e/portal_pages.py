"""The partner portal's browser tests' helpers (tests/e2e/test_portal_*.py): the `portal` fixture, a phone-sized
browser context, signing in, an organisation with people, a case arrived, the check-in form filled, and the measure of
a page at 375 px (no sideways scrolling, 44 px tap targets, left to right and right to left, axe-core) with its
screenshots (var/screenshots/portal-*.png)."""
from __future__ import annotations

import re
from contextlib import contextmanager
from pathlib import Path

import pytest
import requests
from playwright.sync_api import expect

from tests.e2e.pages import SHOTS

PASSWORD = "a field worker's passphrase"
AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text()
PHONE = {"width": 375, "height": 812}
MIN_TAP = 44
CONTROLS = "a[href], button, input:not([type=hidden]), select, textarea, summary"
MEASURE = """([selector, minTap]) => {
  const vw = document.documentElement.clientWidth;
  const seen = el => el.checkVisibility({visibilityProperty: true}) && !el.classList.contains('skip');
  const say = el => `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}[${el.name || ''}] "${(el.innerText || el.value || '').trim().slice(0, 30)}"`;
  const small = [];
  for (const el of document.querySelectorAll(selector)) {
    if (!seen(el)) continue;
    const box = el.getBoundingClientRect();
    if (box.width < minTap - 0.5 || box.height < minTap - 0.5) small.push(`${say(el)} ${box.width.toFixed(0)}x${box.height.toFixed(0)}`);
  }
  const beyond = el => el.getBoundingClientRect().right > vw + 0.5;
  const wide = [...document.body.querySelectorAll('*')].filter(el => beyond(el) && ![...el.children].some(beyond)).slice(0, 5).map(say);
  return {scrollWidth: document.documentElement.scrollWidth, viewport: vw, small, wide};
}"""


# a returnee to Guinea, her plan written in French (the pages are shown in French: docs/screenshots)
GUINEAN = {"given_name": "Aïssatou", "family_name": "Bah",
           "reintegration_plan": {"goals": {"economic": "Ouvrir un atelier de couture à Conakry"},
                                  "planned_support": [{"type": "business", "description": "machine à coudre",
                                                       "budget_eur": 1200}]}}


@contextmanager
def served_portal(network, database: str):
    """The portal served on its own port and store against the network's partners and monitoring APIs, on the
    network's clock; yields its URL (a module's fixture: `with served_portal(network, "portal_x_test") as url`)."""
    from services.portal.app import build as build_portal
    from services.portal.app import create_app as portal_app
    from services.portal.config import PortalSettings
    from tests.e2e.conftest import ServedApp

    settings = PortalSettings(partners_url=network.urls["partners"], monitoring_url=network.urls["monitoring"],
                              mongodb_db=database)
    served = ServedApp(portal_app(portal=build_portal(settings, clock=network.clock)))
    try:
        yield served.url
    finally:
        served.stop()


@pytest.fixture(scope="module")
def portal(network):
    """The portal of a module that imports this fixture (its own port and store: served_portal), known to the
    network as "portal"."""
    with served_portal(network, "portal_test") as url:
        network.urls["portal"] = url
        yield url


def partner_with_people(network, country: str, languages: list[str], *people: tuple[str, str],
                        also: tuple[str, ...] = ()) -> dict:
    """An organisation (with API credentials, for the test's own waits) and its people, passwords set; it works in
    `country` and the countries `also` names."""
    partner = network.call("POST", "partners", "/v1/partners", 201, role="admin", json={
        "name": f"Partner {country} {len(people)}", "countries": [country, *also], "languages": languages,
        "services": ["business", "housing"], "contact": {"name": "Case desk", "email": "desk@partner.example"}})
    partner["credentials"] = network.call("POST", "partners", f"/v1/partners/{partner['id']}/credentials", 201,
                                          role="admin")
    renew_token(network, partner)
    for username, role in people:
        created = network.call("POST", "partners", f"/v1/partners/{partner['id']}/users", 201, role="admin",
                               json={"username": username, "display_name": username.split(".")[-1].title(),
                                     "role": role, "email": f"{username}@partner.example"})
        network.call("POST", "partners", "/v1/partner-users/invitations/redeem", 200, headers={},
                     json={"code": created["invite_code"], "password": PASSWORD})
    return partner


def renew_token(network, partner: dict) -> None:
    """The organisation's API token (client credentials), for the test's own calls and waits."""
    cred = partner["credentials"]
    token = requests.post(network.urls["partners"] + "/v1/oauth/token", timeout=10, data={
        "grant_type": "client_credentials", "client_id": cred["client_id"], "client_secret": cred["client_secret"]})
    partner["headers"] = {"Authorization": "Bearer " + token.json()["access_token"]}


def phone(browser, lang: str = "fr-FR"):
    context = browser.new_context(viewport=PHONE, locale=lang, timezone_id="UTC", service_workers="allow")
    page = context.new_page()
    page.on("console", lambda m: m.type == "error" and print("console:", m.text))
    page.on("pageerror", lambda e: print("page error:", e))
    return context, page


def sign_in(page, portal_url: str, username: str, path: str = "/"):
    page.goto(portal_url + path)
    expect(page).to_have_url(re.compile(r"/login"))
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("form#login button[type=submit]")
    expect(page.locator("h1")).not_to_have_text(re.compile("connecter|Sign in"))


def check_phone_page(page, name: str, show: str | None = None) -> None:
    """375 px: no sideways scrolling, every control at least 44 x 44 px, written left to right and right to left
    (the page's `dir` turned to rtl, as an Arabic catalogue would: tests/unit/portal/test_catalogues.py); axe-core:
    no violation. Screenshots: the whole page, and the phone's screen (scrolled to `show`)."""
    measured = page.evaluate(MEASURE, [CONTROLS, MIN_TAP])
    assert measured["scrollWidth"] <= measured["viewport"], (name, measured["wide"])
    assert measured["small"] == [], (name, measured["small"])
    written = page.evaluate("() => { const was = document.documentElement.dir; document.documentElement.dir = 'rtl'; "
                            "return was; }")
    mirrored = page.evaluate(MEASURE, [CONTROLS, MIN_TAP])
    page.evaluate("(was) => { document.documentElement.dir = was; }", written)
    assert mirrored["scrollWidth"] <= mirrored["viewport"] and mirrored["small"] == [], (name, "rtl", mirrored)
    if not page.evaluate("() => !!window.axe"):
        page.evaluate(AXE)
    found = page.evaluate("async () => (await axe.run(document)).violations.map(v => "
                          "`${v.id}: ${v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', ')}`)")
    assert found == [], (name, found)
    page.screenshot(path=str(SHOTS / f"portal-{name}.png"), full_page=True)
    if show:
        page.locator(show).evaluate("el => el.scrollIntoView({block: 'start'})")
    page.screenshot(path=str(SHOTS / f"portal-{name}-screen.png"))  # what a phone shows (docs/screenshots)


def ready(page) -> None:
    """The page's script has run (counted the waiting check-ins, tried to send them)."""
    page.wait_for_function("() => document.documentElement.dataset.ready === '1'")


def offline_ready(page, portal_url: str) -> None:
    """The service worker controls the page and has kept the form and the case pages."""
    page.wait_for_function("() => !!navigator.serviceWorker.controller")
    page.wait_for_function("""async () => {
      const user = document.querySelector('meta[name=portal-user]').content;
      const cache = await caches.open('portal-pages-' + user);
      return !!(await cache.match('/checkin', {ignoreSearch: true})) && !!(await cache.match('/waiting'));
    }""")


def fill_checkin(page, scores: dict, mode: str = "phone", paid: tuple[str, str] | None = None) -> None:
    """`paid`: (the amount as paid, in the currency the form chose, and its value in euros), as typed."""
    page.check("#f-contact_made-yes")
    page.select_option("#f-contact_mode", mode)
    for domain, score in scores.items():
        page.check(f"input[name='scores.{domain}'][value='{score}']")
    if paid:
        page.select_option("select[name='support_delivered.0.type']", "business")
        page.fill("input[name='support_delivered.0.amount']", paid[0])
        page.fill("input[name='support_delivered.0.amount_eur']", paid[1])


def arrived_case(network, partner: dict) -> str:
    rid = network.register("GN", languages=["fr"], **GUINEAN)["id"]
    network.arrive(partner, rid)
    return rid


def two_on_one_phone(browser, network, portal, first: str, second: str):
    """Two field workers of one organisation, an arrived case; the first signed in on its page, kept offline."""
    partner = partner_with_people(network, "GN", ["fr"], (first, "field_worker"), (second, "field_worker"))
    rid = arrived_case(network, partner)
    context, page = phone(browser)
    sign_in(page, portal, first, f"/cases/{rid}")
    ready(page)
    offline_ready(page, portal)
    return rid, context, page
