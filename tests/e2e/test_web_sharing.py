"""Sharing the case file with the partner in a real headless Chromium (issue 20, "Privacy and access"): on a
375 px phone a consultant shares one conversation note and one document with the partner holding the case
("Delen met partner"), the page says with whom and since when, and the partner's field worker finds both on the
case's page in the portal, in French, beside the fixed perspective plan with its goals, also with the connection
gone; "Niet meer delen" takes the note away from the partner again. Before a partner holds the case no share
button is offered, and a project lead's page of the client shows neither the notes nor the buttons.
"""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.pages import PHONE, shot, sign_in
from tests.e2e.portal_pages import GUINEAN, check_phone_page, partner_with_people, phone, served_portal
from tests.e2e.portal_pages import sign_in as portal_sign_in
from tests.helpers import eventually

NOTE = "Zqs: gesprek met de cliënte over haar naaiatelier."
GOALS = [{"domain": "economic", "goal": "Ouvrir un atelier de couture", "needed": "Une machine à coudre",
          "who": "partner", "status": "in_progress"},
         {"domain": "housing", "goal": "Trouver une chambre à Conakry", "who": "client"}]


@pytest.fixture(scope="module")
def portal(staff):
    with served_portal(staff, "portal_sharing_test") as url:
        yield url


def test_a_consultant_shares_a_note_and_a_document_and_the_field_worker_reads_them_with_the_plan(
        browser, staff, portal):
    network = staff
    partner = partner_with_people(network, "GN", ["fr"], ("e2e.aminata", "field_worker"))
    rid = network.register("GN", languages=["fr"], **GUINEAN)["id"]
    today = network.clock.today().isoformat()
    note = network.call("POST", "intake", f"/v1/returnees/{rid}/notes", 201, json={
        "text": NOTE, "kind": "conversation", "mode": "in_person", "with": ["client"], "contact_on": today})
    pdf = b"%PDF-1.4 Zqs scan\n%%EOF\n"
    document = network.call("POST", "intake", f"/v1/returnees/{rid}/documents", 201, files={
        "file": ("scan.pdf", pdf, "application/pdf")}, data={"kind": "id", "title": "Paspoort Zqs"})
    network.call("PUT", "intake", f"/v1/returnees/{rid}/plan", 200, json={"goals": GOALS})
    network.call("POST", "intake", f"/v1/returnees/{rid}/plan/fix", 200, json={"fixed_on": today})

    page = sign_in(browser, network, "consultant", f"/returnees/{rid}", viewport=PHONE)
    expect(page.locator(f"[data-note='{note['id']}']")).to_be_visible()
    expect(page.locator(".share-form")).to_have_count(0)  # no partner holds the case yet

    network.call("POST", "intake", f"/v1/returnees/{rid}/handover", 202, json={"partner_id": partner["id"]})
    handover = network.wait_handover(partner, rid)
    network.call("POST", "partners", f"/v1/handovers/{handover['id']}/accept", 200, headers=partner["headers"])
    network.wait_status(rid, "handover_accepted")

    page.reload()
    for selector in (f"[data-note='{note['id']}']", f"[data-document='{document['id']}']"):
        page.locator(selector).get_by_role("button", name="Delen met partner").click()
        expect(page.locator(".flash")).to_contain_text("Gedeeld met de partnerorganisatie.")
        expect(page.locator(selector + " .shared-mark")).to_contain_text(f"Gedeeld met {partner['name']} op")
        expect(page.locator(selector).get_by_role("button", name="Niet meer delen")).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], width
    shot(page, "sharing-consultant-phone")

    shared_path = f"/v1/handovers/{handover['id']}/shared"
    eventually(lambda: len(network.call("GET", "partners", shared_path, 200, headers=partner["headers"])["items"]) == 2,
               message="both items at the partner")
    eventually(lambda: (network.call("GET", "partners", f"/v1/handovers/{handover['id']}", 200,
                                     headers=partner["headers"])["perspective_plan"] or {}).get("version") == 1,
               message="the fixed plan at the partner")

    context, worker = phone(browser)
    portal_sign_in(worker, portal, "e2e.aminata", f"/cases/{rid}")
    expect(worker.locator("#shared")).to_contain_text(NOTE)
    expect(worker.locator("#shared")).to_contain_text("Paspoort Zqs")
    plan = worker.locator(".perspective-plan")
    expect(plan).to_contain_text("Version 1, fixée le")
    expect(plan).to_contain_text("Ouvrir un atelier de couture")
    expect(plan).to_contain_text("Une machine à coudre")
    expect(plan).to_contain_text("Organisation partenaire")  # who does it, in French
    expect(plan).to_contain_text("En cours")
    expect(plan).to_contain_text("Trouver une chambre à Conakry")
    check_phone_page(worker, "case-shared-and-plan", show=".perspective-plan")
    worker.wait_for_function("() => !!navigator.serviceWorker.controller")
    worker.reload()  # kept by the service worker now
    context.set_offline(True)
    worker.reload()
    expect(worker.locator(".perspective-plan")).to_contain_text("Ouvrir un atelier de couture")
    expect(worker.locator("#shared")).to_contain_text(NOTE)
    context.set_offline(False)

    page.locator(f"[data-note='{note['id']}']").get_by_role("button", name="Niet meer delen").click()
    expect(page.locator(".flash")).to_contain_text("De partner ziet dit niet meer.")
    expect(page.locator(f"[data-note='{note['id']}'] .shared-mark")).to_have_count(0)
    eventually(lambda: [i["type"] for i in network.call("GET", "partners", shared_path, 200,
                                                         headers=partner["headers"])["items"]] == ["document"],
               message="the note taken back")
    worker.reload()
    expect(worker.locator("#shared")).not_to_contain_text(NOTE)
    expect(worker.locator("#shared")).to_contain_text("Paspoort Zqs")
    context.close()

    lead = sign_in(browser, network, "project_lead", f"/returnees/{rid}")
    expect(lead.locator("h1")).to_be_visible()
    expect(lead.locator("#gesprekken, #documenten, .share-form")).to_have_count(0)
    assert "Zqs" not in lead.locator("main").inner_text()
