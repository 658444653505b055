"""The case file's documents in a real headless Chromium against the running network (issue 20, item 2): a
consultant on a 375 px phone uploads a PDF and downloads it back identical, a refused file comes back with the
Dutch message, the document is deleted after a confirmation; a project lead's page of the same client shows none.

One module-scoped network and browser (the fixtures of conftest.py).
"""
from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import expect

from tests.e2e.pages import PASSWORD, shot, sign_in

PHONE = {"width": 375, "height": 812}
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n% Zqd: paspoort van de client\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def test_a_consultant_uploads_and_downloads_a_pdf_and_a_project_lead_sees_none(browser, staff, tmp_path):
    network = staff
    rid = network.register("NG")["id"]
    page = browser.new_context(viewport=PHONE, accept_downloads=True).new_page()
    page.goto(network.urls["web"] + f"/returnees/{rid}")
    expect(page).to_have_url(re.compile(r"/login"))
    page.fill("#username", "e2e.consultant")
    page.fill("#password", PASSWORD)
    page.click("form[action='/login'] button[type=submit]")
    section = page.locator("#documenten")
    expect(section.locator("h2")).to_have_text("Documenten")
    expect(section).to_contain_text("Nog geen documenten bewaard.")

    section.locator("summary").click()
    page.set_input_files("#document-file", {"name": "programma.pdf", "mimeType": "application/pdf",
                                            "buffer": b"MZ\x90\x00 not a document"})
    page.fill("#document-title", "Zqd: een programma")
    page.click(".document-form button[type=submit]")
    expect(page.locator("#document-file-error, #file-error")).to_contain_text("Alleen een PDF-, JPEG- of PNG-bestand")
    expect(page.locator("#document-title")).to_have_value("Zqd: een programma")

    page.set_input_files("#document-file", {"name": "scan.pdf", "mimeType": "application/pdf", "buffer": PDF})
    page.select_option("#document-kind", "travel_document")
    page.fill("#document-title", "Zqd: paspoort")
    page.fill("#document-expires-on", "2031-05-01")
    page.click(".document-form button[type=submit]")
    expect(page.locator(".flash")).to_contain_text("Het document is in het dossier bewaard.")
    item = section.locator(".document")
    expect(item).to_have_count(1)
    expect(item).to_contain_text("Zqd: paspoort")
    expect(item).to_contain_text("Reisdocument")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], width  # the section fits the phone's width
    shot(page, "documents-consultant-phone")

    with page.expect_download() as caught:
        item.get_by_role("link", name="Downloaden").click()
    saved = tmp_path / "back.pdf"
    caught.value.save_as(saved)
    assert Path(saved).read_bytes() == PDF  # byte for byte

    lead = sign_in(browser, network, "project_lead", f"/returnees/{rid}")
    expect(lead.locator("h1")).to_be_visible()
    expect(lead.locator("#documenten")).to_have_count(0)
    assert "Zqd" not in lead.locator("main").inner_text()

    item.get_by_role("link", name="Verwijderen").click()
    expect(page.locator("h1")).to_contain_text("Zqd: paspoort")
    page.click("button.danger")
    expect(page.locator(".flash")).to_contain_text("Het document is verwijderd.")
    expect(section).to_contain_text("Nog geen documenten bewaard.")
