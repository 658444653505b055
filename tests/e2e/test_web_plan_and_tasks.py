"""The perspective plan and the worklist in a real headless Chromium (issue 20, items 3 and 6): a consultant on
a 375 px phone fixes a plan with two dated goals, changes it (version 2 beside version 1, with what changed and
why), and six months after the plan was fixed (the network's ManualClock moved on) finds the evaluation on
/tasks, linked from the staff navigation.

One module-scoped network and browser (the fixtures of conftest.py).
"""
from __future__ import annotations

from datetime import timedelta

from playwright.sync_api import expect

from tests.e2e.pages import shot, sign_in

PHONE = {"width": 375, "height": 812}
HOUSING = "Zqp: een kamer bij zijn oom in Enugu"


def _fits(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], width


def test_a_consultant_fixes_and_changes_a_plan_and_sees_the_evaluation_six_months_on(browser, staff):
    network = staff
    rid = network.register("NG", consultant="web:e2e.consultant")["id"]
    today = network.clock.today()
    page = sign_in(browser, network, "consultant", f"/returnees/{rid}")
    page.set_viewport_size(PHONE)
    page.click("#perspectiefplan a")
    expect(page.locator("h1")).to_contain_text("Perspectiefplan")
    expect(page.locator("#plan-now h2")).to_have_text("Nog geen plan")
    page.select_option("#f-goals\\.0\\.domain", "housing")
    page.fill("#f-goals\\.0\\.goal", HOUSING)
    page.fill("#f-goals\\.0\\.needed", "Huur voor drie maanden")
    page.select_option("#f-goals\\.0\\.who", "partner")
    page.fill("#f-goals\\.0\\.deadline", (today + timedelta(days=90)).isoformat())
    page.select_option("#f-goals\\.1\\.domain", "economic")
    page.fill("#f-goals\\.1\\.goal", "Een naaiatelier beginnen")
    page.fill("#f-goals\\.1\\.deadline", (today + timedelta(days=150)).isoformat())
    page.click("#plan-edit button[type=submit]")
    expect(page.locator(".flash")).to_contain_text("nieuwe versie")
    expect(page.locator("#plan-now")).to_have_attribute("data-version", "1")
    page.click(".fix-plan button[type=submit]")
    expect(page.locator(".flash")).to_contain_text("vastgesteld")
    expect(page.locator("#plan-now .plan-state")).to_contain_text("Vastgesteld op")

    page.select_option("#f-goals\\.0\\.status", "achieved")  # the change, with what and why
    page.click("#plan-edit button[type=submit]")
    expect(page.locator("#reason-error")).to_contain_text("waarom")  # a fixed plan changes with its reason
    page.select_option("#f-goals\\.0\\.status", "achieved")
    page.fill("#f-reason", "Kamer gevonden bij de oom; het doel is behaald.")
    page.click("#plan-edit button[type=submit]")
    expect(page.locator("#plan-now")).to_have_attribute("data-version", "2")
    versions = page.locator("#plan-versions .plan-version")
    expect(versions).to_have_count(2)
    second = page.locator(".plan-version[data-version='2']")
    expect(second.locator(".plan-reason")).to_contain_text("Kamer gevonden bij de oom")
    expect(second.locator(".plan-changes")).to_contain_text("Gewijzigd: " + HOUSING + " (Status)")
    expect(second.locator(".plan-goals")).to_contain_text("Behaald")
    expect(page.locator(".plan-version[data-version='1'] .plan-goals")).to_contain_text("Open")
    _fits(page)
    shot(page, "plan-versions-phone")
    page.set_viewport_size({"width": 1280, "height": 900})
    first_box, second_box = (page.locator(f".plan-version[data-version='{n}']").bounding_box() for n in (1, 2))
    assert first_box["y"] == second_box["y"] and first_box["x"] < second_box["x"]  # side by side
    shot(page, "plan-versions-desktop")

    page.set_viewport_size(PHONE)
    page.goto(network.urls["web"] + "/tasks")
    expect(page.locator(".task[data-kind=plan_evaluation]")).to_have_count(0)  # not due for half a year
    network.clock.advance(days=183)
    page.click("nav a:text-is('Taken')")
    evaluation = page.locator(".task[data-kind=plan_evaluation]")
    expect(evaluation).to_have_count(1)
    expect(evaluation).to_contain_text("Evaluatie perspectiefplan")
    expect(evaluation).to_contain_text("Amina Okafor")
    expect(page.locator(".task[data-kind=goal_deadline]")).to_have_count(1)  # the housing goal is achieved
    _fits(page)
    shot(page, "tasks-phone")
    evaluation.locator("form[action$='/done'] button").click()
    expect(page.locator(".flash")).to_contain_text("gedaan")
    expect(page.locator(".task[data-kind=plan_evaluation]")).to_have_count(0)
