"""Every page and form against faked APIs: roles, field errors in both languages, the API calls made."""
from __future__ import annotations

import json
import re

import pytest
from responses import matchers
from cryptography.hazmat.primitives import serialization  # noqa: F401 - the key is loaded by shared.auth

from shared.auth import TokenVerifier
from tests.unit.web.targets_answer import TARGETS
from tests.unit.web.conftest import INTAKE, MONITORING, PARTNERS, serve_alert_counts, serve_insights

RETURNEE = {"id": "rtn_1", "status": "registered", "client_ref": "VWN-7", "given_name": "Amina", "family_name": "Okafor",
            "country_of_return": "NG", "household": {"adults": 1, "minors": 2}, "languages": ["en"],
            "vulnerabilities": ["single_parent"], "reintegration_plan": {"goals": {"economic": "tailoring"},
                                                                         "planned_support": []},
            "consent": {"share_with_partner": True, "given_on": "2026-03-01"}, "handover": None,
            "history": [{"status": "registered", "at": "2026-03-01T10:00:00+00:00"}],
            "monitoring": {"next_due_on": None, "latest_index": None, "open_alerts": 0}}


class TestRoles:
    @pytest.mark.parametrize("path", ["/partners", "/staff", "/dashboard", "/outcomes", "/reports/quarterly"])
    def test_a_consultant_never_reaches_admin_or_project_lead_pages(self, browser, path):
        assert browser("consultant").client.get(path).status_code == 403

    @pytest.mark.parametrize("path", ["/returnees/new", "/alerts", "/partners", "/staff"])
    def test_a_project_lead_cannot_register_act_on_alerts_or_administer(self, browser, path):
        assert browser("project_lead").client.get(path).status_code == 403

    def test_a_project_lead_never_sees_a_name_or_client_reference_even_if_an_api_sent_one(self, browser, api):
        api.get(f"{INTAKE}/v1/returnees", json={"items": [RETURNEE], "next_cursor": None})
        api.get(f"{INTAKE}/v1/returnees/rtn_1", json=RETURNEE)
        api.get(f"{MONITORING}/v1/cases/rtn_1", status=404, json={"status": 404})
        b = browser("project_lead")
        for page in (b.client.get("/returnees").get_data(as_text=True),
                     b.client.get("/returnees/rtn_1").get_data(as_text=True)):
            assert "rtn_1" in page
            assert "Amina" not in page and "Okafor" not in page and "VWN-7" not in page


class TestApiCalls:
    def test_the_apis_get_a_short_lived_staff_token_that_verifies_with_the_web_key_set(self, browser, api, web, app):
        call = api.get(f"{INTAKE}/v1/returnees", json={"items": [], "next_cursor": None})
        browser("consultant").client.get("/returnees")
        token = call.calls[0].request.headers["Authorization"].removeprefix("Bearer ")
        jwks = app.test_client().get("/.well-known/jwks.json").json
        from jwt import PyJWK

        verifier = TokenVerifier(public_keys=[PyJWK(jwks["keys"][0]).key])
        principal = verifier.verify(token)
        assert (principal.sub, principal.role) == ("web:consultant", "consultant")


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


class TestCountry:
    def test_suppressed_cells_say_fewer_than_k_and_plurals_are_right(self, browser, api):
        api.get(f"{INTAKE}/v1/countries/NG/insights", json={
            "country": "NG", "returnees": 6, "checkins": 1, "suppressed": False, "k": 5, "updated_at": None,
            "mean_scores_by_slot": {"1": {"suppressed": False, "returnees": 6, "economic": 2.5},
                                    "3": {"suppressed": True}}, "safety_concern_share": 0.167})
        b = browser("consultant")
        html = b.client.get("/countries/NG").get_data(as_text=True)
        assert "minder dan 5 terugkeerders" in html and "Gebaseerd op 6 terugkeerders" in html
        assert "1 monitoringsgesprek," not in html and "1 monitoringsgesprek" in html
        brief = b.client.get("/countries/NG/brief?lang=en").get_data(as_text=True)
        assert "Based on 6 returnees" in brief and "1 check-in)" in brief and "fewer than 5 returnees" in brief

    def test_counts_in_sentences_are_written_in_the_users_locale(self, browser, api):
        api.get(f"{INTAKE}/v1/countries/NG/insights", json={
            "country": "NG", "returnees": 1500, "checkins": 4200, "suppressed": True, "k": 5, "updated_at": None})
        b = browser("consultant")
        html = b.client.get("/countries/NG").get_data(as_text=True)
        assert "Gebaseerd op 1.500 terugkeerders" in html and "4.200 monitoringsgesprekken" in html
        html = b.client.get("/countries/NG?lang=en").get_data(as_text=True)
        assert "Based on 1,500 returnees" in html and "4,200 check-ins" in html


class TestDashboard:
    def test_charts_and_tables_show_exactly_the_apis_figures(self, browser, api):
        api.get(f"{INTAKE}/v1/reports/targets", json=TARGETS)
        api.get(f"{INTAKE}/v1/returnees/counts", json={"total": 3, "by_status": {"arrived": 2, "registered": 1},
                                                       "by_country": {"ET": 1, "NG": 2}})
        api.get(f"{MONITORING}/v1/outcomes", json={"by": "country", "k": 2, "rows": [
            {"group": "NG", "suppressed": False, "mean_index_by_slot": {"1": 0.437, "3": None}},
            {"group": "ET", "suppressed": True}]})
        serve_insights(api, {code: {"country": code, "suppressed": code == "ET", "k": 2, "safety_concern_share": 0.5,
                                    "mean_scores_by_slot": {"1": {"suppressed": False, "economic": 2.5}}}
                             for code in ("ET", "NG")})
        serve_alert_counts(api, {"index_drop": 2})
        api.get(f"{MONITORING}/v1/scorecard", json={"partners": [{"partner_id": "ptn_1", "mean_days_to_accept": 1.5,
                                                                  "mean_days_to_confirm_arrival": None,
                                                                  "overdue_rate": 0.25}]})
        html = browser("project_lead").client.get("/dashboard").get_data(as_text=True)
        assert 'data-value="0,44"' in html and ">0,44<" in html  # index: chart and table, two decimals
        assert 'data-label="Nigeria" data-value="2"' in html and 'data-label="Ethiopië" data-value="1"' in html
        assert 'data-value="50,0%"' in html and 'data-label="Lagos Desk" data-value="1,5"' in html
        assert 'data-value="2"' in html.split('id="chart-alerts"')[1]
        assert "minder dan 2 terugkeerders" in html  # Ethiopia's suppressed row


class TestOutcomesPerOffice:
    def test_offices_and_regions_are_named_and_the_unrecorded_group_is_said(self, browser, api):
        api.get(f"{INTAKE}/v1/offices", json={"regions": [
            {"id": "west", "name": "Regio West", "offices": [{"id": "den-haag", "name": "Steunpunt Den Haag"}]}]})
        api.get(f"{MONITORING}/v1/outcomes", json={"by": "office", "k": 2, "total": {"suppressed": True}, "rows": [
            {"group": "den-haag", "suppressed": False, "returnees": 4, "completed_share": 0.5,
             "mean_index_by_slot": {"1": 0.5}, "latest_index_distribution": {}, "states": {}},
            {"group": "none", "suppressed": True}]})
        html = browser("project_lead").client.get("/outcomes?by=office").get_data(as_text=True)
        assert "Steunpunt Den Haag" in html and 'aria-current="page">Per steunpunt' in html.replace("\n", "")
        assert ">geen<" in html


class TestAdmin:
    def test_a_new_credential_secret_is_shown_once(self, browser, api):
        api.post(f"{PARTNERS}/v1/partners/ptn_1/credentials", status=201,
                 json={"client_id": "cid_1", "client_secret": "s3cret-shown-once"})
        b = browser("admin")
        b.get("/staff")
        page = b.post("/partners/ptn_1/credentials").get_data(as_text=True)
        assert "s3cret-shown-once" in page and "maar één keer" in page

    def webhook_page(self, api, status="paused"):
        api.get(f"{PARTNERS}/v1/partners/ptn_1", json={"id": "ptn_1", "name": "Lagos Desk", "countries": ["NG"]})
        api.get(f"{PARTNERS}/v1/partners/ptn_1/credentials", json={"items": []})
        api.get(f"{PARTNERS}/v1/partners/ptn_1/webhook", json={
            "url": "https://ngo.example/hook", "status": status, "created_at": "2026-02-01T09:00:00Z",
            "paused_at": "2026-03-01T08:00:00Z" if status == "paused" else None,
            "failing_since": "2026-02-28T08:00:00Z", "previous_secret_expires_at": None})
        api.get(f"{PARTNERS}/v1/partners/ptn_1/webhook/deliveries", json={"items": [  # one page, newest first
            {"id": "att_2", "webhook_id": "msg_new", "event_type": "returnee.departed", "attempt": 8,
             "status_code": 503, "error": None, "attempted_at": "2026-03-01T08:00:00Z", "state": "failed"},
            {"id": "att_1", "webhook_id": "msg_old", "event_type": "handover.offered", "attempt": 1,
             "status_code": 200, "error": None, "attempted_at": "2026-02-01T09:00:00Z", "state": "delivered"}],
            "next_cursor": "att_1"}, match=[matchers.query_param_matcher({"order": "newest", "limit": "50"})])

    def test_the_webhook_panel_shows_a_pause_the_attempts_newest_first_and_what_can_be_sent_again(
            self, browser, api):
        self.webhook_page(api)
        html = browser("admin").get("/partners/ptn_1").get_data(as_text=True)
        assert "gepauzeerd sinds" in html and "Weer versturen" in html and "Alle mislukte berichten" in html
        assert html.index("msg_new") < html.index("msg_old")  # newest first
        assert 'action="/partners/ptn_1/deliveries/msg_new/replay"' in html
        assert 'action="/partners/ptn_1/deliveries/msg_old/replay"' not in html  # delivered: nothing to resend
        assert "HTTP-status 503" in html and ">Mislukt<" in html and ">Afgeleverd<" in html

    def test_resume_and_send_all_failed_again_call_the_partners_api(self, browser, api):
        self.webhook_page(api)
        resumed = api.post(f"{PARTNERS}/v1/partners/ptn_1/webhook/resume", json={"messages_due": 3})
        replayed = api.post(f"{PARTNERS}/v1/partners/ptn_1/webhook/deliveries/replay", status=202,
                            json={"replayed": 2})
        b = browser("admin")
        b.get("/partners/ptn_1")
        answer = b.post("/partners/ptn_1/webhook/resume")
        assert answer.status_code == 302 and answer.headers["Location"].endswith("/partners/ptn_1")
        assert b.post("/partners/ptn_1/deliveries/replay").status_code == 302
        assert resumed.call_count == 1 and replayed.call_count == 1
        html = b.get("/partners/ptn_1").get_data(as_text=True)
        assert "3 wachtende berichten" in html and "2 mislukte berichten" in html

    def test_a_message_that_cannot_be_sent_again_is_said_not_an_error_page(self, browser, api):
        self.webhook_page(api, status="active")
        api.post(f"{PARTNERS}/v1/partners/ptn_1/webhook/deliveries/msg_new/replay", status=409,
                 json={"status": 409, "detail": "pending"})
        b = browser("admin")
        b.get("/partners/ptn_1")
        assert b.post("/partners/ptn_1/deliveries/msg_new/replay").status_code == 302
        html = b.get("/partners/ptn_1").get_data(as_text=True)
        assert "kan nu niet opnieuw" in html and "gepauzeerd" not in html and "verstuurt" in html

    def test_admins_add_staff_accounts_and_bad_fields_are_named(self, browser):
        b = browser("admin")
        b.get("/staff")
        bad = b.post("/staff", {"username": "X!", "role": "consultant", "password": "short"})
        assert bad.status_code == 422 and 'id="username-error"' in bad.get_data(as_text=True)
        assert b.post("/staff", {"username": "new.person", "role": "consultant", "email": "new.person@example.org",
                                 "password": "long enough password"}).status_code == 302
        assert browser().sign_in("new.person", "long enough password").status_code == 302

    def test_a_partner_form_error_from_the_api_lands_at_its_field(self, browser, api):
        api.post(f"{PARTNERS}/v1/partners", status=422, json={"status": 422, "errors": {
            "countries.0": "Not an ISO 3166-1 alpha-2 country code."}, "error_codes": {"countries.0": "invalid_country"}})
        b = browser("admin")
        b.get("/staff")
        html = b.post("/partners", {"name": "X", "countries": "Nowhere"}).get_data(as_text=True)
        assert "Geen landcode" in html


class TestAssets:
    def test_every_asset_a_page_links_is_served_by_the_app_itself(self, app):
        client = app.test_client()
        html = client.get("/login").get_data(as_text=True)
        links = re.findall(r'(?:href|src)="([^"#?]+)', html)
        assets = [link for link in links if link.startswith("/static/")]
        assert "/static/favicon.svg" in assets  # browsers ask for /favicon.ico otherwise: a 404 on every visit
        assert not [link for link in links if link.startswith(("http:", "https:", "//"))]  # no CDN
        for asset in assets:
            assert client.get(asset).status_code == 200, asset


class TestOps:
    def test_health_readiness_metrics_and_key_set_need_no_sign_in(self, app):
        client = app.test_client()
        assert client.get("/healthz").json["status"] == "ok"
        assert client.get("/readyz").json["mongodb"] == "ok"
        assert b"web_requests_total" in client.get("/metrics").data
        assert client.get("/.well-known/jwks.json").json["keys"][0]["alg"] == "RS256"

