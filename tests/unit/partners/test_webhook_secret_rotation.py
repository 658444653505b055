"""Rotating a webhook's secret: during the overlap each message is signed with the new and the old secret, a leaked
secret is revoked at once, the overlap is configurable."""
from __future__ import annotations

from datetime import datetime, timedelta

from services.partners.bootstrap import PartnersService
from tests.unit.partners.webhook_network import HOOK_A, Network
from tests.unit.partners.webhook_setup import signatures
from tests.unit.partners.webhook_network import mocked_responses, network  # noqa: F401 - fixtures

__all__ = ["mocked_responses", "network"]


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
