"""Signing in again after a session expired: `next` leads back only to a path on this site, and a form sent after
the session expired is kept (without its token and passwords), shown again after sign-in with a message, and
never sent to an API until the person sends it again."""
from __future__ import annotations

import re

import pytest

from tests.unit.web.conftest import INTAKE, MONITORING, PASSWORD, csrf_of

EXPIRED = "Uw sessie was verlopen; controleer en verstuur het formulier opnieuw."
FORM = {"given_name": "Chiamaka", "family_name": "Eze", "client_ref": "VWN-DRAFT-1", "country_of_return": "NG",
        "household.adults": "2", "household.minors": "1", "vulnerabilities": "single_parent",
        "reintegration_plan.goals.economic": "Naaiatelier", "consent.share_with_partner": "true"}


def sign_in_at(b, next_url: str, username: str = "consultant"):
    page = b.client.get("/login?next=" + next_url)
    return b.client.post("/login", data={"username": username, "password": PASSWORD, "next": next_url,
                                         "csrf_token": csrf_of(page.data)})


class TestNext:
    @pytest.mark.parametrize("target", ["/returnees/new", "/returnees?status=arrived&country=NG", "/alerts"])
    def test_signing_in_leads_back_to_the_page_on_this_site(self, browser, target):
        assert sign_in_at(browser(), target).headers["Location"] == target

    @pytest.mark.parametrize("hostile", ["//evil.example/", "https://evil.example/", "http:evil.example",
                                         "/\\evil.example", "\\\\evil.example", "/\t/evil.example",
                                         "/\n/evil.example", "javascript:alert(1)", "evil.example/x", "/%0a/x\r",
                                         "/returnees\r\nSet-Cookie: homeward_session=x", "\r\n/returnees"])
    def test_never_off_site(self, browser, hostile):
        assert sign_in_at(browser(), hostile).headers["Location"] == "/returnees"

    def test_a_next_with_a_line_break_never_breaks_the_sign_in_page(self, browser):
        b, hostile = browser(), "/returnees\r\nSet-Cookie: homeward_session=x"
        page = b.client.get("/login", query_string={"next": hostile})
        assert page.status_code == 200
        refused = b.client.post("/login", data={"username": "consultant", "password": "not the password",
                                                "next": hostile, "csrf_token": csrf_of(page.data)})
        assert refused.status_code < 500 and "homeward_session=x" not in str(refused.headers)

    def test_the_sign_in_page_says_the_session_had_expired(self, browser, web):
        b = browser("consultant")
        web.clock.advance(minutes=31)
        response = b.client.get("/returnees?status=arrived")
        assert response.status_code == 302 and "expired=1" in response.headers["Location"]
        html = b.client.get(response.headers["Location"]).get_data(as_text=True)
        assert "Uw sessie was verlopen" in html


@pytest.fixture
def register_api(api):
    api.get(f"{INTAKE}/v1/eligibility", json={"country": "NG", "rule_year": 2026, "rean": {"eligible": True},
                                              "hrt": {"eligible": False}})
    return api.post(f"{INTAKE}/v1/returnees", status=201, json={"id": "rtn_9"})


class TestAnExpiredSessionKeepsTheForm:
    def _expire_while_filling(self, browser, web, path="/returnees/new", data=FORM, role="consultant", **headers):
        b = browser(role)
        b.get(path)
        web.clock.advance(minutes=31)  # idle longer than WEB_SESSION_IDLE_MINUTES
        self.stale_token = b.csrf
        sent = b.post(path, data, headers={"Origin": "http://localhost", **headers})
        return b, sent

    def test_the_form_comes_back_filled_with_a_message_and_is_not_sent(self, browser, web, register_api):
        b, sent = self._expire_while_filling(browser, web)
        assert sent.status_code == 302 and sent.headers["Location"].startswith("/login?")
        assert "next=/returnees/new" in sent.headers["Location"]
        assert register_api.call_count == 0  # nothing reached intake without a session
        back = sign_in_at(b, "/returnees/new")
        assert back.headers["Location"] == "/returnees/new"
        page = b.get("/returnees/new")
        html = page.get_data(as_text=True)
        assert EXPIRED in html
        for value in ("Chiamaka", "Eze", "VWN-DRAFT-1", "Naaiatelier"):
            assert f'value="{value}"' in html
        assert re.search(r'value="single_parent"\s+checked', html) and 'id="c-share" name="consent.share_with_partner" value="true" checked' in html
        assert register_api.call_count == 0  # shown again, never sent by itself
        assert b.csrf and b.csrf != self.stale_token  # the page carries the new session's token
        again = b.get("/returnees/new").get_data(as_text=True)
        assert "Chiamaka" not in again and EXPIRED not in again  # used once

    def test_the_kept_form_is_sent_only_by_a_fresh_submit_with_the_new_token(self, browser, web, register_api):
        b, _ = self._expire_while_filling(browser, web)
        sign_in_at(b, "/returnees/new")
        b.get("/returnees/new")
        assert b.post("/returnees/new", FORM).headers["Location"] == "/returnees/rtn_9"
        assert register_api.call_count == 1

    def test_another_person_signing_in_in_that_browser_does_not_get_it(self, browser, web, register_api):
        b, _ = self._expire_while_filling(browser, web)
        sign_in_at(b, "/returnees/new", username="admin")
        html = b.get("/returnees/new").get_data(as_text=True)
        assert "Chiamaka" not in html and EXPIRED not in html

    def test_a_post_from_another_site_is_not_kept(self, browser, web, register_api):
        b, sent = self._expire_while_filling(browser, web, Origin="https://evil.example")
        assert sent.status_code == 302
        sign_in_at(b, "/returnees/new")
        html = b.get("/returnees/new").get_data(as_text=True)
        assert "Chiamaka" not in html and EXPIRED not in html

    def test_the_token_and_passwords_are_not_kept(self, browser, web, app):
        from services.web import repository

        b, _ = self._expire_while_filling(browser, web, path="/staff", role="admin",
                                          data={"username": "new.person", "role": "consultant",
                                                "password": "a secret password typed"})
        (draft,) = repository.all_drafts()
        assert "csrf_token" not in draft.values and "password" not in draft.values
        assert "a secret password typed" not in draft.values
        sign_in_at(b, "/staff", username="admin")
        html = b.get("/staff").get_data(as_text=True)
        assert EXPIRED in html and 'value="new.person"' in html and "a secret password typed" not in html

    def test_a_kept_form_expires(self, browser, web, register_api):
        b, _ = self._expire_while_filling(browser, web)
        web.clock.advance(minutes=31)
        sign_in_at(b, "/returnees/new")
        assert "Chiamaka" not in b.get("/returnees/new").get_data(as_text=True)

    def test_a_form_of_an_earlier_session_sent_after_signing_in_again_elsewhere_comes_back(self, browser, web,
                                                                                           register_api):
        b = browser("consultant")
        b.get("/returnees/new")
        stale = b.csrf
        web.clock.advance(minutes=31)
        assert sign_in_at(b, "/returnees").status_code == 302  # signed in again in another tab
        forged = b.client.post("/returnees/new", data={**FORM, "csrf_token": stale})  # not from a page of this site
        assert forged.status_code == 400
        sent = b.client.post("/returnees/new", data={**FORM, "csrf_token": stale},
                             headers={"Origin": "http://localhost"})
        assert sent.status_code == 302 and sent.headers["Location"] == "/returnees/new"
        html = b.get("/returnees/new").get_data(as_text=True)
        assert EXPIRED in html and 'value="Chiamaka"' in html and register_api.call_count == 0

    def test_an_alert_note_comes_back_on_the_page_the_form_was_on(self, browser, web, api):
        alerts = {"items": [{"id": "a1", "type": "safety_concern", "status": "open", "returnee_id": "rtn_1",
                             "country": "NG", "raised_at": "2026-03-01T10:00:00Z"}], "next_cursor": None}
        api.get(f"{MONITORING}/v1/alerts", json=alerts)
        acted = api.post(f"{MONITORING}/v1/alerts/a1/resolve", json={})
        b = browser("consultant")
        b.get("/alerts")
        web.clock.advance(minutes=31)
        sent = b.post("/alerts/a1/resolve", {"note": "Ze is veilig bij haar zus"},
                      headers={"Origin": "http://localhost", "Referer": "http://localhost/alerts"})
        assert "next=/alerts" in sent.headers["Location"] and acted.call_count == 0
        sign_in_at(b, "/alerts")
        html = b.get("/alerts").get_data(as_text=True)
        assert EXPIRED in html and 'value="Ze is veilig bij haar zus"' in html
        assert acted.call_count == 0
