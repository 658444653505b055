"""The staff web app on a phone (375 x 812, issue 16 item 12): every page a role can open fits the width
without scrolling sideways, every control is large enough to tap (at least 24 x 24 px) and on screen, and
on a desktop no card of the returnee page holds content wider than itself.

Its own network (one per module); the data is chosen to be hard on a layout: long names, a long
unbroken client reference, region and support description, a partner with failing webhook deliveries,
published country figures and suppressed outcome rows. Screenshots go to var/screenshots/phone-*.png.
"""
from __future__ import annotations

import re
from datetime import datetime, timezone

import pytest
from playwright.sync_api import expect

from services.web import accounts, repository
from tests.e2e.pages import PASSWORD, SHOTS
from tests.helpers import eventually

PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}
MIN_TAP = 24
LONG_REF = "VWN-" + "7" * 40 + "-DOSSIER"  # one word, no place to break
CONTROLS = "a[href], button, input:not([type=hidden]), select, textarea, summary"

MEASURE = """([selector, minTap]) => {
  const vw = document.documentElement.clientWidth;
  const visible = el => el.checkVisibility ? el.checkVisibility({visibilityProperty: true}) : el.offsetParent !== null;
  const describe = el => {
    const text = (el.innerText || el.value || el.getAttribute('aria-label') || el.name || el.id || '').trim();
    return `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''} "${text.slice(0, 40)}"`;
  };
  const small = [], outside = [];
  for (const el of document.querySelectorAll(selector)) {
    if (!visible(el) || el.classList.contains('skip')) continue;  // the skip link shows only on focus
    const box = el.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) continue;
    if (box.width < minTap - 0.5 || box.height < minTap - 0.5)
      small.push(`${describe(el)} ${box.width.toFixed(0)}x${box.height.toFixed(0)}`);
    if (box.left < -0.5 || box.right > vw + 0.5)
      outside.push(`${describe(el)} at ${box.left.toFixed(0)}..${box.right.toFixed(0)}`);
  }
  // what sticks out: the innermost elements that end beyond the screen's right edge
  const beyond = el => el.getBoundingClientRect().right > vw + 0.5;
  const wide = [...document.body.querySelectorAll('*')].filter(el => beyond(el) && ![...el.children].some(beyond))
    .slice(0, 8).map(el => `${describe(el)} (${el.className || '-'}) ends at ${el.getBoundingClientRect().right.toFixed(0)}`);
  return {scrollWidth: document.documentElement.scrollWidth, bodyScrollWidth: document.body.scrollWidth,
          viewport: vw, small, outside, wide};
}"""

CARD_OVERFLOW = """() => {
  const out = [];
  for (const card of document.querySelectorAll('.panel')) {
    const box = card.getBoundingClientRect();
    const title = (card.querySelector('h2') || {}).innerText || '?';
    if (card.scrollWidth > card.clientWidth + 1) out.push(`${title}: scrollWidth ${card.scrollWidth} > ${card.clientWidth}`);
    for (const el of card.querySelectorAll('*')) {
      const r = el.getBoundingClientRect();
      if (r.width && r.right > box.right + 1)
        out.push(`${title}: ${el.tagName.toLowerCase()} "${(el.innerText || '').slice(0, 30)}" ends at ${r.right.toFixed(0)} > ${box.right.toFixed(0)}`);
    }
  }
  return out;
}"""


@pytest.fixture(scope="module")
def phone_staff(network):
    now = datetime.now(timezone.utc)
    for role in ("consultant", "project_lead", "admin"):
        if repository.find_account(f"e2e.{role}") is None:
            accounts.create_account(f"e2e.{role}", role, PASSWORD, now, display_name=f"E2E {role}")
    return network


@pytest.fixture(scope="module")
def cases(phone_staff):
    """Five returnees to Nigeria monitored (published figures), two to Ethiopia (suppressed rows), an alert,
    a partner whose webhook fails, and one returnee with values that do not break."""
    network = phone_staff
    ng = network.add_partner("NG", name="Lagos Reintegration and Sustainable Livelihoods Desk")
    network.call("PUT", "partners", f"/v1/partners/{ng['id']}/webhook", 200, role="admin",
                 json={"url": "https://hooks.receiver-that-does-not-resolve.example/homeward/webhook"})
    et = network.add_partner("ET")
    long_one = network.register(
        "NG", client_ref=LONG_REF, given_name="Oluwaseyifunmi", family_name="Adebayo-Ogunleye-Nwachukwu",
        region="Ibeju-Lekki-Epe-Ikorodu-Badagry-Lagos-Mainland", languages=["en", "yo", "ig", "ha"],
        household={"adults": 1, "minors": 1},
        reintegration_plan={"goals": {"economic": "Tailoringbusiness" + "inLagosMainlandmarket" * 3},
                            "planned_support": [{"type": "business", "budget_eur": 99999.5,
                                                 "description": "https://example.org/quotes/" + "sewingmachine" * 6}]})
    rids = [long_one["id"]] + [network.register("NG")["id"] for _ in range(4)]
    for i, rid in enumerate(rids):
        network.arrive(ng, rid)
        network.call("POST", "monitoring", "/v1/checkins", 201,
                     headers={**ng["headers"], "Idempotency-Key": f"phone-{rid}"},
                     json={"returnee_id": rid, "slot": 1, "contact_date": network.clock.today().isoformat(),
                           "contact_made": True, "contact_mode": "phone", "safety_concern": i == 0,
                           "scores": {"economic": 1 + i % 5, "housing": 4, "social": 3, "health": 4, "resilience": 3},
                           "support_delivered": [{"type": "business", "amount_eur": 500}]})
    for _ in range(2):
        rid = network.register("ET")["id"]
        network.arrive(et, rid)
    eventually(lambda: network.call("GET", "intake", "/v1/countries/NG/insights", 200)["returnees"] == 5,
               message="NG figures published")
    eventually(lambda: network.returnee(rids[0])["monitoring"]["open_alerts"] >= 1, message="the alert at intake")
    return {"returnee": rids[0], "partner": ng["id"], "network": network}


def open_as(browser, network, role: str, viewport: dict):
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    page.goto(network.urls["web"] + "/login")
    page.fill("#username", f"e2e.{role}")
    page.fill("#password", PASSWORD)
    page.click("form[action='/login'] button[type=submit]")
    expect(page).not_to_have_url(re.compile(r"/login"))
    return page


def pages_of(role: str, cases: dict) -> list[str]:
    rid, partner = cases["returnee"], cases["partner"]
    everyone = ["/countries", "/countries/NG", "/countries/ET", f"/returnees/{rid}", f"/returnees/{rid}/progress-report",
                "/returnees", "/account/mail"]
    writers = ["/alerts", "/returnees/new", f"/returnees/{rid}/edit"]
    leads = ["/dashboard", "/outcomes", "/outcomes?by=partner", "/reports/quarterly", "/reports/programme"]
    admins = ["/partners", f"/partners/{partner}", "/staff", "/staff/mail", "/admin/rules"]
    return {"consultant": everyone + writers, "project_lead": everyone + leads,
            "admin": everyone + writers + leads + admins}[role]


@pytest.mark.parametrize("role", ["consultant", "project_lead", "admin"])
def test_every_page_fits_a_phone_and_its_controls_can_be_tapped(browser, cases, role):
    network = cases["network"]
    page = open_as(browser, network, role, PHONE)
    problems = []
    for path in pages_of(role, cases):
        response = page.goto(network.urls["web"] + path)
        assert response.status == 200, f"{role} {path}: {response.status}"
        found = page.evaluate(MEASURE, [CONTROLS, MIN_TAP])
        named = path.replace(cases["returnee"], "one").replace(cases["partner"], "one")
        name = f"phone-{role}-" + re.sub(r"[^a-z0-9]+", "-", named.lower()).strip("-")
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
        if found["scrollWidth"] > PHONE["width"] or found["bodyScrollWidth"] > PHONE["width"]:
            problems.append(f"{path}: {found['scrollWidth']} px wide (body {found['bodyScrollWidth']}): "
                            + "; ".join(found["wide"]))
        if found["small"]:
            problems.append(f"{path}: smaller than {MIN_TAP}x{MIN_TAP}: " + "; ".join(found["small"]))
        if found["outside"]:
            problems.append(f"{path}: off screen: " + "; ".join(found["outside"]))
    page.context.close()
    assert not problems, f"{role} on a {PHONE['width']} px phone:\n" + "\n".join(problems)


def test_the_alert_buttons_are_on_a_phones_screen(browser, cases):
    network = cases["network"]
    page = open_as(browser, network, "consultant", PHONE)
    page.goto(network.urls["web"] + "/alerts")
    rows = page.locator("tr[data-alert]")
    assert rows.count() >= 1
    for button in rows.first.locator("button, input[name=note]").all():
        box = button.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], \
            f"{button.inner_text() or 'note'} at {box}"
    # and they work there: the note and the acknowledgement
    rows.first.locator("input[name=note]").fill("Called her on the phone")
    acknowledge = rows.first.locator("button[formaction$='/acknowledge']")
    acknowledge.scroll_into_view_if_needed()
    acknowledge.click()
    expect(page.locator("tr[data-alert] .alert-status").first).not_to_have_text("Open")
    page.context.close()


def test_the_returnee_page_cards_hold_their_values_on_a_desktop(browser, cases):
    network = cases["network"]
    page = open_as(browser, network, "consultant", DESKTOP)
    page.goto(network.urls["web"] + f"/returnees/{cases['returnee']}")
    expect(page.locator("h1")).to_contain_text("Adebayo")
    expect(page.locator(".panel").first).to_contain_text(LONG_REF)
    page.screenshot(path=str(SHOTS / "desktop-returnee-long-values.png"), full_page=True)
    overflow = page.evaluate(CARD_OVERFLOW)
    page.context.close()
    assert not overflow, "content wider than its card:\n" + "\n".join(overflow)


CHART_TEXT = """() => [...document.querySelectorAll('svg.chart')].flatMap(svg => {
  const view = svg.viewBox.baseVal;
  return [...svg.querySelectorAll('text')].map(t => ({chart: svg.getAttribute('aria-label'), text: t.textContent,
                                                     box: t.getBBox(), right: view.width, bottom: view.height}))
    .filter(t => t.box.x < -0.5 || t.box.x + t.box.width > t.right + 0.5 || t.box.y < -0.5
                 || t.box.y + t.box.height > t.bottom + 0.5)
    .map(t => `${t.chart}: "${t.text}" at ${t.box.x.toFixed(0)}..${(t.box.x + t.box.width).toFixed(0)} of ${t.right}`);
})"""


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_dashboard_charts_show_their_labels_whole(browser, cases, viewport):
    network = cases["network"]
    page = open_as(browser, network, "project_lead", viewport)
    page.goto(network.urls["web"] + "/dashboard")
    expect(page.locator("#chart-timeliness svg text").first).to_be_attached()
    cut = page.evaluate(CHART_TEXT)
    page.context.close()
    assert not cut, "chart labels cut off:\n" + "\n".join(cut)
