"""Delivering webhooks: endpoints never wait on each other, retries wait from the end of an attempt, every failed
message of a partner replays at once."""
from __future__ import annotations

import threading
import time
from datetime import datetime, timedelta

import responses

from services.partners import webhooks
from services.partners.bootstrap import PartnersService
from tests.unit.partners.webhook_network import HOOK_A, HOOK_B, Network, handover_of
from tests.unit.partners.webhook_network import mocked_responses, network  # noqa: F401 - fixtures

__all__ = ["mocked_responses", "network"]


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
