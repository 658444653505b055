"""Partner webhooks: configuration (admin), what is sent, Standard Webhooks signatures, retries, replay."""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
from datetime import datetime, timedelta

import pytest
import requests
import responses
from ulid import ULID

from services.partners import webhooks
from services.partners.api import create_app
from services.partners.bootstrap import PartnersService
from services.partners.handlers import apply_consent_change, offer_handover, record_departure, withdraw_for_exit
from shared.events import new_event
from tests.unit.partners.stored import Handover, WebhookMessage, stored_handover

HOOK = "https://ngo.example/hooks/homeward"


@pytest.fixture
def mocked_responses():
    with responses.RequestsMock(assert_all_requests_are_fired=True) as rsps:
        yield rsps


class Partners:
    """The partners service with one partner organisation serving NG, and helpers to drive it."""

    def __init__(self, service: PartnersService, admin: dict, clock):
        self.service = service
        self.client = create_app(service=service).test_client()
        self.admin = admin
        self.clock = clock
        self.org = self.client.post("/v1/partners", json={"name": "Own", "countries": ["NG"]}, headers=admin).json["id"]

    def set_webhook(self, url: str = HOOK) -> str:
        response = self.client.put(f"/v1/partners/{self.org}/webhook", json={"url": url}, headers=self.admin)
        assert response.status_code == 200, response.json
        return response.json["secret"]

    def offer(self, handover_id: str = "hnd_1", returnee_id: str = "rtn_1", country: str = "NG", **data) -> None:
        offer_handover(self.service.deps, new_event("intake", "returnee.handover_requested.v1", returnee_id, {
            "returnee_id": returnee_id, "handover_id": handover_id, "partner_id": self.org,
            "country_of_return": country, **data}, self.clock.now()))

    def deliveries(self, **query) -> list[dict]:
        response = self.client.get(f"/v1/partners/{self.org}/webhook/deliveries", query_string=query,
                                   headers=self.admin)
        assert response.status_code == 200, response.json
        return response.json["items"]

    def replay(self, message_id: str):
        return self.client.post(f"/v1/partners/{self.org}/webhook/deliveries/{message_id}/replay",
                                headers=self.admin)

    def tick(self) -> int:
        return self.service.webhooks.tick(wait=True)


@pytest.fixture
def partners(build, auth, clock) -> Partners:
    return Partners(build(PartnersService, "partners"), auth("admin"), clock)


def assert_signed(request, secret: str) -> None:
    """Recompute the Standard Webhooks signature by hand, independently of the code under test."""
    key = base64.b64decode(secret.removeprefix("whsec_"))
    signed = f"{request.headers['webhook-id']}.{request.headers['webhook-timestamp']}.{request.body.decode()}"
    expected = base64.b64encode(hmac.new(key, signed.encode(), hashlib.sha256).digest()).decode()
    assert request.headers["webhook-signature"] == f"v1,{expected}"


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


class TestDeliveringAnOfferedHandover:
    def test_one_signed_thin_message_is_posted(self, partners, mocked_responses, clock):
        secret = partners.set_webhook()
        mocked_responses.post(HOOK, status=204)
        partners.offer(personal={"given_name": "Amaka", "family_name": "Obi"})
        assert partners.tick() == 1
        assert partners.tick() == 0  # delivered: never again

        (call,) = mocked_responses.calls
        request = call.request
        assert json.loads(request.body) == {"type": "handover.offered", "timestamp": "2026-03-02T09:00:00Z",
                                            "data": {"handover_id": "hnd_1", "returnee_id": "rtn_1"}}
        assert b"Amaka" not in request.body  # details are fetched through the API
        assert request.headers["content-type"] == "application/json"
        assert request.headers["webhook-id"].startswith("msg_")
        assert request.headers["webhook-timestamp"] == str(int(clock.now().timestamp()))
        assert_signed(request, secret)

        (row,) = partners.deliveries()
        assert row["webhook_id"] == request.headers["webhook-id"]
        assert {k: row[k] for k in ("event_type", "handover_id", "returnee_id", "attempt", "status_code",
                                    "error", "next_attempt_at", "state")} == {
            "event_type": "handover.offered", "handover_id": "hnd_1", "returnee_id": "rtn_1", "attempt": 1,
            "status_code": 204, "error": None, "next_attempt_at": None, "state": "delivered"}
        assert row["id"].startswith("dlv_") and row["duration_ms"] >= 0
        assert datetime.fromisoformat(row["attempted_at"]) == clock.now()

    def test_the_message_is_queued_in_the_same_write_as_the_offer(self, partners, mocked_responses):
        partners.set_webhook()
        partners.offer()
        (entry,) = stored_handover("hnd_1")["webhook_outbox"]
        assert WebhookMessage.objects.count() == 0

        assert partners.service.webhooks.collect() == 1
        assert stored_handover("hnd_1")["webhook_outbox"] == []
        # a relay that stopped between copying and pulling copies again: still one message
        Handover.objects(id="hnd_1").update_one(push__webhook_outbox=entry)
        assert partners.service.webhooks.collect(sweep=True) == 0
        assert stored_handover("hnd_1")["webhook_outbox"] == []
        assert list(WebhookMessage.objects.scalar("id")) == [entry["id"]]

    def test_without_a_webhook_nothing_is_queued_or_sent(self, partners, mocked_responses):
        partners.offer()
        assert stored_handover("hnd_1")["webhook_outbox"] == []
        assert partners.tick() == 0 and len(mocked_responses.calls) == 0 and partners.deliveries() == []

    def test_an_automatically_declined_handover_sends_nothing(self, partners, mocked_responses):
        partners.set_webhook()
        partners.offer(country="KE")  # the partner does not serve KE
        assert partners.tick() == 0 and len(mocked_responses.calls) == 0


class TestRetrying:
    def test_a_failed_attempt_is_retried_after_the_backoff(self, partners, mocked_responses, clock):
        secret = partners.set_webhook()
        mocked_responses.post(HOOK, status=500)
        mocked_responses.post(HOOK, status=200)
        partners.offer()
        partners.tick()
        (first,) = partners.deliveries()
        assert (first["status_code"], first["error"], first["state"]) == (500, "HTTP 500", "pending")
        assert datetime.fromisoformat(first["next_attempt_at"]) == clock.now() + timedelta(seconds=5)

        clock.advance(seconds=4)
        assert partners.tick() == 0  # not due yet
        clock.advance(seconds=1)
        assert partners.tick() == 1

        first_call, second_call = mocked_responses.calls
        assert first_call.request.headers["webhook-id"] == second_call.request.headers["webhook-id"]
        assert first_call.request.body == second_call.request.body
        assert int(second_call.request.headers["webhook-timestamp"]) == int(clock.now().timestamp())
        assert_signed(second_call.request, secret)
        assert [(r["attempt"], r["state"]) for r in partners.deliveries()] == [(1, "pending"), (2, "delivered")]

    def test_a_connection_error_is_a_failed_attempt(self, partners, mocked_responses):
        partners.set_webhook()
        mocked_responses.post(HOOK, body=requests.ConnectionError("connection refused"))
        partners.offer()
        partners.tick()
        (row,) = partners.deliveries()
        assert row["status_code"] is None and "connection refused" in row["error"] and row["state"] == "pending"

    def test_it_gives_up_after_the_schedule(self, partners, mocked_responses, clock):
        partners.set_webhook()
        mocked_responses.post(HOOK, status=503)
        partners.offer()
        give_up(partners, clock)
        rows = partners.deliveries()
        assert [r["attempt"] for r in rows] == list(range(1, len(webhooks.BACKOFF_SECONDS) + 2))
        assert [r["state"] for r in rows] == ["pending"] * len(webhooks.BACKOFF_SECONDS) + ["failed"]
        assert rows[-1]["next_attempt_at"] is None
        clock.advance(days=30)
        assert partners.tick() == 0


def give_up(partners: Partners, clock) -> None:
    """Fail the first attempt and every retry of the schedule."""
    assert partners.tick() == 1
    for wait in webhooks.BACKOFF_SECONDS:
        clock.advance(seconds=wait)
        assert partners.tick() == 1


class TestReplaying:
    def test_a_delivered_message_is_sent_again_with_the_same_webhook_id(self, partners, mocked_responses):
        secret = partners.set_webhook()
        mocked_responses.post(HOOK, status=200)
        partners.offer()
        partners.tick()
        webhook_id = partners.deliveries()[0]["webhook_id"]

        response = partners.replay(webhook_id)
        assert response.status_code == 202
        assert response.json["webhook_id"] == webhook_id and response.json["state"] == "pending"
        assert partners.tick() == 1

        first, second = (c.request for c in mocked_responses.calls)
        assert second.headers["webhook-id"] == first.headers["webhook-id"] and second.body == first.body
        assert_signed(second, secret)
        assert [(r["attempt"], r["state"]) for r in partners.deliveries(webhook_id=webhook_id)] == [
            (1, "delivered"), (2, "delivered")]

    def test_a_failed_message_gets_a_fresh_schedule(self, partners, mocked_responses, clock):
        partners.set_webhook()
        mocked_responses.post(HOOK, status=500)
        partners.offer()
        give_up(partners, clock)
        webhook_id = partners.deliveries()[0]["webhook_id"]

        assert partners.replay(webhook_id).status_code == 202
        partners.tick()
        last = partners.deliveries()[-1]
        assert (last["attempt"], last["state"]) == (len(webhooks.BACKOFF_SECONDS) + 2, "pending")
        assert datetime.fromisoformat(last["next_attempt_at"]) == clock.now() + timedelta(
            seconds=webhooks.BACKOFF_SECONDS[0])

    def test_an_unknown_message_is_404(self, partners):
        partners.set_webhook()
        assert partners.replay("msg_unknown").status_code == 404

    def test_a_removed_webhook_fails_pending_messages_until_one_is_set_again(self, partners, mocked_responses):
        partners.offer()
        partners.set_webhook()
        partners.offer(handover_id="hnd_2", returnee_id="rtn_2")
        partners.client.delete(f"/v1/partners/{partners.org}/webhook", headers=partners.admin)
        partners.tick()
        (row,) = partners.deliveries()
        assert (row["state"], row["error"], row["status_code"]) == ("failed", "no webhook configured", None)
        assert partners.replay(row["webhook_id"]).status_code == 409

        secret = partners.set_webhook()
        mocked_responses.post(HOOK, status=200)
        assert partners.replay(row["webhook_id"]).status_code == 202
        partners.tick()
        assert partners.deliveries()[-1]["state"] == "delivered"
        assert_signed(mocked_responses.calls[0].request, secret)


class TestWhatElseNotifiesThePartner:
    def test_withdrawn_consent_sends_handover_withdrawn_once(self, partners, mocked_responses, clock):
        partners.set_webhook()
        mocked_responses.post(HOOK, status=200)
        partners.offer()
        withdrawn = new_event("intake", "returnee.consent_changed.v1", "rtn_1",
                              {"returnee_id": "rtn_1", "share_with_partner": False}, clock.now())
        apply_consent_change(partners.service.deps, withdrawn)
        apply_consent_change(partners.service.deps, withdrawn)  # redelivered
        assert partners.tick() == 2
        bodies = [json.loads(c.request.body) for c in mocked_responses.calls]
        assert [b["type"] for b in bodies] == ["handover.offered", "handover.withdrawn"]
        assert bodies[1]["data"] == {"handover_id": "hnd_1", "returnee_id": "rtn_1"}

    def test_an_exit_withdraws_the_offered_and_accepted_handovers_once_and_forgets_personal_data(
            self, partners, mocked_responses, clock, auth):
        partners.set_webhook()
        mocked_responses.post(HOOK, status=200)
        hnd = {n: f"hnd_{ULID()}" for n in (1, 2, 3)}
        rtn = {n: f"rtn_{ULID()}" for n in (1, 2, 3)}
        partners.offer(hnd[1], rtn[1], personal={"given_name": "Amaka"})
        partners.offer(hnd[2], rtn[2], personal={"given_name": "Chidi"})
        partners.offer(hnd[3], rtn[3], country="ET")  # declined at once: not served
        accepted = partners.client.post(f"/v1/handovers/{hnd[2]}/accept", headers=auth("partner", org=partners.org))
        assert accepted.status_code == 200, accepted.json
        assert stored_handover(hnd[1]).get("personal") and stored_handover(hnd[2]).get("personal")
        for rid in rtn.values():
            exited = new_event("intake", "returnee.exited.v1", rid, {"returnee_id": rid, "reason": "irregular",
                                                                      "exited_on": "2026-03-01"}, clock.now())
            withdraw_for_exit(partners.service.deps, exited)
            withdraw_for_exit(partners.service.deps, exited)  # redelivered
        assert [stored_handover(hnd[n])["status"] for n in (1, 2, 3)] == ["withdrawn", "withdrawn", "declined"]
        assert not stored_handover(hnd[1]).get("personal") and not stored_handover(hnd[2]).get("personal")
        partners.tick()
        withdrawn = [json.loads(c.request.body)["data"] for c in mocked_responses.calls
                     if json.loads(c.request.body)["type"] == "handover.withdrawn"]
        assert sorted(d["handover_id"] for d in withdrawn) == sorted([hnd[1], hnd[2]])
        seen = partners.client.get(f"/v1/handovers/{hnd[2]}", headers=auth("partner", org=partners.org))
        assert seen.status_code == 200 and seen.json["status"] == "withdrawn"

    def test_a_departure_sends_returnee_departed(self, partners, mocked_responses, clock):
        partners.offer()
        partners.set_webhook()
        mocked_responses.post(HOOK, status=200)
        record_departure(partners.service.deps, new_event("intake", "returnee.departed.v1", "rtn_1", {
            "returnee_id": "rtn_1", "departed_on": "2026-03-01"}, clock.now()))
        assert partners.tick() == 1
        (call,) = mocked_responses.calls
        assert json.loads(call.request.body)["type"] == "returnee.departed"
        departed = stored_handover("hnd_1")["departed_on"]
        assert departed.date().isoformat() == "2026-03-01"

    def test_a_check_in_falling_due_soon_sends_checkin_due_soon_once(self, partners, mocked_responses, clock):
        from services.partners.handlers import remind_partner

        partners.offer()
        Handover.objects(id="hnd_1").update_one(set__status="arrived")
        partners.set_webhook()
        mocked_responses.post(HOOK, status=200)
        reminder = new_event("monitoring", "checkin.reminder_due.v1", "rtn_1", {
            "returnee_id": "rtn_1", "partner_id": partners.org, "slot": 3, "due_on": "2026-06-01",
            "summary": {}}, clock.now())
        remind_partner(partners.service.deps, reminder)
        remind_partner(partners.service.deps, reminder)  # redelivered
        other = new_event("monitoring", "checkin.reminder_due.v1", "rtn_1", {
            "returnee_id": "rtn_1", "partner_id": "prt_someone_else", "slot": 3, "due_on": "2026-06-01"}, clock.now())
        remind_partner(partners.service.deps, other)  # not this partner's returnee
        assert partners.tick() == 1
        (call,) = mocked_responses.calls
        assert json.loads(call.request.body)["type"] == "checkin.due_soon"
        assert json.loads(call.request.body)["data"] == {"handover_id": "hnd_1", "returnee_id": "rtn_1",
                                                         "slot": 3, "due_on": "2026-06-01"}


class TestTheDeliveryLoop:
    def test_it_runs_as_a_periodic_task_at_the_configured_interval(self, build, monkeypatch):
        monkeypatch.setenv("WEBHOOK_INTERVAL_SECONDS", "0.5")
        service = build(PartnersService, "partners")
        assert ("webhooks", 0.5, service.webhooks.tick) in service.background.periodic
