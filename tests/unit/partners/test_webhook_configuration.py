"""Configuring a partner's webhook: the secret shown once and rotated, https in production, one message per
invalid field, removal; only administrators manage it."""
from __future__ import annotations

import base64

import pytest

from services.partners.api import create_app
from services.partners.bootstrap import PartnersService
from tests.unit.partners.webhook_setup import HOOK, mocked_responses, partners  # noqa: F401 - fixtures

__all__ = ["mocked_responses", "partners"]


class TestConfiguringAWebhook:
    def test_the_secret_is_shown_once_and_never_read_back(self, partners, mocked_responses):
        mocked_responses.post(HOOK, status=204)
        response = partners.client.put(f"/v1/partners/{partners.org}/webhook", json={"url": HOOK},
                                       headers=partners.admin)
        assert response.status_code == 200
        assert set(response.json) == {"url", "secret", "created_at", "previous_secret_expires_at", "status",
                                      "paused_at", "failing_since"} and response.json["url"] == HOOK
        secret = response.json["secret"]
        assert secret.startswith("whsec_") and len(base64.b64decode(secret[len("whsec_"):])) >= 24
        partners.offer()
        partners.tick()  # the listing has a row to show
        for path in ("/webhook", "/webhook/deliveries", ""):
            read = partners.client.get(f"/v1/partners/{partners.org}{path}", headers=partners.admin)
            assert read.status_code == 200 and secret not in read.get_data(as_text=True)
        assert partners.client.get(f"/v1/partners/{partners.org}/webhook", headers=partners.admin).json == {
            "url": HOOK, "created_at": response.json["created_at"], "previous_secret_expires_at": None,
            "status": "active", "paused_at": None, "failing_since": None}

    def test_putting_it_again_rotates_the_secret(self, partners):
        assert partners.set_webhook() != partners.set_webhook()

    def test_plain_http_is_allowed_outside_production(self, partners):
        partners.set_webhook("http://ngo.example:9000/hooks")

    def test_plain_http_is_refused_in_production(self, settings_for, clock, publisher, auth):
        production = settings_for("partners").with_(environment="production")
        service = PartnersService(production, clock=clock, publisher=publisher)
        client = create_app(service=service).test_client()
        org = client.post("/v1/partners", json={"name": "Own", "countries": ["NG"]}, headers=auth("admin")).json["id"]
        response = client.put(f"/v1/partners/{org}/webhook", json={"url": "http://ngo.example/hook"},
                              headers=auth("admin"))
        assert response.status_code == 422 and response.json["errors"] == {"url": "Must use https."}

    @pytest.mark.parametrize("body,field", [({"url": "not a url"}, "url"), ({"url": "ftp://ngo.example/x"}, "url"),
                                            ({}, "url"), ({"url": HOOK, "secret": "whsec_mine"}, "secret")])
    def test_invalid_bodies_are_422_with_one_message_per_field(self, partners, body, field):
        response = partners.client.put(f"/v1/partners/{partners.org}/webhook", json=body, headers=partners.admin)
        assert response.status_code == 422
        assert response.content_type == "application/problem+json" and field in response.json["errors"]

    @pytest.mark.parametrize("method,path", [("PUT", "/webhook"), ("GET", "/webhook"), ("DELETE", "/webhook"),
                                             ("GET", "/webhook/deliveries"),
                                             ("POST", "/webhook/deliveries/msg_x/replay")])
    def test_an_unknown_partner_is_404(self, partners, method, path):
        response = partners.client.open(f"/v1/partners/prt_unknown{path}", method=method,
                                        json={"url": HOOK} if method == "PUT" else None, headers=partners.admin)
        assert response.status_code == 404 and response.content_type == "application/problem+json"

    def test_deleting_it_answers_204_and_nothing_more_is_queued(self, partners, mocked_responses):
        partners.set_webhook()
        response = partners.client.delete(f"/v1/partners/{partners.org}/webhook", headers=partners.admin)
        assert response.status_code == 204
        assert partners.client.get(f"/v1/partners/{partners.org}/webhook", headers=partners.admin).status_code == 404
        partners.offer()
        assert partners.tick() == 0 and len(mocked_responses.calls) == 0


ADMIN_ROUTES = [("PUT", "/webhook", {"url": HOOK}), ("DELETE", "/webhook", None),
                ("GET", "/webhook/deliveries", None), ("POST", "/webhook/deliveries/msg_x/replay", None)]
READ = [("GET", "/webhook", None)]  # administrators, and a partner its own (test_partner_reads_itself.py)


class TestOnlyAdministratorsManageWebhooks:
    @pytest.mark.parametrize("method,path,body", ADMIN_ROUTES + READ)
    def test_without_a_token_it_is_401(self, partners, method, path, body):
        response = partners.client.open(f"/v1/partners/{partners.org}{path}", method=method, json=body)
        assert response.status_code == 401 and response.content_type == "application/problem+json"

    @pytest.mark.parametrize("method,path,body", ADMIN_ROUTES)
    @pytest.mark.parametrize("role", ["partner", "consultant"])
    def test_a_partner_or_consultant_token_is_403(self, partners, auth, method, path, body, role):
        response = partners.client.open(f"/v1/partners/{partners.org}{path}", method=method, json=body,
                                        headers=auth(role, org=partners.org if role == "partner" else None))
        assert response.status_code == 403

    def test_a_consultant_does_not_read_the_webhook(self, partners, auth):
        assert partners.client.get(f"/v1/partners/{partners.org}/webhook", headers=auth("consultant")).status_code == 403
