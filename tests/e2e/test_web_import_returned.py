"""Importing a client who returned before Homeward, in Chromium (issue 19 part 3): on a 375 px phone a consultant
previews a file with a client who arrived 200 days ago, with the organisation's go-live date 30 days ago typed on
the import page; the preview names the dates, the import offers the case to the partner with them, the partner
accepts, and the check-ins that fell due before the go-live date show as "Vóór Homeward" on the staff page and
"Before Homeward" in the partner's portal, with no alert; the one due after it is late, with its alert."""
from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
import requests
from playwright.sync_api import expect

from tests.e2e.pages import PHONE, shot, sign_in
from tests.e2e.portal_pages import partner_with_people, phone, served_portal
from tests.e2e.portal_pages import sign_in as portal_sign_in
from tests.helpers import eventually

HEADINGS = ["client_ref", "given_name", "family_name", "country_of_return", "consent.share_with_partner",
            "consent.given_on", "trajectory", "partner_id", "departed_on", "arrived_on"]


@pytest.fixture(scope="module")
def portal(staff):
    with served_portal(staff, "portal_import_test") as url:
        yield url


def _file(tmp_path, partner_id: str, arrived, ref: str):
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(HEADINGS)
    writer.writerow([ref, "Chidi", "Eze", "NG", "ja", (arrived - timedelta(days=30)).isoformat(), "return_guidance",
                     partner_id, (arrived - timedelta(days=1)).isoformat(), arrived.isoformat()])
    path = tmp_path / "returned.csv"
    path.write_bytes(out.getvalue().encode("utf-8-sig"))
    return path


def _case(network, rid: str) -> dict | None:
    answer = requests.get(f"{network.urls['monitoring']}/v1/cases/{rid}", headers=network.staff["admin"], timeout=10)
    return answer.json() if answer.status_code == 200 and answer.json()["state"] == "active" else None


def test_a_client_who_returned_before_homeward_is_imported_with_the_go_live_date(browser, staff, portal, tmp_path):
    network = staff
    today = network.clock.today()
    arrived, go_live = today - timedelta(days=200), today - timedelta(days=30)
    partner = partner_with_people(network, "NG", ["en"], ("e2e.ngozi", "field_worker"))
    ref = f"E2E-RET-{today:%j}-{partner['id'][-4:]}"

    page = sign_in(browser, network, "consultant", "/returnees/import", viewport=PHONE)
    page.set_input_files("#f-file", str(_file(tmp_path, partner["id"], arrived, ref)))
    page.fill("#f-go_live_on", go_live.isoformat())
    page.click("#import-upload button[type=submit]")
    expect(page.locator("#import-go-live")).to_contain_text("Startdatum Homeward")
    expect(page.locator("#row-2 .returned")).to_contain_text("Al teruggekeerd: vertrokken")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.click("#import-confirm button[type=submit]")
    expect(page.locator("#import-report .status")).to_have_text("Klaar", timeout=60_000)

    found = eventually(lambda: network.call("GET", "intake", f"/v1/returnees?q={ref}", 200, role="admin")["items"],
                       message="the imported client")
    rid = found[0]["id"]
    offer = network.wait_handover(partner, rid)
    assert offer["imported"]["go_live_on"] == go_live.isoformat()
    network.call("POST", "partners", f"/v1/handovers/{offer['id']}/accept", 200, headers=partner["headers"])
    network.wait_status(rid, "arrived")
    case = eventually(lambda: _case(network, rid), message="monitoring case")
    states = {slot["slot"]: slot["status"] for slot in case["slots"]}
    assert states[1] == states[3] == "before_homeward" and states[6] == "overdue", states
    assert [(a["type"], a.get("slot")) for a in case["alerts"]] == [("checkin_overdue", 6)]  # none before it

    page.goto(network.urls["web"] + f"/returnees/{rid}")
    schedule = page.locator("table", has_text="Vóór Homeward")
    expect(schedule).to_contain_text("Vóór Homeward")
    assert page.locator("td", has_text="Vóór Homeward").count() == 2
    shot(page, "import-returned-before-homeward-phone")

    context, worker = phone(browser, lang="en-GB")
    portal_sign_in(worker, portal, "e2e.ngozi", f"/cases/{rid}")
    expect(worker.locator("[data-slot='1'] .status")).to_have_text("Before Homeward")
    expect(worker.locator("[data-slot='3'] .status")).to_have_text("Before Homeward")
    expect(worker.locator("[data-slot='6'] .status")).not_to_have_text("Before Homeward")
    context.close()
