"""Delivering webhooks: endpoints never wait on each other, retries wait from the end of an attempt, secrets
rotate with an overlap, a persistently failing endpoint is paused and resumed, failed messages replay at once."""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time
from datetime import datetime, timedelta

import pytest
import responses

from services.partners import webhooks
from services.partners.api import create_app
from services.partners.bootstrap import PartnersService
from services.partners.handlers import offer_handover
from shared.events import new_event
from tests.unit.partners.stored import Partner

HOOK_A, HOOK_B = "https://a.example/hook", "https://b.example/hook"


@pytest.fixture
def mocked_responses():
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        yield rsps


class Network:
    """The partners service with organisations whose webhooks the test names."""

    def __init__(self, service: PartnersService, admin: dict, clock):
        self.service = service
        self.client = create_app(service=service).test_client()
        self.admin = admin
        self.clock = clock
        self.handovers = 0

    def partner(self, hook: str) -> tuple[str, str]:
        org = self.client.post("/v1/partners", json={"name": hook, "countries": ["NG"]}, headers=self.admin).json["id"]
        return org, self.put_webhook(org, hook).json["secret"]

    def put_webhook(self, org: str, hook: str, **body):
        response = self.client.put(f"/v1/partners/{org}/webhook", json={"url": hook, **body}, headers=self.admin)
        assert response.status_code == 200, response.json
        return response

    def offer(self, org: str) -> str:
        self.handovers += 1
        handover_id = f"hnd_{self.handovers}"
        offer_handover(self.service.deps, new_event("intake", "returnee.handover_requested.v1", f"rtn_{handover_id}", {
            "returnee_id": f"rtn_{handover_id}", "handover_id": handover_id, "partner_id": org,
            "country_of_return": "NG"}, self.clock.now()))
        return handover_id

    def deliveries(self, org: str) -> list[dict]:
        return self.client.get(f"/v1/partners/{org}/webhook/deliveries", headers=self.admin).json["items"]

    def webhook(self, org: str) -> dict:
        return self.client.get(f"/v1/partners/{org}/webhook", headers=self.admin).json

    def tick(self) -> int:
        return self.service.webhooks.tick(wait=True)


@pytest.fixture
def network(build, auth, clock) -> Network:
    return Network(build(PartnersService, "partners"), auth("admin"), clock)


def handover_of(call) -> str:
    return json.loads(call.request.body)["data"]["handover_id"]


def signatures(request, *secrets: str) -> list[str]:
    """The Standard Webhooks signatures of the request under each secret, computed by hand."""
    signed = f"{request.headers['webhook-id']}.{request.headers['webhook-timestamp']}.{request.body.decode()}"
    return ["v1," + base64.b64encode(hmac.new(base64.b64decode(s.removeprefix("whsec_")), signed.encode(),
                                              hashlib.sha256).digest()).decode() for s in secrets]


class TestEndpointsDoNotWaitOnEachOther:
    def test_a_hanging_endpoint_does_not_delay_another_partners_delivery(self, network, mocked_responses):
        released, entered = threading.Event(), threading.Event()
        posted_to_a = []

        def hang(request):
            posted_to_a.append(request)
            entered.set()
            released.wait(30)  # like a receiver that never answers within the timeout
            return 504, {}, ""

        org_a, _ = network.partner(HOOK_A)
        org_b, _ = network.partner(HOOK_B)
        mocked_responses.add_callback(responses.POST, HOOK_A, callback=hang)
        mocked_responses.post(HOOK_B, status=204)
        network.offer(org_a)
        network.offer(org_a)
        network.offer(org_b)
        try:
            started = time.monotonic()
            network.service.webhooks.tick()  # as the worker's loop calls it: it does not wait for the runs
            assert entered.wait(5)
            while not network.deliveries(org_b) and time.monotonic() - started < 5:
                time.sleep(0.01)
            waited = time.monotonic() - started
            (row,) = network.deliveries(org_b)
            assert row["state"] == "delivered" and waited < 1.0
            # the next round finds A still busy and leaves its second message alone: one attempt at a time
            network.service.webhooks.tick()
            time.sleep(0.2)
            assert len(posted_to_a) == 1 and org_a in network.service.webhooks.busy()
        finally:
            released.set()
        deadline = time.monotonic() + 5
        while network.service.webhooks.busy() and time.monotonic() < deadline:
            time.sleep(0.01)
        assert [r["status_code"] for r in network.deliveries(org_a)] == [504]

    def test_one_endpoints_messages_go_in_the_order_they_were_queued(self, network, mocked_responses):
        org, _ = network.partner(HOOK_A)
        mocked_responses.post(HOOK_A, status=204)
        queued = [network.offer(org) for _ in range(5)]
        assert network.tick() == 5
        assert [handover_of(c) for c in mocked_responses.calls] == queued

    def test_an_endpoint_leased_by_another_worker_replica_waits(self, network, mocked_responses, clock):
        org_a, _ = network.partner(HOOK_A)
        org_b, _ = network.partner(HOOK_B)
        mocked_responses.post(HOOK_A, status=204)
        mocked_responses.post(HOOK_B, status=204)
        network.offer(org_a)
        network.offer(org_b)
        assert network.service.repo.lease_endpoint(org_a, "another-replica", clock.now(),
                                                   clock.now() + timedelta(seconds=60))
        assert network.tick() == 1
        assert [c.request.url for c in mocked_responses.calls] == [HOOK_B]
        clock.advance(seconds=61)  # the other replica's lease ran out (it died)
        assert network.tick() == 1
        assert mocked_responses.calls[-1].request.url == HOOK_A


class TestRetryTime:
    def test_the_wait_is_counted_from_the_end_of_the_attempt(self, network, mocked_responses, clock):
        org, _ = network.partner(HOOK_A)

        def slow_failure(request):
            clock.advance(seconds=8)  # the attempt took 8 seconds
            return 500, {}, ""

        mocked_responses.add_callback(responses.POST, HOOK_A, callback=slow_failure)
        started = clock.now()
        network.offer(org)
        network.tick()
        (row,) = network.deliveries(org)
        assert datetime.fromisoformat(row["attempted_at"]) == started
        assert datetime.fromisoformat(row["next_attempt_at"]) == started + timedelta(seconds=8 + 5)


class TestSecretRotation:
    def test_during_the_overlap_each_message_is_signed_with_the_new_and_the_old_secret(self, network,
                                                                                      mocked_responses, clock):
        org, old = network.partner(HOOK_A)
        rotated = network.put_webhook(org, HOOK_A).json
        new = rotated["secret"]
        assert datetime.fromisoformat(rotated["previous_secret_expires_at"]) == clock.now() + timedelta(hours=24)
        mocked_responses.post(HOOK_A, status=204)
        network.offer(org)
        network.tick()
        request = mocked_responses.calls[-1].request
        assert request.headers["webhook-signature"] == " ".join(signatures(request, new, old))

        clock.advance(hours=24)  # the overlap is over: the old secret no longer signs
        network.offer(org)
        network.tick()
        request = mocked_responses.calls[-1].request
        assert request.headers["webhook-signature"] == " ".join(signatures(request, new))
        assert network.webhook(org)["previous_secret_expires_at"] is not None  # when it ended, for the record

    def test_a_leaked_secret_can_be_revoked_at_once(self, network, mocked_responses):
        org, _ = network.partner(HOOK_A)
        new = network.put_webhook(org, HOOK_A, revoke_previous_secret=True).json
        assert new["previous_secret_expires_at"] is None
        mocked_responses.post(HOOK_A, status=204)
        network.offer(org)
        network.tick()
        request = mocked_responses.calls[-1].request
        assert request.headers["webhook-signature"] == " ".join(signatures(request, new["secret"]))

    def test_the_overlap_is_configurable_and_zero_turns_it_off(self, build, auth, clock, monkeypatch,
                                                             mocked_responses):
        monkeypatch.setenv("WEBHOOK_SECRET_OVERLAP_HOURS", "0")
        network = Network(build(PartnersService, "partners"), auth("admin"), clock)
        org, _ = network.partner(HOOK_A)
        assert network.put_webhook(org, HOOK_A).json["previous_secret_expires_at"] is None


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


class TestReplayingEveryFailedMessage:
    def test_all_failed_messages_go_again_in_order(self, build, auth, clock, monkeypatch, mocked_responses):
        monkeypatch.setenv("WEBHOOK_PAUSE_AFTER_HOURS", "0")  # never paused: this test fails them for days
        network = Network(build(PartnersService, "partners"), auth("admin"), clock)
        org, _ = network.partner(HOOK_A)
        other, _ = network.partner(HOOK_B)
        mocked_responses.post(HOOK_A, status=500)
        mocked_responses.post(HOOK_B, status=500)
        queued = [network.offer(org), network.offer(org)]
        network.offer(other)
        for _ in range(2 * (len(webhooks.BACKOFF_SECONDS) + 1)):  # a run stops at its endpoint's first failure
            network.tick()
            clock.advance(hours=7)
        assert [r["state"] for r in network.deliveries(org)].count("failed") == 2

        mocked_responses.replace(responses.POST, HOOK_A, status=204)
        mocked_responses.replace(responses.POST, HOOK_B, status=204)
        before = len(mocked_responses.calls)
        response = network.client.post(f"/v1/partners/{org}/webhook/deliveries/replay", headers=network.admin)
        assert response.status_code == 202 and response.json == {"replayed": 2}
        assert network.tick() == 2
        replayed = mocked_responses.calls[before:]
        assert [c.request.url for c in replayed] == [HOOK_A, HOOK_A]  # only this partner's
        assert [handover_of(c) for c in replayed] == queued

    def test_with_nothing_failed_it_replays_nothing(self, network):
        org, _ = network.partner(HOOK_A)
        response = network.client.post(f"/v1/partners/{org}/webhook/deliveries/replay", headers=network.admin)
        assert response.status_code == 202 and response.json == {"replayed": 0}
