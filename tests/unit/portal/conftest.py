"""Portal tests: the Flask test client, the portal's store in memory, the partners and monitoring APIs
faked with `responses`."""
from __future__ import annotations

import json
import re
from datetime import datetime, timezone

import pytest
import responses

from services.portal.app import build, create_app
from services.portal.config import PortalSettings
from shared.clock import ManualClock

PARTNERS, MONITORING = "http://partners.test", "http://monitoring.test"
USER, ORG = "pus_01JFIELDWORKER00000000000A", "prt_01JGUINEAPARTNER000000000A"
PASSWORD = "a field worker's passphrase"
DOMAINS = ("economic", "housing", "social", "health", "resilience")


def vocabulary(name: str, codes, rubric: bool = False) -> dict:
    entries = []
    for code in codes:
        entry = {"code": code, "labels": {"nl": f"{code} (nl)", "en": f"{code} (en)", "fr": f"{code} (fr)"}}
        if rubric:
            entry["rubric"] = [{"score": s, "labels": {"nl": f"{code} {s} nl", "en": f"{code} {s} en",
                                                       "fr": f"{code} {s} fr"}} for s in range(1, 6)]
        entries.append(entry)
    return {"name": name, **({"version": "2026.1"} if rubric else {}), "codes": entries}


@pytest.fixture
def portal():
    settings = PortalSettings(partners_url=PARTNERS, monitoring_url=MONITORING, mongodb_db="homeward_portal_test")
    portal = build(settings, clock=ManualClock(datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)), sleep=lambda s: None)
    yield portal
    import mongoengine

    mongoengine.get_db("portal").client.drop_database("homeward_portal_test")


@pytest.fixture
def app(portal):
    return create_app(portal=portal)


def tokens(n: int = 1, expires_in: int = 900) -> dict:
    return {"access_token": f"access-{n}", "token_type": "Bearer", "expires_in": expires_in,
            "scope": "handovers checkins", "refresh_token": f"refresh-{n}", "refresh_expires_in": 43200}


@pytest.fixture
def api():
    """The two APIs, faked: a person who signs in, their organisation (French), its vocabularies."""
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mock.get(f"{PARTNERS}/v1/partner-users/me", json={
            "id": USER, "partner_id": ORG, "username": "fatou", "display_name": "Fatou", "role": "field_worker",
            "active": True, "password_set": True})
        mock.get(f"{PARTNERS}/v1/partners/{ORG}", json={"id": ORG, "name": "Guinée Retour", "countries": ["GN"],
                                                        "languages": ["fr", "sus"]})
        for name, codes in (("contact_modes", ("in_person", "phone")), ("checkin_statuses", ("in_country",)),
                            ("support_types", ("business", "cash")), ("domains", DOMAINS)):
            mock.get(f"{MONITORING}/v1/vocabularies/{name}", json=vocabulary(name, codes, rubric=name == "domains"),
                     headers={"ETag": f'"{name}-1"'})
        mock.get(f"{MONITORING}/v1/cases", json={"items": [], "next_cursor": None})
        mock.get(f"{PARTNERS}/v1/handovers", json={"items": [], "next_cursor": None})
        yield mock


def grant(mock, status: int = 200, body: dict | None = None, headers: dict | None = None):
    """The partners token endpoint answers (once per call registered)."""
    mock.post(f"{PARTNERS}/v1/oauth/token", status=status, json=body if body is not None else tokens(),
              headers=headers or {})


def csrf_of(html: bytes | str) -> str:
    text = html.decode() if isinstance(html, bytes) else html
    return re.search(r'name="csrf_token" value="([^"]+)"', text).group(1)


def sign_in(client, mock, lang: str = "fr") -> str:
    """Sign in as the field worker; returns the page's CSRF token (of the session)."""
    grant(mock)
    page = client.get("/login", headers={"Accept-Language": lang})
    answer = client.post("/login", data={"csrf_token": csrf_of(page.data), "username": "fatou",
                                         "password": PASSWORD}, headers={"Accept-Language": lang})
    assert answer.status_code == 302, answer.get_data(as_text=True)
    home = client.get("/", headers={"Accept-Language": lang})
    assert home.status_code == 200, home.get_data(as_text=True)
    return re.search(r'name="csrf-token" content="([^"]+)"', home.get_data(as_text=True)).group(1)


def form_body(call) -> dict:
    from urllib.parse import parse_qs

    return {k: v[0] for k, v in parse_qs(call.request.body).items()}


def json_body(call) -> dict:
    return json.loads(call.request.body)
