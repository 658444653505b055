"""Partner organisations whose webhooks the test names, for the webhook delivery tests: `network` drives the
partners service, `mocked_responses` stands in for the endpoints (an answer mocked need not be asked for)."""
from __future__ import annotations

import json

import pytest
import responses

from services.partners.api import create_app
from services.partners.bootstrap import PartnersService
from services.partners.handlers import offer_handover
from shared.events import new_event

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
