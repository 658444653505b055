"""Signing in to the portal: the partners password grant, tokens kept server-side (never in the browser),
the organisation's language, CSRF on every form, cookies of its own, idle expiry, refreshed tokens."""
from __future__ import annotations

from datetime import timedelta

from services.portal import repository
from services.portal.documents import PortalSession
from tests.unit.portal.conftest import ORG, PARTNERS, PASSWORD, USER, csrf_of, form_body, grant, sign_in, tokens


def test_a_field_worker_signs_in_and_the_tokens_stay_on_the_server(app, api):
    client = app.test_client()
    page = client.get("/login", headers={"Accept-Language": "fr"})
    grant(api)
    answer = client.post("/login", data={"csrf_token": csrf_of(page.data), "username": "Fatou ",
                                         "password": PASSWORD})
    assert answer.status_code == 302 and answer.headers["Location"] == "/"
    call = next(c for c in api.calls if c.request.url.endswith("/v1/oauth/token"))
    assert form_body(call) == {"grant_type": "password", "username": "fatou", "password": PASSWORD}
    assert call.request.headers["X-Forwarded-For"] == "127.0.0.1"  # the browser's address, for the throttle
    cookie = next(h for h in answer.headers.getlist("Set-Cookie") if h.startswith("homeward_portal_session="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "access-1" not in cookie and "refresh-1" not in cookie
    stored = PortalSession.objects.get()
    assert (stored.user_id, stored.partner_id, stored.partner_role) == (USER, ORG, "field_worker")
    assert stored.access_token == "access-1" and stored.refresh_token == "refresh-1"
    assert stored.id != cookie.split(";")[0].split("=", 1)[1]  # the store holds the cookie's digest only
    home = client.get("/")
    assert home.status_code == 200
    assert "access-1" not in home.get_data(as_text=True) and "refresh-1" not in home.get_data(as_text=True)


def test_the_pages_speak_the_organisations_language(app, api):
    client = app.test_client()
    sign_in(client, api, lang="en")  # the browser asks for English; the organisation works in French
    home = client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<html lang="fr" dir="ltr">' in home and "Suivis à faire" in home
    english = client.get("/?lang=en").get_data(as_text=True)
    assert '<html lang="en"' in english and "Check-ins due" in english
    again = client.get("/").get_data(as_text=True)  # the choice is remembered
    assert '<html lang="en"' in again


def test_a_wrong_password_is_refused_in_the_pages_language(app, api):
    client = app.test_client()
    page = client.get("/login", headers={"Accept-Language": "fr-FR,fr;q=0.9"})
    assert '<html lang="fr"' in page.get_data(as_text=True)
    grant(api, 400, {"type": "https://homeward.example/problems/400", "title": "invalid_grant", "status": 400,
                     "detail": "Wrong user name or password, or the account is not active.",
                     "error": "invalid_grant", "error_description": "Wrong user name or password."})
    refused = client.post("/login", data={"csrf_token": csrf_of(page.data), "username": "fatou", "password": "no"},
                          headers={"Accept-Language": "fr-FR,fr;q=0.9"})
    assert refused.status_code == 401
    text = refused.get_data(as_text=True)
    assert "Nom d'utilisateur ou mot de passe incorrect" in text.replace("&#39;", "'")
    assert "Wrong user name" not in text and PortalSession.objects.count() == 0


def test_too_many_attempts_say_how_long_to_wait(app, api):
    client = app.test_client()
    page = client.get("/login?lang=en")
    grant(api, 429, {"status": 429, "error": "slow_down"}, headers={"Retry-After": "40"})
    answer = client.post("/login", data={"csrf_token": csrf_of(page.data), "username": "fatou", "password": "x"})
    assert answer.status_code == 429 and "Wait 40 seconds" in answer.get_data(as_text=True)
    assert answer.headers["Retry-After"] == "40"  # the page says it, and so does the answer


def test_a_long_wait_is_said_in_minutes_in_the_pages_language(app, api):
    client = app.test_client()
    page = client.get("/login", headers={"Accept-Language": "fr"})
    grant(api, 429, {"status": 429, "error": "slow_down"}, headers={"Retry-After": "900"})
    answer = client.post("/login", data={"csrf_token": csrf_of(page.data), "username": "fatou", "password": "x"},
                         headers={"Accept-Language": "fr"})
    assert answer.status_code == 429 and answer.headers["Retry-After"] == "900"
    assert "Attendez 15 minutes, puis réessayez." in answer.get_data(as_text=True)


def test_every_form_needs_its_csrf_token(app, api):
    client = app.test_client()
    client.get("/login")
    assert client.post("/login", data={"username": "fatou", "password": PASSWORD}).status_code == 400
    assert client.post("/login", data={"csrf_token": "forged", "username": "fatou",
                                       "password": PASSWORD}).status_code == 400
    assert not [c for c in api.calls if c.request.url.endswith("/v1/oauth/token")]
    token = sign_in(client, api)
    assert client.post("/logout").status_code == 400  # signed in: the session's token, not the cookie's
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302
    assert PortalSession.objects.count() == 0


def test_a_staff_session_cookie_opens_nothing_here(app, api):
    client = app.test_client()
    client.set_cookie("homeward_session", "a-staff-session-token-of-the-web-app")
    answer = client.get("/")
    assert answer.status_code == 302 and answer.headers["Location"].startswith("/login")
    assert client.post("/sync", json={"items": []}).status_code == 401


def test_the_session_ends_when_idle(app, api, portal):
    client = app.test_client()
    sign_in(client, api)
    portal.clock.advance(minutes=portal.settings.session_idle_minutes + 1)
    answer = client.get("/cases")
    assert answer.status_code == 302 and answer.headers["Location"] == "/login?next=/cases"
    assert PortalSession.objects.count() == 0


def test_cookies_are_secure_outside_development(api, portal):
    from services.portal.app import create_app

    portal.settings = portal.settings.with_(environment="staging")
    client = create_app(portal=portal).test_client()
    page = client.get("/login")
    assert all("Secure" in c for c in page.headers.getlist("Set-Cookie"))
    grant(api)
    answer = client.post("/login", data={"csrf_token": csrf_of(page.data), "username": "fatou",
                                         "password": PASSWORD})
    assert all("Secure" in c for c in answer.headers.getlist("Set-Cookie"))


class TestTokens:
    def test_an_expiring_access_token_is_renewed_once_with_the_refresh_token(self, app, api, portal):
        client = app.test_client()
        sign_in(client, api)
        portal.clock.advance(seconds=900 - 30)  # 30 s left: renewed before the API calls
        grant(api, 200, tokens(2))
        assert client.get("/cases").status_code == 200
        refreshes = [form_body(c) for c in api.calls if c.request.url.endswith("/v1/oauth/token")][1:]
        assert refreshes == [{"grant_type": "refresh_token", "refresh_token": "refresh-1"}]
        last = [c for c in api.calls if "/v1/handovers" in c.request.url][-1]
        assert last.request.headers["Authorization"] == "Bearer access-2"
        stored = PortalSession.objects.get()
        assert (stored.access_token, stored.refresh_token, stored.refresh_claimed_until) == \
            ("access-2", "refresh-2", None)

    def test_a_refused_refresh_ends_the_session(self, app, api, portal):
        client = app.test_client()
        sign_in(client, api)
        portal.clock.advance(seconds=900)
        grant(api, 400, {"status": 400, "error": "invalid_grant"})
        answer = client.get("/cases")
        assert answer.status_code == 302 and answer.headers["Location"].startswith("/login")
        assert PortalSession.objects.count() == 0

    def test_a_refresh_token_under_way_elsewhere_is_not_spent_twice(self, app, api, portal):
        client = app.test_client()
        sign_in(client, api)
        session = PortalSession.objects.get()
        portal.clock.advance(seconds=900 - 30)  # expiring, still valid: another request is renewing it
        now = portal.clock.now()
        assert repository.claim_refresh(session.id, "refresh-1", now, now + timedelta(seconds=15))
        assert client.get("/cases").status_code == 200
        assert len([c for c in api.calls if c.request.url.endswith("/v1/oauth/token")]) == 1  # the sign-in only


def test_signing_in_without_the_partners_api_says_so(app, api):
    client = app.test_client()
    page = client.get("/login?lang=fr")
    answer = client.post("/login", data={"csrf_token": csrf_of(page.data), "username": "fatou",
                                         "password": PASSWORD})  # no token answer registered: connection refused
    assert answer.status_code == 503 and "injoignable" in answer.get_data(as_text=True)
    assert PARTNERS
