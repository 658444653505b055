"""The case file's conversations in a real headless Chromium against the running network (issue 20, item 1): a
consultant on a phone, without JavaScript, records a conversation and finds it on the returnee's page, in the
timeline and by a search; a project lead's page of the same client shows no conversation.

One module-scoped network and browser (the fixtures of conftest.py).
"""
from __future__ import annotations


from playwright.sync_api import expect

from tests.e2e.pages import PHONE, shot, sign_in

TEXT = "Zqn: gesprek over de terugkeer, cliënt wil een naaiatelier beginnen in Enugu."


def test_a_consultant_records_a_conversation_and_a_project_lead_sees_none(browser, staff):
    network = staff
    rid = network.register("NG")["id"]
    page = sign_in(browser, network, "consultant", f"/returnees/{rid}", viewport=PHONE, javascript=False)
    expect(page.locator("#gesprekken h2")).to_have_text("Gesprekken")
    expect(page.locator("#gesprekken")).to_contain_text("Nog geen gesprekken vastgelegd.")
    page.click("#gesprekken summary")
    page.select_option("#note-mode", "phone")
    page.check("#note-with-lawyer")
    page.check("#note-interpreter")
    page.fill("#note-text", TEXT)
    page.click(".note-form button[type=submit]")

    expect(page.locator(".flash")).to_contain_text("Het gesprek is vastgelegd.")
    note = page.locator("#gesprekken .note")
    expect(note).to_have_count(1)
    expect(note.locator(".note-text")).to_have_text(TEXT)
    expect(note.locator(".note-head")).to_contain_text("Telefonisch")
    expect(note.locator(".note-head")).to_contain_text("met een tolk")
    expect(page.locator(".timeline li[data-kind=note]")).to_have_count(1)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], width  # the section fits the phone's width
    shot(page, "notes-consultant-phone")

    page.fill("#notes_q", "NAAIATELIER")
    page.click(".notes-search button[type=submit]")
    expect(page.locator("#gesprekken .note")).to_have_count(1)
    page.fill("#notes_q", "kapsalon")
    page.click(".notes-search button[type=submit]")
    expect(page.locator("#gesprekken")).to_contain_text("Geen gesprek bevat deze woorden.")

    lead = sign_in(browser, network, "project_lead", f"/returnees/{rid}")
    expect(lead.locator("h1")).to_be_visible()
    expect(lead.locator("#gesprekken")).to_have_count(0)
    expect(lead.locator(".timeline li[data-kind=note]")).to_have_count(0)
    assert "Zqn" not in lead.locator("main").inner_text()
    shot(lead, "notes-project-lead")
