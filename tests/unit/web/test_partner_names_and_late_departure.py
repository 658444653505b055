"""Partner names on every page for every staff role (from the names route, never a consultant's cache), and a
departure recorded after the partner confirmed the arrival."""
from __future__ import annotations

import json
from urllib.parse import urlsplit

import responses

from tests.unit.web.conftest import INTAKE, MONITORING, PARTNERS
from tests.unit.web.returnee_answer import RETURNEE

NAMES = f"{PARTNERS}/v1/partners/names"
ARRIVED = {**RETURNEE, "status": "arrived", "handover": {"id": "hnd_1", "partner_id": "ptn_1", "status": "arrived"},
           "departed_on": None, "arrived_on": "2026-02-20",
           "history": [{"status": "registered", "at": "2026-02-01T10:00:00+00:00"},
                       {"status": "arrived", "at": "2026-02-20T10:00:00+00:00"}]}


def paths(api, path: str) -> int:
    return sum(urlsplit(call.request.url).path == path for call in api.calls)


def names_answer(*pairs) -> dict:
    return {"items": [{"id": i, "name": n, "countries": ["NG"], "active": True} for i, n in pairs],
            "next_cursor": None}


class TestPartnerNames:
    def test_a_project_lead_on_a_fresh_web_app_sees_the_partners_name(self, browser, api):
        api.get(f"{INTAKE}/v1/returnees", json={"items": [ARRIVED], "next_cursor": None})
        response = browser("project_lead").client.get("/returnees")
        assert response.status_code == 200
        assert "Lagos Desk" in response.get_data(as_text=True)
        assert paths(api, "/v1/partners/names") == 1 and paths(api, "/v1/partners") == 0

    def test_an_organisation_added_since_the_names_were_cached_is_named_at_once_and_an_unknown_id_costs_one_call(
            self, browser, api):
        rows = api.get(f"{INTAKE}/v1/returnees", json={"items": [ARRIVED], "next_cursor": None})
        b = browser("consultant")
        b.client.get("/returnees")
        assert paths(api, "/v1/partners/names") == 1
        b.client.get("/returnees")
        assert paths(api, "/v1/partners/names") == 1  # cached
        api.replace(responses.GET, NAMES, json=names_answer(("ptn_1", "Lagos Desk"), ("ptn_2", "Addis Circle")))
        api.replace(responses.GET, rows.url, json={"items": [
            ARRIVED, {**ARRIVED, "id": "rtn_2", "handover": {"partner_id": "ptn_2"}},
            {**ARRIVED, "id": "rtn_3", "handover": {"partner_id": "ptn_gone"}}], "next_cursor": None})
        page = b.client.get("/returnees").get_data(as_text=True)
        assert "Addis Circle" in page and "ptn_gone" in page
        assert paths(api, "/v1/partners/names") == 2  # one call for both ids it lacked
        b.client.get("/returnees")
        assert paths(api, "/v1/partners/names") == 2  # the id still unknown waits for the next minute


class TestADepartureAfterTheArrival:
    def test_the_caseload_marks_an_arrival_without_departure_as_needing_attention(self, browser, api):
        from responses import matchers

        asked = api.get(f"{INTAKE}/v1/returnees", json={"items": [ARRIVED], "next_cursor": None},
                        match=[matchers.query_param_matcher({"limit": "50", "attention": "true"})])
        page = browser("consultant").client.get("/returnees?attention=1").get_data(as_text=True)
        assert asked.call_count == 1 and 'data-returnee="rtn_1"' in page  # intake decides who needs attention
        assert "Aangekomen, vertrek niet vastgelegd" in page

    def test_the_returnee_page_offers_the_departure_form_up_to_the_arrival_day(self, browser, api):
        api.get(f"{INTAKE}/v1/returnees/rtn_1", json=ARRIVED)
        api.get(f"{MONITORING}/v1/cases/rtn_1", status=404, json={"status": 404})
        page = browser("consultant").client.get("/returnees/rtn_1").get_data(as_text=True)
        assert 'action="/returnees/rtn_1/departure"' in page
        assert 'value="2026-02-20" max="2026-02-20"' in page
        assert "het vertrek is nog niet vastgelegd" in page

    def test_no_form_once_the_departure_is_recorded(self, browser, api):
        api.get(f"{INTAKE}/v1/returnees/rtn_1", json={**ARRIVED, "departed_on": "2026-02-18"})
        api.get(f"{MONITORING}/v1/cases/rtn_1", status=404, json={"status": 404})
        page = browser("consultant").client.get("/returnees/rtn_1").get_data(as_text=True)
        assert 'action="/returnees/rtn_1/departure"' not in page and "Vertrek niet vastgelegd" not in page

    def test_a_departure_after_the_arrival_comes_back_at_its_field_with_the_form(self, browser, api):
        api.get(f"{INTAKE}/v1/returnees/rtn_1", json=ARRIVED)
        api.get(f"{MONITORING}/v1/cases/rtn_1", status=404, json={"status": 404})
        sent = api.post(f"{INTAKE}/v1/returnees/rtn_1/departure", status=422, json={
            "status": 422, "detail": "The departure date is after the arrival the partner confirmed.",
            "errors": {"departed_on": "Must not be after the arrival date (2026-02-20)."}})
        b = browser("consultant")
        b.get("/returnees/rtn_1")
        response = b.post("/returnees/rtn_1/departure", {"departed_on": "2026-02-21"})
        assert response.status_code == 422
        html = response.get_data(as_text=True)
        assert 'id="departed_on-error"' in html and 'action="/returnees/rtn_1/departure"' in html
        assert json.loads(sent.calls[0].request.body) == {"departed_on": "2026-02-21"}
