"""The partners repository: one winner per race, events applied once, pages, and relays woken per write."""
from __future__ import annotations

import json
import threading

import pytest

from services.partners import handlers
from services.partners.handlers import common as handler_common
from services.partners.bootstrap import PartnersService
from services.partners.handlers import accept_handover, decline_handover, offer_handover
from shared.auth import Principal
from shared.errors import Conflict
from shared.events import new_event
from tests.unit.partners.stored import Handover, stored_handover


@pytest.fixture
def service(build):
    return build(PartnersService, "partners")


def register(service, name="Own", countries=("NG",)) -> str:
    return handlers.register_partner(service.deps, {"name": name, "countries": list(countries)})["_id"]


def offer(service, clock, org, handover_id="hnd_1", returnee_id="rtn_1", country="NG"):
    event = new_event("intake", "returnee.handover_requested.v1", returnee_id, {
        "returnee_id": returnee_id, "handover_id": handover_id, "partner_id": org, "country_of_return": country},
        clock.now())
    offer_handover(service.deps, event)
    return event


def event_types(handover_id):
    return [json.loads(e["value"])["type"] for e in stored_handover(handover_id)["outbox"]]


class TestRacingWriters:
    def test_of_two_writers_with_the_same_stale_read_exactly_one_wins(self, service, clock):
        org = register(service)
        offer(service, clock, org)
        stale = service.repo.get_handover("hnd_1")
        accepted = handler_common._event(service.deps, "handover.accepted.v1", stale, accepted_at=clock.now().isoformat())
        declined = handler_common._event(service.deps, "handover.declined.v1", stale, reason="no_capacity", detail="",
                                   alternatives=[])
        wins = [service.repo.transition("hnd_1", stale["status"], {"status": "accepted"}, [accepted]),
                service.repo.transition("hnd_1", stale["status"], {"status": "declined"}, [declined])]
        assert wins == [True, False]
        assert stored_handover("hnd_1")["status"] == "accepted"
        assert event_types("hnd_1") == ["handover.accepted.v1"]  # the loser's event was never stored

    def test_of_many_partner_threads_answering_at_once_exactly_one_wins(self, service, clock):
        org = register(service)
        offer(service, clock, org)
        who = Principal(sub="client", role="partner", org=org)
        barrier = threading.Barrier(8)
        outcomes = []

        def answer(index):
            barrier.wait()
            try:
                if index % 2:
                    accept_handover(service.deps, who, "hnd_1")
                else:
                    decline_handover(service.deps, who, "hnd_1", "no_capacity", "")
                outcomes.append("won")
            except Conflict:
                outcomes.append("conflict")

        threads = [threading.Thread(target=answer, args=(i,)) for i in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(outcomes) == ["conflict"] * 7 + ["won"]
        assert len(event_types("hnd_1")) == 1 and stored_handover("hnd_1")["version"] == 1


class TestEventsAppliedOnce:
    def test_a_redelivered_event_changes_nothing_the_second_time(self, service, clock):
        org = register(service)
        offer(service, clock, org)
        assert service.repo.apply_event("hnd_1", "evt_1", {"vulnerabilities": ["medical"]}) is True
        assert service.repo.apply_event("hnd_1", "evt_1", {"vulnerabilities": ["other"]}) is False
        stored = stored_handover("hnd_1")
        assert stored["vulnerabilities"] == ["medical"] and stored["seen_events"].count("evt_1") == 1
        assert stored["version"] == 1

    def test_a_status_condition_that_no_longer_holds_applies_nothing(self, service, clock):
        org = register(service)
        offer(service, clock, org)
        assert not service.repo.apply_event("hnd_1", "evt_1", {"status": "withdrawn"}, statuses=("accepted",))
        assert stored_handover("hnd_1")["status"] == "offered"
        assert "evt_1" not in stored_handover("hnd_1")["seen_events"]

    def test_a_redelivered_offer_keeps_the_first_handover(self, service, clock):
        org = register(service)
        event = offer(service, clock, org)
        assert not service.repo.add_handover({"_id": "hnd_1", "returnee_id": "rtn_1", "partner_id": org,
                                              "country": "NG", "status": "offered", "offered_at": clock.now()},
                                             [], None, event.id)
        assert Handover.objects.count() == 1


class TestPages:
    def test_partner_pages_follow_the_cursor_to_the_end(self, service):
        ids = [register(service, f"P{i}", ("NG",) if i % 2 else ("ET",)) for i in range(5)]
        seen, cursor = [], None
        while True:
            page = service.repo.partners_page(None, 2, cursor)
            seen += [p["id"] for p in page["items"]]
            cursor = page["next_cursor"]
            if cursor is None:
                break
        assert seen == ids
        assert [p["id"] for p in service.repo.partners_page("NG", 10, None)["items"]] == ids[1::2]
        assert all("webhook" not in p for p in service.repo.partners_page(None, 10, None)["items"])

    def test_handover_pages_filter_by_partner_and_status(self, service, clock):
        own, other = register(service), register(service, "Other")
        for i in range(3):
            offer(service, clock, own, f"hnd_{i}", f"rtn_{i}")
        offer(service, clock, other, "hnd_x", "rtn_x")
        page = service.repo.handovers_page({"partner_id": own}, 2, None)
        assert [h["id"] for h in page["items"]] == ["hnd_0", "hnd_1"] and page["next_cursor"] == "hnd_1"
        rest = service.repo.handovers_page({"partner_id": own}, 2, page["next_cursor"])
        assert [h["id"] for h in rest["items"]] == ["hnd_2"] and rest["next_cursor"] is None
        assert service.repo.handovers_page({"partner_id": own, "status": "accepted"}, 5, None)["items"] == []


class TestCredentialLookups:
    @pytest.mark.parametrize("client_id", [{"$ne": None}, {"$in": ["hw_x"]}, ["hw_x"], 7, None, ""])
    def test_only_a_plain_string_can_find_a_credential(self, service, clock, client_id):
        org = register(service)
        service.repo.add_credential({"_id": "hw_x", "partner_id": org, "secret_hash": "h", "created_at": clock.now()})
        assert service.repo.credential(client_id) is None
        assert service.repo.credential("hw_x")["partner_id"] == org


class TestRelaysAreWokenByTheWrite:
    """With the sweep 30 s away, events and webhooks must still leave at once: the writes say where they are."""

    @pytest.fixture
    def slow_sweep(self, settings_for, clock, publisher):
        from tests.unit.conftest import FakeKeySource

        return PartnersService(settings_for("partners", outbox_sweep_seconds=30), clock=clock, publisher=publisher,
                               key_source=FakeKeySource())

    def test_a_transition_notifies_the_outbox_relay(self, slow_sweep, clock, publisher):
        org = register(slow_sweep)
        offer(slow_sweep, clock, org)
        slow_sweep.relay.run_once()  # the first round sweeps; the next one waits 30 s for another
        accept_handover(slow_sweep.deps, Principal(sub="c", role="partner", org=org), "hnd_1")
        assert slow_sweep.relay.run_once() == 1
        assert [json.loads(value)["type"] for _, _, value, _ in publisher.sent] == ["handover.accepted.v1"]
        assert stored_handover("hnd_1")["outbox"] == []

    def test_an_automatic_decline_notifies_the_outbox_relay(self, slow_sweep, clock, publisher):
        org = register(slow_sweep)
        slow_sweep.relay.run_once()
        offer(slow_sweep, clock, org, country="KE")
        assert slow_sweep.relay.run_once() == 1

    def test_a_queued_webhook_is_collected_without_a_sweep(self, slow_sweep, clock):
        org = register(slow_sweep)
        slow_sweep.repo.set_webhook(org, {"url": "https://ngo.example/h", "secret": "whsec_AAAA",
                                          "created_at": clock.now()})
        assert slow_sweep.webhooks.collect() == 0  # the first round sweeps
        offer(slow_sweep, clock, org)
        assert slow_sweep.webhooks.collect() == 1
        assert stored_handover("hnd_1")["webhook_outbox"] == []
        assert slow_sweep.repo.due_messages(clock.now(), 10) != []
