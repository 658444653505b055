"""Across the staff pages: who may open which, the short-lived token the APIs get, and what the app serves
without a sign-in: its own assets, health, readiness, metrics and key set."""
from __future__ import annotations

import re

import pytest
from cryptography.hazmat.primitives import serialization  # noqa: F401 - the key is loaded by shared.auth

from shared.auth import TokenVerifier
from tests.unit.web.conftest import INTAKE, MONITORING
from tests.unit.web.returnee_answer import RETURNEE


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
