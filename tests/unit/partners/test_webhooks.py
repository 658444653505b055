"""Partner webhooks: what is sent for an offered handover, Standard Webhooks signatures, retries, replay, and the
delivery loop."""
from __future__ import annotations

import json
from datetime import datetime, timedelta

import requests

from services.partners import webhooks
from services.partners.bootstrap import PartnersService
from tests.unit.partners.stored import Handover, WebhookMessage, stored_handover
from tests.unit.partners.webhook_setup import HOOK, assert_signed, give_up
from tests.unit.partners.webhook_setup import mocked_responses, partners  # noqa: F401 - fixtures

__all__ = ["mocked_responses", "partners"]


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


class TestTheDeliveryLoop:
    def test_it_runs_as_a_periodic_task_at_the_configured_interval(self, build, monkeypatch):
        monkeypatch.setenv("WEBHOOK_INTERVAL_SECONDS", "0.5")
        service = build(PartnersService, "partners")
        assert ("webhooks", 0.5, service.webhooks.tick) in service.background.periodic
