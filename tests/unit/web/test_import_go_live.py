"""The import page's go-live date (issue 19, part 3): sent with the dry run and again with the confirmed import
(kept with the file between the two), named on the preview with the returned rows' dates, and a refused date
said at its field in Dutch; no date, no parameter."""
from __future__ import annotations

import io
import re

from tests.unit.web.conftest import INTAKE
from tests.unit.web.test_import_vocabulary import PREVIEW

IMPORT = f"{INTAKE}/v1/returnees/import"
RETURNED = {**PREVIEW, "rows": [{"row": 2, "client_ref": "VVS-9", "outcome": "returned", "returnee_id": None,
                                 "columns": [], "returned": {"partner_id": "ptn_1", "departed_on": "2026-01-10",
                                                             "arrived_on": "2026-01-11", "go_live_on": "2026-02-01"}}],
            "errors": [], "created": 1}


def _upload(b, go_live_on: str):
    b.get("/returnees/import")
    return b.post("/returnees/import", {"file": (io.BytesIO(b"client_ref\nVVS-9\n"), "caseload.csv"),
                                        "go_live_on": go_live_on}, content_type="multipart/form-data")


def test_the_go_live_date_goes_with_the_preview_and_with_the_import(browser, api):
    api.post(IMPORT, json=RETURNED)
    b = browser("consultant")
    form = b.client.get("/returnees/import").get_data(as_text=True)
    assert 'name="go_live_on" type="date"' in form and "Startdatum Homeward" in form
    page = _upload(b, "2026-02-01")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and 'id="import-go-live"' in html and "1 feb 2026" in html
    assert "Al teruggekeerd: vertrokken 10 jan 2026, aangekomen 11 jan 2026" in html
    upload_id = re.search(r'name="upload" value="([^"]+)"', html).group(1)
    api.replace("POST", IMPORT, status=202, json={"id": "imp_1", "status": "running", "total": 1, "done": 0})
    assert b.post("/returnees/import/confirm", {"upload": upload_id}).status_code == 302
    sent = [c.request.url for c in api.calls if c.request.url.startswith(IMPORT)]
    assert [("go_live_on=2026-02-01" in url, "dry_run=true" in url) for url in sent] == [(True, True), (True, False)]


def test_without_a_go_live_date_no_parameter_is_sent(browser, api):
    api.post(IMPORT, json=PREVIEW)
    assert _upload(browser("consultant"), "").status_code == 200
    assert "go_live_on" not in [c.request.url for c in api.calls if c.request.url.startswith(IMPORT)][-1]


def test_a_refused_go_live_date_is_said_at_its_field(browser, api):
    api.post(IMPORT, status=422, json={"status": 422, "detail": "De aanvraag bevat ongeldige velden.",
                                       "errors": {"go_live_on": "Mag niet in de toekomst liggen."},
                                       "error_codes": {"go_live_on": "future"}})
    page = _upload(browser("consultant"), "2099-01-01")
    html = page.get_data(as_text=True)
    assert page.status_code == 422 and 'id="go-live-error">Mag niet in de toekomst liggen.' in html
    assert 'value="2099-01-01"' in html and "<code>go_live_on</code>" not in html
