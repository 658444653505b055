"""The administrators' page for the yearly eligibility rule sets (issue 19, part 4): the list, a JSON file
checked and compared first (intake's dry run), then loaded; refusals in the page's language."""
from __future__ import annotations

import io
import json

from responses import matchers

from tests.unit.web.conftest import INTAKE

RULES = {"year": 2026, "valid_from": "2026-01-01", "source": "IOM 2026",
         "amounts_eur": {"rean_adult": 300, "rean_accompanied_minor": 100, "hrt_adult": 2000,
                         "hrt_accompanied_minor": 500, "ngo_extra": 0}}
LISTED = {"items": [
    {"year": 2016, "valid_from": "2016-01-01", "origin": "shipped", "in_force": True, "upcoming": False},
    {"year": 2027, "valid_from": "2027-01-01", "origin": "loaded", "loaded_by": "web:admin",
     "loaded_at": "2026-03-01T10:00:00+00:00", "in_force": False, "upcoming": True}]}
PREVIEW = {"dry_run": True, "rule_set": {"year": 2026, "valid_from": "2026-01-01"}, "compared_with": 2016,
           "differences": {"amounts_eur": {"hrt_adult": [1750, 2000]},
                           "lists": {"hrt_countries": {"added": ["GN"], "removed": ["MN"]}}}}


def _upload(b, content: bytes):
    return b.post("/admin/rules", {"file": (io.BytesIO(content), "rules-2026.json")},
                  content_type="multipart/form-data")


def test_the_list_says_which_rules_are_in_force_and_which_come(browser, api):
    api.get(f"{INTAKE}/v1/eligibility/rules", json=LISTED)
    html = browser("admin").get("/admin/rules").get_data(as_text=True)
    assert 'data-year="2016"' in html and "meegeleverd met Homeward" in html and "van kracht" in html
    assert "geladen door admin" in html and "komt nog" in html
    assert 'href="/admin/rules"' in browser("admin").get("/admin/rules").get_data(as_text=True)  # in the admin menu


def test_only_administrators_see_it(browser, api):
    assert browser("consultant").get("/admin/rules").status_code == 403


def test_a_file_is_compared_first_then_loaded_on_confirmation(browser, api):
    api.get(f"{INTAKE}/v1/eligibility/rules", json=LISTED)
    dry = api.post(f"{INTAKE}/v1/eligibility/rules", json=PREVIEW,
                   match=[matchers.query_param_matcher({"dry_run": "true"})])
    b = browser("admin")
    b.get("/admin/rules")
    html = _upload(b, json.dumps(RULES).encode()).get_data(as_text=True)
    assert dry.call_count == 1 and json.loads(dry.calls[0].request.body) == RULES
    assert "HRT per volwassene" in html and "€ 1.750 → € 2.000" in html
    assert "toegevoegd: Guinee" in html and "verwijderd: Mongolië" in html
    loaded = api.post(f"{INTAKE}/v1/eligibility/rules", status=201,
                      json={**PREVIEW, "dry_run": False}, match=[matchers.query_param_matcher({})])
    b.get("/admin/rules")
    sent = b.post("/admin/rules/confirm", {"rules_json": json.dumps(RULES)})
    assert sent.status_code == 302 and loaded.call_count == 1
    assert json.loads(loaded.calls[0].request.body) == RULES
    assert "De regels van 2026 zijn geladen" in b.get("/admin/rules").get_data(as_text=True)


def test_refusals_are_said_in_dutch(browser, api):
    api.get(f"{INTAKE}/v1/eligibility/rules", json=LISTED)
    b = browser("admin")
    b.get("/admin/rules")
    page = _upload(b, b"\xff not json")
    assert page.status_code == 422 and "Dit bestand is geen regelset in JSON." in page.get_data(as_text=True)
    api.post(f"{INTAKE}/v1/eligibility/rules", status=409, json={"status": 409, "detail": "there already"})
    page = _upload(b, json.dumps({**RULES, "year": 2016}).encode())
    assert page.status_code == 409 and "Er is al een regelset voor dit jaar" in page.get_data(as_text=True)


def test_an_invalid_rule_set_shows_intakes_reason_asked_in_the_pages_language(browser, api):
    api.get(f"{INTAKE}/v1/eligibility/rules", json=LISTED)
    refused = api.post(f"{INTAKE}/v1/eligibility/rules", status=422, json={
        "status": 422, "errors": {"rules": "Geen geldige regelset: valid_from ligt voor die van 2016"}})
    b = browser("admin")
    b.get("/admin/rules")
    html = _upload(b, json.dumps(RULES).encode()).get_data(as_text=True)
    assert refused.calls[0].request.headers["Accept-Language"] == "nl"
    assert "De regelset is niet geldig." in html and "valid_from ligt voor die van 2016" in html
