"""One partner organisation (serving NG), for the webhook tests: `partners` drives the partners service through
its HTTP API and its handlers, `mocked_responses` stands in for the partner's endpoint (every answer mocked must
be asked for), `signatures` and `assert_signed` check a signature by hand and `give_up` fails a message's whole schedule."""
from __future__ import annotations

import base64
import hashlib
import hmac

import pytest
import responses

from services.partners import webhooks
from services.partners.api import create_app
from services.partners.bootstrap import PartnersService
from services.partners.handlers import offer_handover
from shared.events import new_event

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


def signatures(request, *secrets: str) -> list[str]:
    """The Standard Webhooks signatures of the request under each secret, computed by hand, independently of the
    code under test."""
    signed = f"{request.headers['webhook-id']}.{request.headers['webhook-timestamp']}.{request.body.decode()}"
    return ["v1," + base64.b64encode(hmac.new(base64.b64decode(s.removeprefix("whsec_")), signed.encode(),
                                              hashlib.sha256).digest()).decode() for s in secrets]


def assert_signed(request, secret: str) -> None:
    assert request.headers["webhook-signature"] == signatures(request, secret)[0]


def give_up(partners: Partners, clock) -> None:
    """Fail the first attempt and every retry of the schedule."""
    assert partners.tick() == 1
    for wait in webhooks.BACKOFF_SECONDS:
        clock.advance(seconds=wait)
        assert partners.tick() == 1
