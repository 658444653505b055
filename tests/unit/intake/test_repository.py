"""Intake's repository: one writer wins a race, events are applied once, pages are complete, the relay is woken."""
from __future__ import annotations

import threading
from datetime import date

import pytest

from services.intake import handlers
from services.intake.handlers import journey
from services.intake.bootstrap import IntakeService
from services.intake.documents import Returnee
from shared.errors import Conflict, NotFound
from shared.events import new_event


@pytest.fixture
def service(settings_for, clock, publisher):
    # the sweep as it will be in the embedded mode: an event not notified would wait 30 s
    return IntakeService(settings_for("intake", outbox_sweep_seconds=30), clock=clock, publisher=publisher)


def register(service, country="ET", **fields):
    data = {"given_name": "Yonas", "family_name": "Tesfaye", "country_of_return": country,
            "consent": {"share_with_partner": True, "share_outcomes_with_chain_partners": False,
                        "given_on": date(2026, 1, 5)}, **fields}
    return handlers.register_returnee(service.deps, data)


def outbox_types(rid):
    return [entry["type"] for entry in Returnee.objects(id=rid).as_pymongo().first()["outbox"]]


def handover_event(service, type_, returnee, **data):
    return new_event("partners", type_, returnee["id"], {"returnee_id": returnee["id"], "partner_id": "p",
                                                         "handover_id": returnee["handover"]["id"], **data},
                     service.clock.now())


class TestConcurrentWriters:
    def test_of_two_writers_with_the_same_read_exactly_one_wins(self, service):
        returnee = register(service)
        first, second = service.repo.get(returnee["id"]), service.repo.get(returnee["id"])
        assert service.repo.change(first, {"region": "Tigray"}) is not None
        assert service.repo.change(second, {"region": "Amhara"}) is None
        assert service.repo.get(returnee["id"])["region"] == "Tigray"

    def test_threads_requesting_a_handover_at_once_produce_one_offer(self, service, monkeypatch):
        returnee = register(service)
        writers = 6
        barrier = threading.Barrier(writers)
        read = handlers.get_returnee

        def read_then_wait(deps, returnee_id):  # every writer has read the returnee before any of them writes
            found = read(deps, returnee_id)
            barrier.wait(timeout=10)
            return found

        monkeypatch.setattr(journey, "get_returnee", read_then_wait)  # where request_handover reads it
        results = []

        def write(partner):
            try:
                results.append(handlers.request_handover(service.deps, returnee["id"], partner)["handover"]["id"])
            except Conflict:
                results.append("conflict")

        threads = [threading.Thread(target=write, args=(f"p{n}",)) for n in range(writers)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        monkeypatch.undo()
        assert results.count("conflict") == writers - 1
        stored = service.repo.get(returnee["id"])
        assert stored["handovers_requested"] == 1 and stored["version"] == 1
        assert stored["handover"]["id"] in results
        assert outbox_types(returnee["id"]).count("returnee.handover_requested.v1") == 1


class TestEventsAppliedOnce:
    def test_a_redelivered_partner_event_changes_nothing(self, service):
        returnee = handlers.request_handover(service.deps, register(service)["id"], "p")
        accepted = handover_event(service, "handover.accepted.v1", returnee)
        handlers.follow_handover(service.deps, accepted)
        version = service.repo.get(returnee["id"])["version"]
        handlers.follow_handover(service.deps, accepted)
        stored = service.repo.get(returnee["id"])
        assert stored["status"] == "handover_accepted" and stored["version"] == version
        assert [step["status"] for step in stored["history"]].count("handover_accepted") == 1

    def test_an_event_about_another_offer_is_ignored(self, service):
        returnee = handlers.request_handover(service.deps, register(service)["id"], "p")
        stale = handover_event(service, "handover.declined.v1", {**returnee, "handover": {"id": "hnd_old"}},
                               reason="capacity")
        handlers.follow_handover(service.deps, stale)
        assert service.repo.get(returnee["id"])["status"] == "handover_requested"

    def test_completion_before_arrival_shows_the_summary_only_and_a_redelivery_is_a_no_op(self, service):
        returnee = register(service)
        summary = {"next_due_on": None, "latest_index": 0.8, "open_alerts": 0,
                   "latest_scores": None, "latest_scored_on": None}
        completed = new_event("monitoring", "monitoring.completed.v1", returnee["id"],
                              {"returnee_id": returnee["id"], "outcome": "completed", "summary": summary},
                              service.clock.now())
        handlers.follow_monitoring(service.deps, completed)
        stored = service.repo.get(returnee["id"])
        assert stored["status"] == "registered" and stored["monitoring"] == summary
        Returnee.objects(id=returnee["id"]).update_one(set__monitoring__latest_index=0.1)
        handlers.follow_monitoring(service.deps, completed)
        assert service.repo.get(returnee["id"])["monitoring"]["latest_index"] == 0.1

    def test_an_older_insight_never_replaces_a_newer_one(self, service):
        assert service.repo.keep_insight("ET", 2, {"country": "ET", "version": 2}, service.clock.now())
        assert not service.repo.keep_insight("ET", 1, {"country": "ET", "version": 1}, service.clock.now())
        assert not service.repo.keep_insight("ET", 2, {"country": "ET", "version": 2}, service.clock.now())
        assert service.repo.insight("ET")["version"] == 2


class TestPaging:
    def test_pages_cover_every_returnee_once_in_registration_order(self, service):
        ids = [register(service)["id"] for _ in range(5)]
        seen, cursor = [], None
        while True:
            page = service.repo.page({}, cursor, 2)
            seen += [r["id"] for r in page["items"]]
            cursor = page["next_cursor"]
            if cursor is None:
                break
        assert seen == ids

    def test_filters_and_erasure(self, service):
        ethiopia, nigeria, erased = register(service), register(service, "NG"), register(service, "NG")
        handlers.request_handover(service.deps, ethiopia["id"], "p")
        handlers.erase_returnee(service.deps, erased["id"])
        assert [r["id"] for r in service.repo.page({"country": "NG"}, None, 10)["items"]] == [nigeria["id"]]
        assert [r["id"] for r in service.repo.page({"status": "handover_requested"}, None, 10)["items"]] == [
            ethiopia["id"]]
        assert service.repo.page({"status": "registered", "country": "ET"}, None, 10) == {
            "items": [], "next_cursor": None}


class TestErasure:
    def test_erasing_twice_stores_one_erasure_event(self, service):
        returnee = register(service)
        handlers.erase_returnee(service.deps, returnee["id"])
        with pytest.raises(NotFound):
            handlers.erase_returnee(service.deps, returnee["id"])
        assert not service.repo.erase(returnee["id"], ("given_name",), [], service.clock.now())
        assert outbox_types(returnee["id"]).count("returnee.erased.v1") == 1
        assert len(service.repo.report_facts()) == 1  # the tombstone still counts


class TestTheRelayIsWoken:
    def test_each_write_with_events_is_published_without_waiting_for_the_sweep(self, service, publisher):
        service.relay.run_once(sweep=True)  # the first round sweeps; later rounds within 30 s do not
        returnee = register(service)
        handlers.update_returnee(service.deps, returnee["id"], {"region": "Tigray"})  # no copies yet: no event
        handlers.request_handover(service.deps, returnee["id"], "p")
        assert service.relay.run_once() == 2
        handlers.set_consent(service.deps, returnee["id"], {"share_with_partner": False,
                                                            "share_outcomes_with_chain_partners": False,
                                                            "given_on": date(2026, 2, 1)})
        handlers.erase_returnee(service.deps, returnee["id"])
        assert service.relay.run_once() == 2
        assert [m[0] for m in publisher.sent] == [service.settings.topic("homeward.returnees")] * 4
        assert outbox_types(returnee["id"]) == []


class TestDeclineWording:
    """A decline by partners' own rule is said by its reason code (the pages translate it); the English
    sentence partners adds for it never reaches a Dutch page. A partner's own words are kept."""

    def test_an_automatic_decline_keeps_its_reason_and_drops_the_rules_english_detail(self, service):
        returnee = handlers.request_handover(service.deps, register(service)["id"], "p")
        handlers.follow_handover(service.deps, handover_event(
            service, "handover.declined.v1", returnee, reason="not_in_coverage_area",
            detail="The partner does not serve ET.", automatic=True))
        assert service.repo.get(returnee["id"])["handover"]["decline"] == {"reason": "not_in_coverage_area",
                                                                          "detail": ""}

    def test_an_expired_offer_has_no_english_detail(self, service):
        returnee = handlers.request_handover(service.deps, register(service)["id"], "p")
        handlers.follow_handover(service.deps, handover_event(
            service, "handover.expired.v1", returnee, reason="expired", detail="No answer within 14 days."))
        assert service.repo.get(returnee["id"])["handover"]["decline"]["detail"] == ""

    def test_the_partners_own_words_are_kept(self, service):
        returnee = handlers.request_handover(service.deps, register(service)["id"], "p")
        handlers.follow_handover(service.deps, handover_event(
            service, "handover.declined.v1", returnee, reason="no_capacity", detail="Pas de place avant mars."))
        assert service.repo.get(returnee["id"])["handover"]["decline"]["detail"] == "Pas de place avant mars."
