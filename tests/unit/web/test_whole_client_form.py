"""The register and correct forms carry the whole client (issue 19): every field intake's API takes is on
the form (compared with ReturneeSchema, so they cannot drift apart), and the eligibility check judges the
nationality and the country of return, with its reasons, rule year and warnings in Dutch."""
from __future__ import annotations

import json
import re

from marshmallow import fields
from responses import matchers

from services.intake.schemas.returnees import ReturneePatchSchema, ReturneeSchema
from tests.unit.web.conftest import INTAKE, MONITORING

OFFICES = {"regions": [{"id": "west", "name": "West-Nederland", "offices": [{"id": "amsterdam", "name": "Amsterdam"}]}]}
# Load fields the form does not ask, each with its reason.
NOT_ON_THE_FORM = {
    "eligibility_questions.via_ngo": "whoever registers in Homeward is the NGO: always true (the API's default)",
    "reintegration_plan.planned_support.*.amount": "a line's one amount field (named budget_eur, as the lines "
                                                   "stored before currencies) is sent as `amount` with its currency",
}
OUTDATED = {"country": "GN", "nationality": "GN", "country_of_return": "GN", "third_country": False,
            "rule_year": 2016, "rules_valid_from": "2016-01-01", "rules_outdated": True, "warnings": ["rules_outdated"],
            "rean": {"eligible": True, "reasons": [], "amount_eur": 300},
            "hrt": {"eligible": True, "reasons": [], "amount_eur": 1750}, "ngo_support_eur": 0, "total_eur": 2050,
            "notes": []}


def load_fields(schema, prefix: str = "") -> set[str]:
    """Every field path a body may carry, recursively (list items and dict keys as `*`)."""
    out = set()
    for name, field in schema.fields.items():
        if field.dump_only:
            continue
        path = prefix + (field.data_key or name)
        inner = field.inner if isinstance(field, fields.List) else field
        if isinstance(inner, fields.Nested):
            out |= load_fields(inner.schema, path + (".*." if inner is not field else "."))
        elif isinstance(field, fields.Dict):
            out.add(path + ".*")
        else:
            out.add(path)
    return out


def form_fields(html: str) -> set[str]:
    names = set(re.findall(r'<(?:input|select|textarea)[^>]*\sname="([^"]+)"', html))
    names -= {"csrf_token", "more_support"}
    return {re.sub(r"\.\d+\.", ".*.", re.sub(r"^(reintegration_plan\.goals)\.\w+$", r"\1.*", n)) for n in names}


def _register_page(browser, api):
    api.get(f"{INTAKE}/v1/offices", json=OFFICES)
    return browser("consultant").get("/returnees/new").get_data(as_text=True)


def test_the_register_form_has_every_field_the_api_takes(browser, api):
    missing = load_fields(ReturneeSchema()) - form_fields(_register_page(browser, api)) - set(NOT_ON_THE_FORM)
    assert missing == set()


def test_the_correct_form_has_every_field_the_api_lets_change(browser, api):
    api.get(f"{INTAKE}/v1/offices", json=OFFICES)
    api.get(f"{INTAKE}/v1/returnees/rtn_1", json={"id": "rtn_1", "status": "registered", "given_name": "A",
                                                  "family_name": "B", "country_of_return": "GN",
                                                  "contact": {"phone": "+31 6 1234"}})
    html = browser("consultant").get("/returnees/rtn_1/edit").get_data(as_text=True)
    assert load_fields(ReturneePatchSchema()) - form_fields(html) - set(NOT_ON_THE_FORM) == set()
    assert 'value="+31 6 1234"' in html


def test_registering_sends_contact_office_consultant_trajectory_start_and_the_rean_questions(browser, api):
    created = api.post(f"{INTAKE}/v1/returnees", status=201, json={"id": "rtn_1"})
    page = _register_page(browser, api)
    assert '<option value="web:consultant" selected>' in page  # who registers follows the client by default
    assert '<option value="return_guidance" selected>' in page  # intake's default trajectory, not the list's first
    b = browser("consultant")
    b.get("/returnees/new")
    support = "reintegration_plan.planned_support."
    response = b.post("/returnees/new", {
        "given_name": "Fatoumata", "family_name": "Camara", "nationality": "gn", "country_of_return": "sn",
        "contact.phone": "+31 6 1234 5678", "contact.email": "f@example.org", "contact.address": "",
        "office": "amsterdam", "consultant": "web:admin", "trajectory": "future_orientation",
        "enrolled_on": "2025-09-01", "household.adults": "1", "household.minors": "0",
        "household.unaccompanied_minors": "2", "eligibility_questions.deported_within_5_years": "true",
        "interpreter_needed": "true",
        f"{support}0.type": "business", f"{support}2.type": "", f"{support}5.type": "housing",
        f"{support}5.budget_eur": "1.200,50", "consent.share_with_partner": "true", "consent.given_on": "2026-03-01"})
    assert response.status_code == 302
    body = json.loads(created.calls[0].request.body)
    assert body["contact"] == {"phone": "+31 6 1234 5678", "email": "f@example.org"}
    assert (body["office"], body["consultant"], body["trajectory"]) == ("amsterdam", "web:admin", "future_orientation")
    assert body["enrolled_on"] == "2025-09-01" and (body["nationality"], body["country_of_return"]) == ("GN", "SN")
    assert body["household"] == {"adults": 1, "minors": 0, "unaccompanied_minors": 2}
    assert body["interpreter_needed"] is True
    assert body["eligibility_questions"] == {"left_via_rean_within_5_years": False, "deported_within_5_years": True,
                                             "dublin_claimant": False}
    assert [row["type"] for row in body["reintegration_plan"]["planned_support"]] == ["business", "housing"]


def test_one_more_line_adds_a_support_line_without_sending_and_errors_land_at_their_line(browser, api):
    api.get(f"{INTAKE}/v1/offices", json=OFFICES)
    b = browser("consultant")
    b.get("/returnees/new")
    support = "reintegration_plan.planned_support."
    filled = {f"{support}{i}.type": "business" for i in range(4)}
    html = b.post("/returnees/new", {**filled, "more_support": "1"}).get_data(as_text=True)
    assert f'name="{support}5.type"' in html and f'name="{support}6.type"' not in html  # 4 filled, 1 blank, 1 more
    api.post(f"{INTAKE}/v1/returnees", status=422, json={
        "status": 422, "errors": {f"{support}1.budget_eur": "Not a valid number."},
        "error_codes": {f"{support}1.budget_eur": "invalid_number"}})
    page = b.post("/returnees/new", {"given_name": "A", "family_name": "B", "country_of_return": "GN",
                                     f"{support}0.type": "cash", f"{support}3.type": "cash",
                                     f"{support}3.budget_eur": "veel"}).get_data(as_text=True)
    assert f'id="{support}3.budget_eur-error"' in page and f'id="{support}1.budget_eur-error"' not in page


def test_the_check_judges_the_nationality_and_the_return_country_and_says_why_in_dutch(browser, api):
    asked = api.get(f"{INTAKE}/v1/eligibility", json={
        **OUTDATED, "country_of_return": "SN", "third_country": True, "warnings": ["rules_outdated", "third_country_return"],
        "rean": {"eligible": False, "reasons": ["deported_in_last_5_years"], "amount_eur": 0}},
        match=[matchers.query_param_matcher({"country": "GN", "country_of_return": "SN", "adults": "1",
                                             "accompanied_minors": "0", "unaccompanied_minors": "1",
                                             "deported_within_5_years": "true", "on": "2026-06-01"})])
    html = browser("consultant").get(
        "/returnees/eligibility?nationality=GN&country_of_return=SN&household.adults=1&household.unaccompanied_minors=1"
        "&eligibility_questions.deported_within_5_years=true&planned_departure_date=2026-06-01").get_data(as_text=True)
    assert asked.call_count == 1
    assert "Regels van 2016" in html
    assert "in de afgelopen vijf jaar op kosten van de Nederlandse overheid uitgezet" in html
    assert "De regels van 2016 zijn ouder dan het vertrekjaar 2026: controleer bij IOM." in html
    assert "Terugkeer naar een ander land dan dat van de nationaliteit" in html


def test_the_returnee_page_shows_the_start_the_trajectory_history_and_the_kept_assessment(browser, api):
    api.get(f"{INTAKE}/v1/returnees/rtn_1", json={
        "id": "rtn_1", "status": "registered", "given_name": "A", "family_name": "B", "country_of_return": "GN",
        "nationality": "GN", "household": {"adults": 1, "minors": 0, "unaccompanied_minors": 1},
        "trajectory": "future_orientation", "enrolled_on": "2025-09-01", "created_at": "2026-03-02T09:00:00+00:00",
        "trajectory_history": [{"trajectory": "future_orientation", "started_on": "2025-09-01",
                                "recorded_at": "2026-03-02T09:00:00+00:00"}],
        "eligibility": OUTDATED, "history": [], "consent": None})
    api.get(f"{MONITORING}/v1/cases/rtn_1", status=404, json={"status": 404})
    html = browser("consultant").get("/returnees/rtn_1").get_data(as_text=True)
    assert "Gestart op" in html and 'class="enrolled-on">1 sep 2025' in html.replace(".", "")
    assert "gestart 1 sep 2025, vastgelegd" in html.replace(".", "")
    assert "1 alleenstaande minderjarige" in html
    assert "De regels van 2016 zijn ouder dan het vertrekjaar 2026: controleer bij IOM." in html
