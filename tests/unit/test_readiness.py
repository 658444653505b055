"""/readyz and /metrics say what waits and since when (issue 22, item 8): the broker as the loops see it, the
outbox's backlog and the age of its oldest event; still ready (200) with the broker away, saying writes are
safe; gauges for the oldest event's age, the consumer's lag and paused webhook endpoints."""
from __future__ import annotations

import time

import pytest
from ulid import ULID

from services.intake.api import create_app as intake_app
from services.intake.bootstrap import IntakeService
from services.intake.documents import Returnee
from services.partners.api import create_app as partners_app
from services.partners.bootstrap import PartnersService
from shared.http.ops import readiness
from shared.kafka import ConsumerLoop

REGISTRATION = {"given_name": "A", "family_name": "B", "country_of_return": "NG"}


@pytest.fixture
def intake(build):
    service = build(IntakeService, "intake")
    return intake_app(service=service).test_client(), service


def test_nothing_waiting_reports_no_age(intake):
    client, _ = intake
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert (ready.json["outbox_backlog"], ready.json["outbox_oldest_age_seconds"]) == (0, None)
    assert ready.json["detail"] == "The broker is not reachable: writes are accepted and kept in the outbox until it is back."


def test_with_the_broker_away_a_write_waits_and_readiness_stays_200_saying_so(intake, auth):
    client, _ = intake  # the unit tests' publisher is never connected, and no loop runs: the event waits
    assert client.post("/v1/returnees", json=REGISTRATION, headers=auth("consultant")).status_code == 201
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.json["status"] == "ready" and ready.json["broker"] == "not connected"
    assert ready.json["outbox_backlog"] == 1 and 0 <= ready.json["outbox_oldest_age_seconds"] < 5
    assert "kept in the outbox" in ready.json["detail"] and "1 document(s) waiting" in ready.json["detail"]


def test_the_age_is_the_oldest_waiting_events_whatever_order_the_documents_are_in(intake, auth):
    client, service = intake
    for _ in range(2):
        client.post("/v1/returnees", json=REGISTRATION, headers=auth("consultant"))
    newest = Returnee.objects.order_by("-id").first()
    old = str(ULID.from_timestamp(time.time() - 600))  # an event written ten minutes ago
    Returnee.objects(id=newest.id).update_one(__raw__={"$set": {"outbox.0.id": old}})
    assert service.relay.oldest_age() == pytest.approx(600, abs=5)
    assert client.get("/readyz").json["outbox_oldest_age_seconds"] == pytest.approx(600, abs=5)
    text = client.get("/metrics").get_data(as_text=True)
    age = next(line for line in text.splitlines() if line.startswith("homeward_outbox_oldest_age_seconds "))
    assert float(age.split()[1]) == pytest.approx(600, abs=5)
    service.relay.run_once(sweep=True)
    assert service.relay.oldest_age() is None and "homeward_outbox_oldest_age_seconds 0.0" in \
        client.get("/metrics").get_data(as_text=True)


@pytest.mark.parametrize("store_ok,broker,backlog,oldest,status,detail", [
    (True, "connected", 0, None, "ready", "Ready; no event waits to be published."),
    (True, "connected", 3, 12.34, "ready", "Ready; events are waiting to be published, the oldest for 12 s."),
    (True, "not connected", 2, 75.0, "ready", "The broker is not reachable: writes are accepted and kept in the "
                                              "outbox until it is back; 2 document(s) waiting, the oldest event for 75 s."),
    (False, "connected", None, None, "unavailable", "MongoDB does not answer: requests cannot be served."),
])
def test_the_report_in_words(store_ok, broker, backlog, oldest, status, detail):
    body = readiness(store_ok, broker, backlog, oldest)
    assert (body["status"], body["detail"]) == (status, detail)
    assert body["outbox_oldest_age_seconds"] == (None if oldest is None else round(oldest, 1))


def test_metrics_carry_the_consumer_lag_and_partners_the_paused_endpoints(intake, build):
    text = intake[0].get("/metrics").get_data(as_text=True)
    assert "homeward_consumer_lag 0.0" in text
    partners = partners_app(service=build(PartnersService, "partners")).test_client()
    assert "homeward_webhook_endpoints_paused 0.0" in partners.get("/metrics").get_data(as_text=True)


class FakeKafkaConsumer:
    def __init__(self, ends: dict, positions: dict):
        self.ends, self.positions = ends, positions

    def assignment(self):
        return set(self.ends)

    def highwater(self, tp):
        return self.ends[tp]

    def position(self, tp, timeout_ms=None):
        return self.positions[tp]


def test_the_consumer_counts_its_lag_and_marks_when_it_had_read_everything(settings_for, monkeypatch):
    loop = ConsumerLoop(settings_for("itest"), ["t"], lambda envelope: None, publisher=None)
    monkeypatch.setattr(loop, "connected", lambda: True)
    loop._observe(FakeKafkaConsumer({"p0": 10, "p1": 7}, {"p0": 4, "p1": 7}))
    assert loop.lag == 6 and loop.caught_up_at is None
    before = time.time()
    loop._observe(FakeKafkaConsumer({"p0": 10, "p1": 7}, {"p0": 10, "p1": 7}))
    assert loop.lag == 0 and loop.caught_up_at >= before
    marked = loop.caught_up_at
    loop._observe(FakeKafkaConsumer({"p0": None}, {"p0": 0}))  # an end not known yet: not caught up
    monkeypatch.setattr(loop, "connected", lambda: False)
    loop._observe(FakeKafkaConsumer({"p0": 3}, {"p0": 3}))  # nothing behind, but the broker is away
    assert loop.caught_up_at == marked
