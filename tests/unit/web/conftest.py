"""Web app tests: the Flask test client, the web store in memory, the three APIs faked with `responses`."""
from __future__ import annotations

import copy
import hashlib
import json
import re
from datetime import datetime, timezone
from functools import cache

import pytest
import responses

from services.web import accounts
from services.web.app import build, create_app
from services.web.config import WebSettings
from shared.clock import ManualClock

INTAKE, PARTNERS, MONITORING = "http://intake.test", "http://partners.test", "http://monitoring.test"
PASSWORD = "a long enough password"


@pytest.fixture
def web(tmp_path_factory):
    settings = WebSettings(intake_url=INTAKE, partners_url=PARTNERS, monitoring_url=MONITORING,
                           jwt_signing_key_file=str(tmp_path_factory.mktemp("webkey") / "key.pem"),
                           mongodb_db="homeward_web_test")
    web = build(settings, clock=ManualClock(datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)))
    for role in ("consultant", "project_lead", "admin"):
        accounts.create_account(role.replace("_", "-"), role, PASSWORD, web.clock.now())
    yield web
    import mongoengine

    mongoengine.get_db("web").client.drop_database("homeward_web_test")


@pytest.fixture
def app(web):
    return create_app(web=web)


@cache
def _served_lists(service: str) -> dict:
    """The code lists a service serves (`GET /v1/vocabularies`), from its own declaration and catalogues and the
    network's lists it names (support types, domains); not the long CLDR lists (countries, languages)."""
    import importlib

    from shared.vocabulary import COUNTRIES, LANGUAGES

    vocabulary = importlib.import_module(f"services.{service}.vocabulary").VOCABULARY
    return {name: vocabulary.document(name) for name in vocabulary.names if name not in (COUNTRIES, LANGUAGES)}


@pytest.fixture
def vocabularies():
    """What the three fakes answer at `GET /v1/vocabularies`: {service: {list name: document}}, the services'
    own lists. A test may change them (add a code); the next fetch of the web app gets the change."""
    return {service: copy.deepcopy(_served_lists(service)) for service in ("intake", "partners", "monitoring")}


def serve_vocabularies(mock, vocabularies: dict) -> None:
    """The vocabulary routes of the three fakes, with a strong ETag and 304 for a current If-None-Match."""
    for service, base in (("intake", INTAKE), ("partners", PARTNERS), ("monitoring", MONITORING)):
        def answer(request, service=service):
            body = json.dumps({"locales": ["nl", "en", "fr"], "vocabularies": vocabularies[service]})
            tag = '"%s"' % hashlib.sha256(body.encode()).hexdigest()[:32]
            if request.headers.get("If-None-Match") == tag:
                return 304, {"ETag": tag}, ""
            return 200, {"ETag": tag, "Content-Type": "application/json"}, body

        mock.add_callback("GET", f"{base}/v1/vocabularies", callback=answer)


@pytest.fixture
def api(vocabularies):
    """The APIs, faked: every registered call must happen; any other call fails the test."""
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        serve_vocabularies(mock, vocabularies)
        mock.get(f"{PARTNERS}/v1/partners", json={"items": [{"id": "ptn_1", "name": "Lagos Desk", "countries": ["NG"],
                                                              "services": ["business"], "languages": ["en"]}],
                                                   "next_cursor": None})
        mock.get(f"{PARTNERS}/v1/partners/names", json={"items": [{"id": "ptn_1", "name": "Lagos Desk", "countries": ["NG"],
                                                                    "active": True}], "next_cursor": None})
        mock.get(f"{INTAKE}/v1/return-organisations", json={"items": [{"id": "iom", "name": "IOM", "active": True}]})
        yield mock


def csrf_of(html: bytes) -> str:
    return re.search(rb'name="csrf_token" value="([^"]+)"', html).group(1).decode()


class Browser:
    """A test client that signs in and sends each form's CSRF token like a browser."""

    def __init__(self, client):
        self.client = client
        self.csrf = None

    def sign_in(self, username: str, password: str = PASSWORD):
        page = self.client.get("/login")
        response = self.client.post("/login", data={"username": username, "password": password,
                                                    "csrf_token": csrf_of(page.data)})
        if response.status_code == 302:
            self.csrf = None
        return response

    def get(self, path, **kwargs):
        response = self.client.get(path, **kwargs)
        found = re.search(rb'name="csrf_token" value="([^"]+)"', response.data)
        if found:
            self.csrf = found.group(1).decode()
        return response

    def post(self, path, data=None, csrf=True, **kwargs):
        data = dict(data or {})
        if csrf:
            if self.csrf is None:
                self.get("/countries")
            data["csrf_token"] = self.csrf
        return self.client.post(path, data=data, **kwargs)


@pytest.fixture
def browser(app):
    def make(role: str | None = None) -> Browser:
        b = Browser(app.test_client())
        if role:
            assert b.sign_in(role.replace("_", "-")).status_code == 302
        return b

    return make


def serve_insights(mock, insights: dict) -> object:
    """Intake's `GET /v1/countries/insights` faked: the insights of the countries asked, in the order asked."""
    from urllib.parse import parse_qs, urlparse

    def answer(request):
        asked = parse_qs(urlparse(request.url).query).get("country", [])
        return 200, {"Content-Type": "application/json"}, json.dumps({"items": [insights[code] for code in asked]})

    return mock.add_callback("GET", f"{INTAKE}/v1/countries/insights", callback=answer)


def serve_alert_counts(mock, by_type: dict) -> object:
    """Monitoring's `GET /v1/alerts/counts?status=open` faked with these open alerts per type."""
    from responses import matchers

    return mock.get(f"{MONITORING}/v1/alerts/counts", json={
        "total": sum(by_type.values()), "by_type": by_type, "by_country": {}, "by_country_and_type": {}},
        match=[matchers.query_param_matcher({"status": "open"})])
