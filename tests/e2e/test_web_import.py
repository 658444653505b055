"""The caseload import in Chromium (issue 19 part 3): a consultant downloads the template, previews a
300-row file with bad rows (each refusal at its row and column, in Dutch, nothing written), imports it,
follows its progress to the report, and imports it again with nothing new; the pages fit a 375 px phone."""
from __future__ import annotations

import csv
import io
import re

from playwright.sync_api import expect

from tests.e2e.pages import SHOTS, shot
from tests.e2e.test_web_phone import CONTROLS, MEASURE, MIN_TAP, PHONE, open_as

BAD = {17: ("date_of_birth", "31-2-1990"), 120: ("country_of_return", "XX"), 250: ("trajectory", "misschien")}
HEADINGS = ["client_ref", "given_name", "family_name", "date_of_birth", "country_of_return", "consent.share_with_partner",
            "consent.given_on", "reintegration_plan.planned_support.0.type", "reintegration_plan.planned_support.0.budget_eur",
            "trajectory"]


def caseload(tmp_path, n=300):
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(HEADINGS)
    for i in range(n):
        row = {"client_ref": f"E2E-IMP-{i:04d}", "given_name": "Zoë", "family_name": f"Import {i}",
               "date_of_birth": f"{1 + i % 28}-{1 + i % 12}-1990", "country_of_return": "NG",
               "consent.share_with_partner": "ja", "consent.given_on": "1-4-2024",
               "reintegration_plan.planned_support.0.type": "business",
               "reintegration_plan.planned_support.0.budget_eur": "1.200,50", "trajectory": "return_guidance"}
        if i in BAD:
            row[BAD[i][0]] = BAD[i][1]
        writer.writerow([row[h] for h in HEADINGS])
    path = tmp_path / "caseload.csv"
    path.write_bytes(out.getvalue().encode("cp1252"))  # as Dutch Excel saves it
    return path


def fits_a_phone(page) -> list[str]:
    found = page.evaluate(MEASURE, [CONTROLS, MIN_TAP])
    problems = []
    if found["scrollWidth"] > PHONE["width"]:
        problems.append(f"{found['scrollWidth']} px wide: " + "; ".join(found["wide"]))
    return problems + found["small"] + found["outside"]


def registered(network) -> int:
    return network.call("GET", "intake", "/v1/returnees/counts", 200)["total"]


def test_a_consultant_previews_imports_and_imports_again_a_300_row_file(browser, staff, tmp_path):
    network = staff
    file = caseload(tmp_path)
    before = registered(network)
    page = open_as(browser, network, "consultant", PHONE)
    page.goto(network.urls["web"] + "/returnees")
    page.click("#import-link")
    expect(page.locator("h1")).to_have_text("Cliënten importeren")
    with page.expect_download() as download:
        page.click("a[href$='template.xlsx']")
    assert download.value.suggested_filename == "homeward-import.xlsx"
    assert not fits_a_phone(page), fits_a_phone(page)

    page.set_input_files("#f-file", str(file))
    page.click("#import-upload button[type=submit]")
    expect(page.locator("#import-counts .created")).to_have_text("297")
    expect(page.locator("#import-counts .refused")).to_have_text("3")
    bad_row = page.locator("#row-19")  # the headings are row 1: the 18th client is row 19
    expect(bad_row).to_have_class(re.compile("outcome-refused"))
    expect(bad_row.locator(".cell-error")).to_contain_text("date_of_birth")
    expect(bad_row.locator(".cell-error")).to_contain_text("Geen geldige datum")  # the API's words, in Dutch
    assert registered(network) == before  # the preview wrote nothing
    shot(page, "import-preview-phone")
    assert not fits_a_phone(page), fits_a_phone(page)

    page.click("#import-confirm button[type=submit]")
    expect(page.locator("#import-report .status")).to_have_text("Klaar", timeout=60_000)  # intake's label
    expect(page.locator("#import-report")).to_have_text("Status: Klaar")
    expect(page.locator("#import-counts .created")).to_have_text("297")
    shot(page, "import-report-phone")
    assert not fits_a_phone(page), fits_a_phone(page)
    assert registered(network) == before + 297

    page.goto(network.urls["web"] + "/returnees/import")
    page.set_input_files("#f-file", str(file))
    page.click("#import-upload button[type=submit]")
    expect(page.locator("#import-counts .created")).to_have_text("0")
    expect(page.locator("#import-counts .unchanged")).to_have_text("297")
    expect(page.locator("#import-confirm")).to_have_count(0)  # nothing to import
    page.screenshot(path=str(SHOTS / "import-again-phone.png"), full_page=True)
    assert registered(network) == before + 297
