"""shared/pages: the page machinery the apps that serve HTML share (CSRF, sessions, locale, headers)."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from types import SimpleNamespace

import pytest
from flask import Flask
from mongoengine import DateTimeField, Document, StringField

from shared import store
from shared.pages.csrf import Csrf
from shared.pages.headers import safe_path, secure_page
from shared.pages.locale import LocaleChooser
from shared.pages.sessions import SessionStore, digest

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)


class PageSession(Document):
    meta = {"db_alias": "pages_test", "collection": "sessions"}
    id = StringField(primary_key=True)
    who = StringField()
    csrf_token = StringField(required=True)
    created_at = DateTimeField(required=True)
    last_seen = DateTimeField(required=True)


@pytest.fixture
def sessions():
    store.connect(SimpleNamespace(mongodb_uri="", mongodb_db="pages_test"), "pages_test")
    return SessionStore(PageSession, idle=timedelta(minutes=30), longest=timedelta(hours=8))


def test_a_session_is_stored_under_the_digest_of_its_cookie_and_expires(sessions):
    token = sessions.start(NOW, who="someone")
    stored = PageSession.objects.get()
    assert stored.id == digest(token) != token and stored.csrf_token
    assert sessions.load(token, NOW + timedelta(minutes=29)).who == "someone"
    assert sessions.load(token, NOW + timedelta(minutes=58)).who == "someone"  # touched at 29 minutes
    assert sessions.load(token, NOW + timedelta(minutes=89)) is None  # idle 31 minutes
    assert PageSession.objects.count() == 0
    other = sessions.start(NOW, who="x")
    for minutes in range(20, 8 * 60, 20):
        assert sessions.load(other, NOW + timedelta(minutes=minutes)) is not None
    assert sessions.load(other, NOW + timedelta(hours=8, minutes=1)) is None  # at most 8 hours
    assert sessions.load("not-a-session", NOW) is None and sessions.load(None, NOW) is None


def app_with(csrf_session=None, preferred=None) -> Flask:
    app = Flask(__name__)
    csrf = Csrf("t_csrf", lambda: csrf_session, exempt=frozenset({"open"}))
    locales = LocaleChooser(("en", "fr", "ar"), "en", "t_lang", preferred=lambda: preferred)

    @app.route("/form", methods=["GET", "POST"])
    def form():
        if not csrf.valid():
            return "refused", 400
        return {"token": csrf.token(), "lang": locales.select()}

    @app.route("/open", methods=["POST"], endpoint="open")
    def open_():
        return "ok" if csrf.valid() else ("refused", 400)

    @app.after_request
    def after(response):
        return secure_page(locales.remember(csrf.set_cookie(response)))

    return app


def test_before_sign_in_the_token_is_a_double_submit_cookie():
    client = app_with().test_client()
    first = client.get("/form")
    token = first.json["token"]
    assert any(c.startswith(f"t_csrf={token};") and "HttpOnly" in c for c in first.headers.getlist("Set-Cookie"))
    assert client.get("/form").json["token"] == token  # the same while the cookie lasts
    assert client.post("/form", data={"csrf_token": token}).status_code == 200
    assert client.post("/form", headers={"X-CSRF-Token": token}, json={}).status_code == 200
    assert client.post("/form", data={"csrf_token": "x" + token}).status_code == 400
    assert client.post("/form").status_code == 400
    assert client.post("/open").data == b"ok"


def test_after_sign_in_the_token_is_the_sessions():
    client = app_with(csrf_session="session-token").test_client()
    assert client.get("/form").json["token"] == "session-token"
    assert client.post("/form", data={"csrf_token": "session-token"}).status_code == 200
    client.set_cookie("t_csrf", "cookie-token")
    assert client.post("/form", data={"csrf_token": "cookie-token"}).status_code == 400


def test_the_language_is_asked_then_remembered_then_the_apps_choice_then_the_browsers():
    client = app_with(preferred="fr").test_client()
    assert client.get("/form", headers={"Accept-Language": "ar"}).json["lang"] == "fr"  # the organisation's
    assert app_with().test_client().get("/form", headers={"Accept-Language": "ar,en;q=.5"}).json["lang"] == "ar"
    chosen = client.get("/form?lang=ar")
    assert chosen.json["lang"] == "ar" and any(c.startswith("t_lang=ar;") for c in chosen.headers.getlist("Set-Cookie"))
    assert client.get("/form").json["lang"] == "ar"
    assert client.get("/form?lang=xx").json["lang"] == "ar"  # a language without a catalogue is ignored
    assert LocaleChooser(("en", "fr"), "en", "c").first_available(["sus", "fr-GN", "en"]) == "fr"


def test_pages_carry_the_security_headers_and_redirects_stay_on_the_site():
    headers = app_with().test_client().get("/form").headers
    assert headers["X-Frame-Options"] == "DENY" and "default-src 'self'" in headers["Content-Security-Policy"]
    assert headers["Cache-Control"] == "no-store"
    assert [safe_path(p) for p in ("/cases/x?a=1", "//evil.example", "/\\evil", "https://evil.example", "/a\nb")] == \
        ["/cases/x?a=1", None, None, None, None]
