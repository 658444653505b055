"""A consultant's pages against faked APIs: the caseload (search, one's own clients, paging), registering a
returnee (the API's nested body, field errors in both languages, the return schemes), a returnee's page (the
timeline, a refused handover, erasure, consent) and the alerts."""
from __future__ import annotations

import json

import pytest
from responses import matchers

from tests.unit.web.conftest import INTAKE, MONITORING
from tests.unit.web.returnee_answer import RETURNEE


class TestCaseload:
    def test_shows_each_returnee_with_partner_next_checkin_index_and_alerts(self, browser, api):
        row = {**RETURNEE, "status": "arrived", "handover": {"partner_id": "ptn_1", "status": "arrived"},
               "monitoring": {"next_due_on": "2026-04-01", "latest_index": 0.64, "open_alerts": 2}}
        api.get(f"{INTAKE}/v1/returnees", json={"items": [row], "next_cursor": "c2"})
        page = browser("consultant").client.get("/returnees").get_data(as_text=True)
        assert "Amina Okafor" in page and "Lagos Desk" in page and "1 apr 2026" in page and "0,64" in page
        assert 'href="?cursor=c2' in page

    def test_a_consultant_can_show_only_the_returnees_they_follow(self, browser, api):
        from responses import matchers

        everyone = api.get(f"{INTAKE}/v1/returnees", json={"items": [RETURNEE], "next_cursor": None},
                           match=[matchers.query_param_matcher({"limit": "50"})])
        followed = api.get(f"{INTAKE}/v1/returnees", json={"items": [], "next_cursor": "c2"},
                           match=[matchers.query_param_matcher({"limit": "50", "consultant": "web:consultant"})])
        b = browser("consultant")
        assert "Amina" in b.client.get("/returnees").get_data(as_text=True)
        page = b.client.get("/returnees?mine=1").get_data(as_text=True)
        assert everyone.call_count == 1 and followed.call_count == 1
        assert 'id="mine" name="mine" type="checkbox" value="1" checked' in page and "mine=1" in page  # kept on paging
        assert 'id="mine"' not in browser("project_lead").client.get("/returnees").get_data(as_text=True)

    def test_the_returnee_page_names_who_follows_the_client(self, browser, api):
        api.get(f"{INTAKE}/v1/returnees/rtn_1", json={**RETURNEE, "consultant": "web:alice"})
        api.get(f"{MONITORING}/v1/cases/rtn_1", status=404, json={"status": 404})
        page = browser("consultant").client.get("/returnees/rtn_1").get_data(as_text=True)
        assert 'class="consultant">alice<' in page and "web:alice" not in page

    def test_a_search_is_one_call_that_intake_answers_and_its_next_page_keeps_the_search(self, browser, api):
        from responses import matchers

        other = {**RETURNEE, "id": "rtn_2", "given_name": "Ruth", "family_name": "Bekele", "client_ref": "VWN-9"}
        searched = api.get(f"{INTAKE}/v1/returnees", json={"items": [other], "next_cursor": "rtn_2"},
                           match=[matchers.query_param_matcher({"limit": "50", "q": "vwn-9"})])
        page = browser("consultant").client.get("/returnees?q=vwn-9").get_data(as_text=True)
        assert searched.call_count == 1 and "Ruth" in page
        assert "Er zijn meer terugkeerders gevonden dan op deze pagina staan." in page
        assert 'rel="next" href="?cursor=rtn_2&amp;q=vwn-9' in page
        following = api.get(f"{INTAKE}/v1/returnees", json={"items": [], "next_cursor": None},
                            match=[matchers.query_param_matcher({"limit": "50", "q": "vwn-9", "cursor": "rtn_2"})])
        page = browser("consultant").client.get("/returnees?cursor=rtn_2&q=vwn-9").get_data(as_text=True)
        assert following.call_count == 1 and "Geen terugkeerders meer gevonden." in page and 'rel="next"' not in page


class TestRegister:
    def test_sends_the_form_as_the_apis_nested_body(self, browser, api):
        created = api.post(f"{INTAKE}/v1/returnees", status=201, json={**RETURNEE})
        b = browser("consultant")
        b.get("/returnees/new")
        response = b.post("/returnees/new", {
            "given_name": "Amina", "family_name": "Okafor", "country_of_return": "ng", "household.adults": "2",
            "household.minors": "1", "vulnerabilities": "single_parent", "languages": "en, yo",
            "reintegration_plan.goals.economic": "tailoring", "reintegration_plan.planned_support.0.type": "business",
            "reintegration_plan.planned_support.0.budget_eur": "1200,50", "consent.share_with_partner": "true",
            "reintegration_plan.planned_support.0.currency": "ngn",
            "reintegration_plan.planned_support.0.funding_source": "amif", "consent.given_on": "2026-03-01"})
        assert response.headers["Location"] == "/returnees/rtn_1"
        body = json.loads(created.calls[0].request.body)
        assert body["country_of_return"] == "NG" and body["household"] == {"adults": 2, "minors": 1, "unaccompanied_minors": 0}
        assert body["languages"] == ["en", "yo"] and body["vulnerabilities"] == ["single_parent"]
        assert body["reintegration_plan"]["planned_support"] == [{"type": "business", "description": "",
                                                                  "amount": 1200.5, "currency": "NGN",
                                                                  "funding_source": "amif"}]
        assert body["consent"] == {"share_with_partner": True, "share_outcomes_with_chain_partners": False,
                                   "given_on": "2026-03-01"}

    @pytest.mark.parametrize("lang, required, date_message", [
        ("nl", "Dit veld is verplicht.", "Geen geldige datum."),
        ("en", "This field is required.", "Not a valid date."),
    ])
    def test_api_validation_errors_appear_at_their_fields_in_the_users_language(self, browser, api, lang, required,
                                                                              date_message):
        api.post(f"{INTAKE}/v1/returnees", status=422, json={
            "status": 422, "detail": "The request has invalid fields.",
            "errors": {"given_name": "Missing data for required field.", "date_of_birth": "Not a valid date.",
                       "reintegration_plan.planned_support.0.budget_eur": "Not a valid number."},
            "error_codes": {"given_name": "required", "date_of_birth": "invalid_date",
                            "reintegration_plan.planned_support.0.budget_eur": "invalid_number"}})
        b = browser("consultant")
        b.get(f"/returnees/new?lang={lang}")
        page = b.post("/returnees/new", {"family_name": "Okafor", "country_of_return": "NG", "date_of_birth": "x",
                                         "reintegration_plan.planned_support.0.type": "cash",
                                         "reintegration_plan.planned_support.0.budget_eur": "lots"})
        html = page.get_data(as_text=True)
        assert page.status_code == 422
        assert f'<span class="error" id="given_name-error">{required}</span>' in html
        assert f'<span class="error" id="date_of_birth-error">{date_message}</span>' in html
        assert 'id="reintegration_plan.planned_support.0.budget_eur-error"' in html
        assert 'value="Okafor"' in html  # what was typed stays

    def test_shows_the_return_schemes_for_the_country(self, browser, api):
        api.get(f"{INTAKE}/v1/eligibility", json={"country": "NG", "rule_year": 2016,
                                                  "rean": {"eligible": True, "amount_eur": 500},
                                                  "hrt": {"eligible": True, "amount_eur": 1750}})
        page = browser("consultant").client.get("/returnees/eligibility?country_of_return=NG&household.adults=1")
        assert "1.750" in page.get_data(as_text=True) and "2016" in page.get_data(as_text=True)


class TestReturneePage:
    def _returnee(self, api, **changes):
        api.get(f"{INTAKE}/v1/returnees/rtn_1", json={**RETURNEE, **changes})
        api.get(f"{MONITORING}/v1/cases/rtn_1", json={
            "checkins": [{"recorded_at": "2026-04-02T10:00:00+00:00", "slot": 1, "contact_made": True,
                          "scores": {"economic": 2}, "index": 0.25}],
            "alerts": [{"id": "alr_1", "type": "index_drop", "raised_at": "2026-04-02T10:00:01+00:00",
                        "acknowledged_at": "2026-04-03T08:00:00+00:00", "resolved_at": None}], "slots": []})

    def test_the_timeline_shows_each_step_checkin_and_alert(self, browser, api):
        self._returnee(api, status="handover_declined",
                       handover={"partner_id": "ptn_1", "status": "declined", "decline": {"reason": "no_capacity"}},
                       history=[{"status": "registered", "at": "2026-03-01T10:00:00+00:00"},
                                {"status": "handover_requested", "at": "2026-03-02T10:00:00+00:00"},
                                {"status": "handover_declined", "at": "2026-03-03T10:00:00+00:00"}])
        html = browser("consultant").client.get("/returnees/rtn_1?lang=en").get_data(as_text=True)
        kinds = [k.split('"')[0] for k in html.split('data-kind="')[1:]]
        assert kinds == ["registered", "handover_requested", "handover_declined", "checkin", "alert_raised",
                         "alert_acknowledged"]
        assert "No capacity" in html and "Offer again" in html  # re-offer after a decline, partners suggested
        assert "declined this case" in html

    def test_a_handover_conflict_is_shown_on_the_page(self, browser, api):
        self._returnee(api)
        api.post(f"{INTAKE}/v1/returnees/rtn_1/handover", status=409,
                 json={"status": 409, "detail": "cannot request handover without consent"})
        b = browser("consultant")
        b.get("/returnees/rtn_1")
        response = b.post("/returnees/rtn_1/handover", {"partner_id": "ptn_1"})
        assert response.status_code == 409
        html = response.get_data(as_text=True)
        assert "cannot request handover without consent" not in html  # the page's language, not the API's
        assert "kon niet aan de partner worden aangeboden" in html

    def test_erasure_needs_the_id_typed_and_then_calls_the_api(self, browser, api):
        api.get(f"{INTAKE}/v1/returnees/rtn_1", json=RETURNEE)
        erased = api.delete(f"{INTAKE}/v1/returnees/rtn_1", status=204)
        b = browser("consultant")
        page = b.get("/returnees/rtn_1/erase").get_data(as_text=True)
        assert "vernietigt" in page  # says what it destroys
        assert b.post("/returnees/rtn_1/erase", {"confirm": "yes"}).status_code == 422
        assert len(erased.calls) == 0
        assert b.post("/returnees/rtn_1/erase", {"confirm": "rtn_1"}).status_code == 302
        assert len(erased.calls) == 1

    def test_withdrawing_consent_sends_both_flags_false(self, browser, api):
        self._returnee(api)
        put = api.put(f"{INTAKE}/v1/returnees/rtn_1/consent", json=RETURNEE)
        b = browser("consultant")
        b.get("/returnees/rtn_1")
        b.post("/returnees/rtn_1/consent", {"share_with_partner": "true", "given_on": "2026-03-01", "withdraw": "1",
                                            "confirming": "1", "confirm": "yes"})
        assert json.loads(put.calls[0].request.body) == {"share_with_partner": False,
                                                          "share_outcomes_with_chain_partners": False,
                                                          "given_on": "2026-03-01"}


class TestAlerts:
    def test_most_serious_and_newest_first_and_acknowledged_with_a_note(self, browser, api):
        alerts = [{"id": "a1", "type": "checkin_overdue", "status": "open", "raised_at": "2026-03-02T00:00:00",
                   "returnee_id": "rtn_1", "country": "NG"},
                  {"id": "a2", "type": "safety_concern", "status": "open", "raised_at": "2026-03-01T00:00:00",
                   "returnee_id": "rtn_1", "country": "NG"},
                  {"id": "a3", "type": "checkin_overdue", "status": "open", "raised_at": "2026-03-03T00:00:00",
                   "returnee_id": "rtn_1", "country": "NG"}]
        worklist = [alerts[1], alerts[2], alerts[0]]  # as monitoring orders them (tests/unit/monitoring/test_alert_lists.py)
        api.get(f"{MONITORING}/v1/alerts", json={"items": worklist, "next_cursor": None},
                match=[matchers.query_param_matcher({"status": ["open", "acknowledged"], "limit": "50",
                                                     "order": "worklist"})])
        act = api.post(f"{MONITORING}/v1/alerts/a2/acknowledge", json={})
        b = browser("consultant")
        html = b.get("/alerts").get_data(as_text=True)
        assert [k.split('"')[0] for k in html.split('data-alert="')[1:]] == ["a2", "a3", "a1"]
        b.post("/alerts/a2/acknowledge", {"note": "called her"})
        assert json.loads(act.calls[0].request.body) == {"note": "called her"}
