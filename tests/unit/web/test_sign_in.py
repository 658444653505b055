"""Sign-in, sessions and CSRF (slowed guessing: test_sign_in_throttle.py)."""
from __future__ import annotations

from services.web.security import SESSION_COOKIE
from tests.unit.web.conftest import PASSWORD, csrf_of


class TestSignIn:
    def test_any_page_without_a_session_leads_to_the_sign_in_page(self, browser):
        response = browser().client.get("/returnees?status=arrived")
        assert response.status_code == 302
        assert response.headers["Location"] == "/login?next=/returnees?status%3Darrived"

    def test_signing_in_sets_an_httponly_lax_session_cookie_and_goes_to_the_roles_start_page(self, browser):
        b = browser()
        response = b.sign_in("consultant")
        assert response.headers["Location"] == "/returnees"
        cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith(SESSION_COOKIE))
        assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie  # development

    def test_the_session_cookie_is_secure_outside_development(self, web, app):
        web.settings = web.settings.with_(environment="staging")
        client = app.test_client()
        page = client.get("/login", base_url="https://localhost")
        response = client.post("/login", base_url="https://localhost",
                               data={"username": "admin", "password": PASSWORD, "csrf_token": csrf_of(page.data)})
        cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith(SESSION_COOKIE))
        assert "Secure" in cookie

    def test_a_wrong_password_is_refused_in_dutch_and_in_english(self, browser):
        b = browser()
        response = b.sign_in("consultant", "not the password")
        assert response.status_code == 401
        assert "Onbekende gebruikersnaam of verkeerd wachtwoord." in response.get_data(as_text=True)
        b.client.get("/login?lang=en")
        response = b.sign_in("consultant", "not the password")
        assert "Unknown user name or wrong password." in response.get_data(as_text=True)

    def test_next_leads_back_to_the_page_asked_for_but_never_off_site(self, browser):
        b = browser()
        page = b.client.get("/login?next=/alerts")
        ok = b.client.post("/login", data={"username": "consultant", "password": PASSWORD, "next": "/alerts",
                                           "csrf_token": csrf_of(page.data)})
        assert ok.headers["Location"] == "/alerts"
        b2 = browser()
        page = b2.client.get("/login")
        evil = b2.client.post("/login", data={"username": "consultant", "password": PASSWORD, "next": "//evil.example/",
                                              "csrf_token": csrf_of(page.data)})
        assert evil.headers["Location"] == "/returnees"


class TestUnknownNames:
    def test_an_unknown_user_name_answers_like_a_wrong_password(self, browser):
        assert browser().sign_in("nobody", "whatever").status_code == 401


class TestSessions:
    def test_signing_out_ends_the_session(self, browser):
        b = browser("consultant")
        assert b.post("/logout").headers["Location"] == "/login"
        assert b.client.get("/returnees").status_code == 302

    def test_an_idle_session_expires(self, browser, web):
        b = browser("consultant")
        web.clock.advance(minutes=31)
        assert b.client.get("/countries").status_code == 302

    def test_a_session_ends_after_its_longest_life_even_when_used(self, browser, web):
        b = browser("consultant")
        for _ in range(21):
            web.clock.advance(minutes=29)
            b.client.get("/countries")
        web.clock.advance(minutes=29)
        assert b.client.get("/countries").status_code == 302  # 22 x 29 min = 10 h 38 min after sign-in

    def test_a_deactivated_account_loses_its_sessions(self, browser):
        consultant = browser("consultant")
        admin = browser("admin")
        admin.get("/staff")
        admin.post("/staff/consultant", {"action": "deactivate", "confirming": "1", "confirm": "yes"})
        assert consultant.client.get("/countries").status_code == 302
        assert browser().sign_in("consultant").status_code == 401


class TestCsrf:
    def test_a_form_without_its_token_is_refused(self, browser):
        b = browser("consultant")
        assert b.post("/logout", csrf=False).status_code == 400
        assert b.post("/alerts/alr_1/acknowledge", {"csrf_token": "forged"}, csrf=False).status_code == 400
        assert b.client.get("/countries").status_code == 200  # still signed in

    def test_the_sign_in_form_needs_its_token_too(self, browser):
        response = browser().client.post("/login", data={"username": "consultant", "password": PASSWORD})
        assert response.status_code == 400
