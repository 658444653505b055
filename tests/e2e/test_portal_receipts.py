"""Receipts in the partner portal (issue 21, part 3) in a real headless Chromium at 375 px: a Guinean field worker
opens a case with a check-in that delivered support, a too large file is refused at its line in French, a PDF is
attached through monitoring's receipts API and comes back byte for byte; the page in English says the same.
Every state of the page fits the phone and axe-core finds no violation (portal_pages.check_phone_page)."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.portal_pages import (arrived_case, check_phone_page, partner_with_people, phone, ready, served_portal,
                                    sign_in)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n" + b"%" * 3000


@pytest.fixture(scope="module")
def portal(network):
    with served_portal(network, "portal_receipts_test") as url:
        yield url


def test_a_field_worker_attaches_a_receipt_to_support_delivered_on_a_phone(browser, network, portal):
    partner = partner_with_people(network, "GN", ["fr"], ("e2e.receipts", "field_worker"))
    rid = arrived_case(network, partner)
    checkin = network.call("POST", "monitoring", "/v1/checkins", 201,
                           headers={**partner["headers"], "Idempotency-Key": f"receipt-{rid}"}, json={
        "returnee_id": rid, "slot": "ad_hoc", "contact_date": network.clock.today().isoformat(), "contact_made": True,
        "contact_mode": "phone", "scores": {"economic": 3, "housing": 4, "social": 4, "health": 3, "resilience": 3},
        "safety_concern": False, "status": "in_country", "notes": "",
        "support_delivered": [{"type": "business", "amount": 4_500_000, "currency": "GNF", "amount_eur": 470,
                               "delivered_on": network.clock.today().isoformat()}]})
    line = f"#line-{checkin['id']}-0"
    context, page = phone(browser)
    sign_in(page, portal, "e2e.receipts", f"/cases/{rid}")
    ready(page)
    expect(page.locator(line)).to_contain_text("Pas encore de justificatif.")
    expect(page.locator("#receipt-hint")).to_contain_text("demande une connexion")

    page.locator(f"{line} input[type=file]").set_input_files(
        files=[{"name": "recu.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-" + b"x" * 2_100_000}])
    page.locator(f"{line} button[type=submit]").click()
    expect(page.locator(f"{line} .error")).to_contain_text("trop lourd : un justificatif fait 2 Mo au plus")
    expect(page.locator(f"{line} input[type=file]")).to_have_attribute("aria-invalid", "true")
    check_phone_page(page, "receipt-refused", show=line)

    page.locator(f"{line} input[type=file]").set_input_files(
        files=[{"name": "recu.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    page.locator(f"{line} button[type=submit]").click()
    expect(page.locator(".flash[role=status]")).to_have_text("Le justificatif est joint.")
    expect(page.locator(line)).to_contain_text("Justificatif joint (PDF, 4 ko")
    href = page.locator(f"{line} a", has_text="Ouvrir le justificatif").get_attribute("href")
    opened = page.request.get(portal + href)
    assert opened.status == 200 and opened.body() == PDF and opened.headers["content-type"] == "application/pdf"
    ready(page)
    check_phone_page(page, "receipt", show=line)

    page.goto(f"{portal}/cases/{rid}?lang=en")
    expect(page.locator(line)).to_contain_text("Receipt attached (PDF, 4 kB")
    expect(page.locator(f"{line} label")).to_contain_text("Replace the receipt")
    ready(page)
    check_phone_page(page, "receipt-en", show=line)
    context.close()
