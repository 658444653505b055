"""Each failed delivery attempt records what kind of failure it was (`error_kind`), beside the technical
`error`: clients (the web app's delivery log) say it in words without reading exception text."""
from __future__ import annotations

import socket

import pytest
import requests
import responses

from services.partners.targets import TargetPolicy
from services.partners.webhooks import WebhookNotifier
from tests.unit.conftest import FakeResolver

SECRETS = ["whsec_" + "A" * 44]


def send(url="https://ngo.example/h", resolver=None, allow_private=False):
    notifier = WebhookNotifier(TargetPolicy(resolver or FakeResolver(), allow_private=allow_private))
    return notifier.send(url, SECRETS, "msg_1", 1, "{}")


@pytest.fixture
def mocked():
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        yield rsps


@pytest.mark.parametrize("raised, kind", [
    (requests.ConnectTimeout("connect timed out"), "timeout"),
    (requests.ReadTimeout("read timed out"), "timeout"),
    (requests.exceptions.SSLError("certificate verify failed"), "tls"),
    (requests.ConnectionError("Max retries exceeded"), "connection_failed"),
    (requests.exceptions.InvalidURL("bad"), "other"),
])
def test_a_failed_request_is_classified(mocked, raised, kind):
    mocked.post("https://ngo.example/h", body=raised)
    outcome = send()
    assert (outcome.status_code, outcome.error_kind) == (None, kind)
    assert outcome.error  # the technical text stays for operators


def test_a_status_answer_is_http_status_and_a_2xx_has_no_kind(mocked):
    mocked.post("https://ngo.example/h", status=503)
    assert (send().status_code, send().error_kind) == (503, "http_status")
    mocked.replace(responses.POST, "https://ngo.example/h", status=204)
    assert send().error_kind is None


def test_a_refused_address_and_a_name_that_does_not_resolve():
    assert send("http://10.0.0.7/h").error_kind == "refused_address"
    assert send("https://nowhere.test/h").error_kind == "not_resolved"


def test_a_port_where_nothing_listens_is_connection_refused():
    with socket.socket() as probe:  # a free local port, closed again: connecting is refused
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    outcome = send(f"http://hooks.test:{port}/h", resolver=FakeResolver({"hooks.test": ["127.0.0.1"]}),
                   allow_private=True)
    assert (outcome.status_code, outcome.error_kind) == (None, "connection_refused")


def test_the_delivery_log_serves_the_kind_and_documents_it(build, auth, mocked, clock):
    from services.partners.api import create_app
    from services.partners.bootstrap import PartnersService
    from services.partners.handlers import offer_handover
    from shared.events import new_event

    service = build(PartnersService, "partners", resolver=FakeResolver())
    client = create_app(service=service).test_client()
    org = client.post("/v1/partners", json={"name": "Own", "countries": ["NG"]}, headers=auth("admin")).json["id"]
    assert client.put(f"/v1/partners/{org}/webhook", json={"url": "https://ngo.example/h"},
                      headers=auth("admin")).status_code == 200
    mocked.post("https://ngo.example/h", body=requests.ReadTimeout("read timed out"))
    offer_handover(service.deps, new_event("intake", "returnee.handover_requested.v1", "rtn_1", {
        "returnee_id": "rtn_1", "handover_id": "hnd_1", "partner_id": org, "country_of_return": "NG"}, clock.now()))
    assert service.webhooks.tick(wait=True) == 1
    (row,) = client.get(f"/v1/partners/{org}/webhook/deliveries", headers=auth("admin")).json["items"]
    assert (row["status_code"], row["error_kind"]) == (None, "timeout")
    schemas = client.get("/openapi.json").json["components"]["schemas"]
    assert "error_kind" in schemas["WebhookDelivery"]["properties"]
