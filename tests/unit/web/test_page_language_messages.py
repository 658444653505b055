"""Every message of a page in the page's language: field errors translated from the APIs' codes, no problem detail
in English, alerts written from their code and parameters, the webhook log naming what went wrong in words, and
times in the organisation's time zone, which the pages name."""
from __future__ import annotations

import re

import pytest

from services.web.config import WebSettings
from shared.config import ConfigError
from tests.unit.web.conftest import INTAKE, MONITORING, PARTNERS


class TestFieldErrorCodes:
    @pytest.mark.parametrize("lang, required, out_of_range, unknown", [
        ("nl", "Dit veld is verplicht.", "Buiten het toegestane bereik.", "Deze waarde wordt niet geaccepteerd."),
        ("en", "This field is required.", "Out of the allowed range.", "This value is not accepted."),
    ])
    def test_messages_come_from_the_codes_not_from_the_english(self, browser, api, lang, required, out_of_range,
                                                               unknown):
        api.post(f"{INTAKE}/v1/returnees", status=422, json={
            "status": 422, "detail": "The request has invalid fields.",
            "errors": {"given_name": "Missing data for required field.",
                       "household.adults": "Must be greater than or equal to 0 and less than or equal to 20.",
                       "region": "Something the web has never heard of."},
            "error_codes": {"given_name": "required", "household.adults": "out_of_range", "region": "invalid"}})
        b = browser("consultant")
        b.get(f"/returnees/new?lang={lang}")
        html = b.post("/returnees/new", {"family_name": "Okafor", "country_of_return": "NG"}).get_data(as_text=True)
        assert f'<span class="error" id="given_name-error">{required}</span>' in html
        assert f'<span class="error" id="household.adults-error">{out_of_range}</span>' in html
        assert f'<span class="error" id="region-error">{unknown}</span>' in html
        for english in ("Missing data", "Must be greater", "never heard", "invalid fields"):
            assert english not in html

    def test_a_problem_without_codes_shows_no_english(self, browser, api):
        api.post(f"{INTAKE}/v1/returnees", status=422, json={
            "status": 422, "detail": "The request has invalid fields.", "errors": {"given_name": "Bad name."}})
        b = browser("consultant")
        b.get("/returnees/new")
        html = b.post("/returnees/new", {"family_name": "Okafor"}).get_data(as_text=True)
        assert '<span class="error" id="given_name-error">Deze waarde wordt niet geaccepteerd.</span>' in html
        assert "Bad name." not in html

    def test_the_string_matching_table_is_gone(self):
        from services.web import i18n

        assert not hasattr(i18n, "API_MESSAGES") and not hasattr(i18n, "api_message")


RETURNEE = {"id": "rtn_1", "status": "registered", "client_ref": "VWN-7", "given_name": "Amina", "family_name": "Okafor",
            "country_of_return": "NG", "household": {"adults": 1, "minors": 0}, "languages": ["en"],
            "vulnerabilities": [], "reintegration_plan": {"goals": {}, "planned_support": []},
            "consent": {"share_with_partner": True, "given_on": "2026-03-01"}, "handover": None,
            "history": [{"status": "registered", "at": "2026-03-01T10:00:00+00:00"}],
            "monitoring": {"next_due_on": None, "latest_index": None, "open_alerts": 2}}
ALERTS = [
    {"id": "alr_1", "type": "critical_domain", "status": "open", "raised_at": "2026-03-02T09:00:00Z",
     "returnee_id": "rtn_1", "country": "NG", "detail": "Scored 1 on economic, health.",
     "code": "critical_domain", "params": {"domains": ["economic", "health"], "score": 1}},
    {"id": "alr_2", "type": "safety_concern", "status": "open", "raised_at": "2026-03-02T09:00:00Z",
     "returnee_id": "rtn_1", "country": "NG", "detail": "The partner reported a safety concern.",
     "code": "safety_concern", "params": {}},
    {"id": "alr_3", "type": "index_drop", "status": "resolved", "raised_at": "2026-03-01T09:00:00Z",
     "resolved_at": "2026-03-02T09:30:00Z", "returnee_id": "rtn_1", "country": "NG",
     "detail": "Index fell from 0.80 to 0.40.", "code": "index_drop", "params": {"from": 0.8, "to": 0.4},
     "resolution": "The cause went away.", "resolution_code": "cause_gone"},
    {"id": "alr_4", "type": "checkin_overdue", "status": "open", "raised_at": "2026-03-01T09:00:00Z",
     "returnee_id": "rtn_1", "country": "NG", "detail": "The 3-month check-in due 2026-02-20 has not come in."},
]
ENGLISH = ("Scored 1 on", "The partner reported", "Index fell", "The cause went away", "has not come in")


class TestAlertTexts:
    def test_the_alerts_page_writes_each_alert_from_its_code_in_dutch(self, browser, api):
        api.get(f"{MONITORING}/v1/alerts", json={"items": ALERTS[:2] + ALERTS[3:], "next_cursor": None})
        html = browser("consultant").get("/alerts").get_data(as_text=True)
        assert "Score 1 op economisch (inkomen, werk, opleiding), gezondheid (lichamelijk en psychisch)." in html
        assert "De partner meldt zorgen over de veiligheid." in html
        for english in ENGLISH:
            assert english not in html

    def test_and_in_english_on_the_english_page(self, browser, api):
        api.get(f"{MONITORING}/v1/alerts", json={"items": ALERTS[:2], "next_cursor": None})
        html = browser("consultant").get("/alerts?lang=en").get_data(as_text=True)
        assert "Scored 1 on economic (income, work, education), health (physical and mental)." in html
        assert "The partner reported a safety concern." in html

    def test_the_timeline_writes_alerts_and_system_resolutions_in_dutch(self, browser, api):
        api.get(f"{INTAKE}/v1/returnees/rtn_1", json=RETURNEE)
        api.get(f"{MONITORING}/v1/cases/rtn_1", json={"checkins": [], "slots": [], "alerts": ALERTS})
        api.get(f"{PARTNERS}/v1/partners", json={"items": [], "next_cursor": None})
        html = browser("consultant").get("/returnees/rtn_1").get_data(as_text=True)
        assert "Score 1 op economisch (inkomen, werk, opleiding), gezondheid (lichamelijk en psychisch)." in html
        assert "Index gedaald van 0,80 naar 0,40." in html
        assert "De oorzaak is weggenomen." in html
        for english in ENGLISH:
            assert english not in html


class TestProblemDetails:
    def test_a_conflict_is_said_in_dutch_never_with_the_apis_english(self, browser, api):
        api.get(f"{INTAKE}/v1/returnees/rtn_1", json=RETURNEE)
        api.get(f"{MONITORING}/v1/cases/rtn_1", status=404, json={"status": 404})
        api.post(f"{INTAKE}/v1/returnees/rtn_1/handover", status=409,
                 json={"status": 409, "type": "https://homeward.example/problems/409",
                       "detail": "cannot request handover without consent"})
        b = browser("consultant")
        b.get("/returnees/rtn_1")
        response = b.post("/returnees/rtn_1/handover", {"partner_id": "ptn_1"})
        html = response.get_data(as_text=True)
        assert response.status_code == 409
        assert re.search(r'<p class="flash error" role="alert">[^<]*partner[^<]*</p>', html)  # said for the action
        assert "cannot request handover" not in html

    def test_the_error_page_shows_no_api_detail(self, browser, api):
        api.get(f"{INTAKE}/v1/returnees/rtn_1", status=409, json={"status": 409, "detail": "The record is locked."})
        html = browser("consultant").get("/returnees/rtn_1").get_data(as_text=True)
        assert "The record is locked." not in html and "Niet mogelijk in deze fase" in html


def deliveries(*rows):
    base = {"webhook_id": "msg_1", "event_type": "handover.offered", "attempt": 1,
            "attempted_at": "2026-03-02T09:00:00Z", "state": "pending"}
    return {"items": [{**base, "id": f"att_{i}", **row} for i, row in enumerate(rows)], "next_cursor": None}


class TestWebhookLog:
    RAW = ("ConnectionError: HTTPSConnectionPool(host='ngo.example', port=443): Max retries exceeded with url: /hook "
           "(Caused by NewConnectionError('<urllib3.connection.HTTPSConnection object at 0x7f>: Failed to establish a "
           "new connection: [Errno 111] Connection refused'))")

    def page(self, api, rows):
        api.get(f"{PARTNERS}/v1/partners/ptn_1", json={"id": "ptn_1", "name": "Lagos Desk", "countries": ["NG"]})
        api.get(f"{PARTNERS}/v1/partners/ptn_1/credentials", json={"items": []})
        api.get(f"{PARTNERS}/v1/partners/ptn_1/webhook", json={"url": "https://ngo.example/hook", "status": "active"})
        api.get(f"{PARTNERS}/v1/partners/ptn_1/webhook/deliveries", json=rows)

    def test_each_attempt_says_in_dutch_what_went_wrong_and_never_the_exception(self, browser, api):
        self.page(api, deliveries(
            {"status_code": None, "error": self.RAW, "error_kind": "connection_refused"},
            {"status_code": None, "error": "ReadTimeout: HTTPSConnectionPool read timed out. (read timeout=10)",
             "error_kind": "timeout"},
            {"status_code": None, "error": "refused: a private address", "error_kind": "refused_address"},
            {"status_code": 503, "error": "HTTP 503", "error_kind": "http_status"},
            {"status_code": None, "error": "SomethingNew: boom", "error_kind": "something_new"},
            {"status_code": None, "error": "OldError: stored before kinds existed"}))
        html = browser("admin").get("/partners/ptn_1").get_data(as_text=True)
        for dutch in ("Verbinding geweigerd", "Geen antwoord op tijd", "Adres niet toegestaan", "HTTP-status 503",
                      "Niet afgeleverd"):
            assert dutch in html
        for raw in ("HTTPSConnectionPool", "Errno", "ConnectionError", "ReadTimeout", "refused:", "boom",
                    "OldError", "0x7f"):
            assert raw not in html

    def test_the_log_says_its_times_are_amsterdam_time(self, browser, api):
        self.page(api, deliveries({"status_code": 200, "error": None, "error_kind": None, "state": "delivered"}))
        html = browser("admin").get("/partners/ptn_1").get_data(as_text=True)
        assert "2 mrt 2026, 10:00:00" in html  # 09:00 UTC is 10:00 in Amsterdam in March
        assert "Tijden in de tijdzone van Amsterdam." in html


class TestTimeZone:
    def test_the_alerts_page_shows_local_time_and_says_so(self, browser, api):
        api.get(f"{MONITORING}/v1/alerts", json={"items": ALERTS[1:2], "next_cursor": None})
        html = browser("consultant").get("/alerts").get_data(as_text=True)
        assert "2 mrt 2026, 10:00:00" in html and "Tijden in de tijdzone van Amsterdam." in html

    def test_another_zone_is_a_setting(self, browser, api, web):
        web.settings = web.settings.with_(time_zone="America/New_York")
        api.get(f"{MONITORING}/v1/alerts", json={"items": ALERTS[1:2], "next_cursor": None})
        html = browser("consultant").get("/alerts?lang=en").get_data(as_text=True)
        assert "Mar 2, 2026, 4:00:00" in html and "Times in the New York time zone." in html

    def test_the_setting_is_read_from_the_environment_and_checked(self):
        assert WebSettings.from_env({}).time_zone == "Europe/Amsterdam"
        assert WebSettings.from_env({"WEB_TIME_ZONE": "Europe/Lisbon"}).time_zone == "Europe/Lisbon"
        with pytest.raises(ConfigError):
            WebSettings.from_env({"WEB_TIME_ZONE": "Mars/Olympus"})
