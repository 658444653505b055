"""A project lead's returnee page in a real headless Chromium against the running network (issue 22, items 1
and 2): the case's facts, dates and scores, but not the consultant's exit note, the plan's goals in words, the
region as typed, the partner's check-in notes or the notes typed on its alert.

One module-scoped network and browser (the fixtures of test_web_pages).
"""
from __future__ import annotations

from playwright.sync_api import expect

from tests.e2e.pages import shot, sign_in
from tests.helpers import eventually

WORDS = ("Zqx", "tailoring", "Ikeja")


def _no_words(page) -> None:
    text = page.locator("main").inner_text()
    assert [w for w in WORDS if w.lower() in text.lower()] == [], text


def test_a_project_lead_sees_the_exit_but_not_the_consultants_note(browser, staff):
    network = staff
    rid = network.register("NG", region="Ikeja, Lagos", reintegration_plan={
        "goals": {"economic": "Start a tailoring business"},
        "planned_support": [{"type": "business", "description": "Zqx sewing machine", "budget_eur": 1200}]})["id"]
    network.call("POST", "intake", f"/v1/returnees/{rid}/exit", 200, json={
        "reason": "irregular", "exited_on": network.clock.today().isoformat(), "note": "Zqxexit: went to his brother"})

    consultant = sign_in(browser, network, "consultant", f"/returnees/{rid}")
    expect(consultant.locator("dd.exit")).to_contain_text("Zqxexit: went to his brother")  # the control

    page = sign_in(browser, network, "project_lead", f"/returnees/{rid}")
    expect(page.locator("dd.exit")).to_contain_text("Naar illegaliteit")
    expect(page.locator("h1")).not_to_contain_text("Amina")
    _no_words(page)
    shot(page, "project-lead-exited")


def test_a_project_lead_sees_the_checkin_and_its_alert_without_the_words(browser, staff):
    network = staff
    partner = network.add_partner("CM")
    rid = network.register("CM")["id"]
    network.arrive(partner, rid)
    body = {"returnee_id": rid, "slot": "ad_hoc", "contact_date": network.clock.today().isoformat(),
            "contact_made": True, "contact_mode": "phone", "safety_concern": True,
            "scores": {"economic": 2, "housing": 3, "social": 3, "health": 2, "resilience": 3},
            "notes": "Zqxnote: HIV treatment interrupted"}
    network.call("POST", "monitoring", "/v1/checkins", 201, json=body,
                 headers={**partner["headers"], "Idempotency-Key": f"lead-{rid}"})
    alert = eventually(lambda: next((a for a in network.call("GET", "monitoring", f"/v1/alerts?returnee_id={rid}",
                                                             200)["items"] if a["type"] == "safety_concern"), None))
    network.call("POST", "monitoring", f"/v1/alerts/{alert['id']}/acknowledge", 200,
                 json={"note": "Zqxack: called her sister"})

    page = sign_in(browser, network, "project_lead", f"/returnees/{rid}")
    expect(page.locator(".timeline li[data-kind=checkin]")).to_have_count(1)
    expect(page.locator(".timeline li[data-kind=alert_raised]")).to_have_count(1)
    _no_words(page)
    shot(page, "project-lead-checkin")


def test_a_project_lead_downloads_the_quarterly_report_as_excel_and_as_a_pdf(browser, staff):
    """The page offers the files; the workbook holds the API's figures as numbers under Dutch labels, and the
    PDF's text holds them too, with who printed it."""
    import io

    from openpyxl import load_workbook
    from pypdf import PdfReader

    network = staff
    network.register("NG")
    today = network.clock.today()
    year, quarter = today.year, (today.month - 1) // 3 + 1
    report = network.call("GET", "intake", f"/v1/reports/quarterly?year={year}&quarter={quarter}", 200,
                          role="project_lead")
    page = sign_in(browser, network, "project_lead", f"/reports/quarterly?year={year}&quarter={quarter}")
    expect(page.locator("h1")).to_contain_text(f"{year}")
    with page.expect_download() as excel:
        page.get_by_role("link", name="Excel downloaden").click()
    assert excel.value.suggested_filename == f"quarterly-{year}-Q{quarter}.xlsx"
    book = load_workbook(io.BytesIO(open(excel.value.path(), "rb").read()))
    assert book.sheetnames[1] == report["labels"]["sections"]["monitoring"]["nl"]
    monitoring = {row[0]: row[1:] for row in book.worksheets[1].iter_rows(min_row=2, values_only=True)}
    registered = report["figures"]["registered"]
    assert registered["cumulative"] >= 1
    assert monitoring["Geregistreerd in Homeward"][:2] == (registered["period"], registered["cumulative"])

    with page.expect_download() as pdf:
        page.get_by_role("link", name="Pdf downloaden").click()
    assert pdf.value.suggested_filename == f"quarterly-{year}-Q{quarter}.pdf"
    text = " ".join(p.extract_text() for p in PdfReader(pdf.value.path()).pages)
    assert f"Geregistreerd in Homeward {registered['period']} {registered['cumulative']}" in text
    assert f"Afgedrukt op {today.isoformat()} door" in text


def test_the_dashboard_shows_the_targets_against_the_results_at_375_px(browser, staff):
    """The dashboard's targets table holds intake's figures (result against target), in Dutch, on a phone."""
    network = staff
    network.register("NG")
    targets = network.call("GET", "intake", "/v1/reports/targets", 200, role="project_lead")
    page = sign_in(browser, network, "project_lead", "/dashboard")
    page.set_viewport_size({"width": 375, "height": 800})
    section = page.locator("#targets")
    expect(section.locator("h2")).to_contain_text(f"Beoogde resultaten {targets['period']}")
    rows = {r["target"]: r for r in targets["rows"]}
    row = section.locator('tr[data-target="future_orientation"]')
    expect(row).to_contain_text("150 tot 200")
    expect(row.locator("td").nth(1)).to_have_text(str(rows["future_orientation"]["result"]))
    expect(row).to_contain_text("nee" if not rows["future_orientation"]["met"] else "ja")
    expect(section.locator('tr[data-target="considered_choice"]')).to_contain_text("80")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    shot(page, "dashboard-targets-375")
