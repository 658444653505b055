"""A persistently failing webhook endpoint is paused with a note and one event for monitoring; messages keep
queueing and resuming it sends the backlog in order."""
from __future__ import annotations

import json
from datetime import datetime

import pytest
import responses

from services.partners import webhooks
from services.partners.bootstrap import PartnersService
from tests.unit.partners.stored import Partner
from tests.unit.partners.webhook_network import HOOK_A, HOOK_B, Network, handover_of
from tests.unit.partners.webhook_network import mocked_responses  # noqa: F401 - the fixture

__all__ = ["mocked_responses"]


@pytest.fixture
def pausing(build, auth, clock, monkeypatch) -> Network:
    monkeypatch.setenv("WEBHOOK_PAUSE_AFTER_HOURS", "1")
    return Network(build(PartnersService, "partners"), auth("admin"), clock)


def fail_for_over_an_hour(network: Network, clock) -> None:
    """The first attempt and its retries (5 s, 30 s, 2 min, 10 min, 1 h) all fail."""
    assert network.tick() == 1
    for wait in webhooks.BACKOFF_SECONDS[:5]:
        clock.advance(seconds=wait)
        assert network.tick() == 1


class TestPausingAFailingEndpoint:
    def test_it_is_paused_with_a_note_and_one_event_for_monitoring(self, pausing, mocked_responses, clock):
        org, _ = pausing.partner(HOOK_A)
        mocked_responses.post(HOOK_A, status=503)
        failing_since = clock.now()
        pausing.offer(org)
        assert pausing.tick() == 1
        assert pausing.webhook(org)["status"] == "active"
        assert datetime.fromisoformat(pausing.webhook(org)["failing_since"]) == failing_since
        for wait in webhooks.BACKOFF_SECONDS[:5]:
            clock.advance(seconds=wait)
            pausing.tick()

        webhook = pausing.webhook(org)
        assert webhook["status"] == "paused" and datetime.fromisoformat(webhook["paused_at"]) == clock.now()
        (note,) = pausing.client.get(f"/v1/partners/{org}", headers=pausing.admin).json["notes"]
        assert note["kind"] == "webhook_paused" and "HTTP 503" in note["text"]
        (event,) = Partner.objects(id=org).as_pymongo().first()["outbox"]
        assert (event["type"], event["topic"], event["key"]) == (webhooks.PAUSED, "homeward.handovers", org)
        data = json.loads(event["value"])["data"]
        assert data["partner_id"] == org and data["last_error"] == "HTTP 503"
        assert datetime.fromisoformat(data["failing_since"]) == failing_since

    def test_a_delivered_message_ends_the_failing_period(self, pausing, mocked_responses, clock):
        org, _ = pausing.partner(HOOK_A)
        mocked_responses.post(HOOK_A, status=503)
        mocked_responses.post(HOOK_A, status=204)
        pausing.offer(org)
        pausing.tick()
        clock.advance(seconds=5)
        pausing.tick()
        assert pausing.webhook(org)["failing_since"] is None
        clock.advance(hours=2)
        mocked_responses.replace(responses.POST, HOOK_A, status=503)
        pausing.offer(org)
        pausing.tick()
        assert pausing.webhook(org)["status"] == "active"  # failing for a moment, not for an hour

    def test_messages_keep_queueing_and_resuming_sends_the_backlog_in_order(self, pausing, mocked_responses, clock):
        org, _ = pausing.partner(HOOK_A)
        mocked_responses.post(HOOK_A, status=503)
        first = pausing.offer(org)
        fail_for_over_an_hour(pausing, clock)
        assert pausing.webhook(org)["status"] == "paused"
        attempts = len(mocked_responses.calls)
        later = [pausing.offer(org), pausing.offer(org)]
        clock.advance(hours=8)
        assert pausing.tick() == 0 and len(mocked_responses.calls) == attempts  # nothing goes to a paused endpoint

        mocked_responses.replace(responses.POST, HOOK_A, status=204)
        resumed = pausing.client.post(f"/v1/partners/{org}/webhook/resume", headers=pausing.admin)
        assert resumed.status_code == 200
        assert resumed.json["status"] == "active" and resumed.json["messages_due"] == 3
        assert pausing.tick() == 3
        assert [handover_of(c) for c in mocked_responses.calls[attempts:]] == [first, *later]
        outbox = Partner.objects(id=org).as_pymongo().first()["outbox"]
        assert [e["type"] for e in outbox] == [webhooks.PAUSED, "partner.webhook_resumed.v1"]
        notes = pausing.client.get(f"/v1/partners/{org}", headers=pausing.admin).json["notes"]
        assert [n["kind"] for n in notes] == ["webhook_paused", "webhook_resumed"]

    def test_resuming_an_endpoint_that_is_not_paused_is_409(self, pausing):
        org, _ = pausing.partner(HOOK_A)
        response = pausing.client.post(f"/v1/partners/{org}/webhook/resume", headers=pausing.admin)
        assert response.status_code == 409

    def test_a_new_url_does_not_unpause_it(self, pausing, mocked_responses, clock):
        org, _ = pausing.partner(HOOK_A)
        mocked_responses.post(HOOK_A, status=503)
        pausing.offer(org)
        fail_for_over_an_hour(pausing, clock)
        assert pausing.put_webhook(org, HOOK_B).json["status"] == "paused"
