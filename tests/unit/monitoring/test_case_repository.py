"""The case repository on the embedded store (or on MongoDB when MONGODB_URI is set): round trips,
writes of only what changed, compare-and-set, events applied once, paging and the alert lookup."""
from __future__ import annotations

import copy
import threading
from datetime import date, datetime

import pytest

from services.monitoring.documents import Case
from services.monitoring.domain import case as cases
from services.monitoring.domain.schedule import Rules
from services.monitoring.domain.scoring import SCHEMES
from services.monitoring.handlers import record_checkin
from services.monitoring.repository import AlertFilters, CaseFilters, CaseRepository, changes
from tests.unit.monitoring.stored_cases import CONSULTANT, NOW, TODAY, arrive, checkin, event_types, planned
from tests.unit.monitoring.stored_cases import deps, notified, repo  # noqa: F401 - fixtures

__all__ = ["deps", "notified", "repo"]


class TestStoringACase:
    def test_a_case_reads_back_exactly_as_the_domain_wrote_it(self, repo):
        case = planned()
        assert repo.add(case, [])
        stored = repo.get("rtn_1")
        assert {k: v for k, v in stored.items() if k not in ("version", "seen_events")} == \
               {k: v for k, v in case.items() if k not in ("version", "seen_events")}
        assert stored["version"] == 1

    def test_days_are_stored_as_dates_and_the_schema_version_is_recorded(self, repo):
        repo.add(planned(), [])
        raw = Case.objects(id="rtn_1").as_pymongo().first()
        assert isinstance(raw["arrived_on"], datetime) and isinstance(raw["slots"][0]["due_on"], datetime)
        assert raw["schema_version"] == 2

    def test_a_second_add_of_the_same_returnee_is_refused(self, repo):
        assert repo.add(planned(), [])
        assert not repo.add(planned(), [])

    def test_a_value_outside_the_vocabulary_is_never_stored(self, repo):
        case = planned()
        case["state"] = "dormant"
        with pytest.raises(Exception):
            repo.add(case, [])
        assert repo.get("rtn_1") is None


class TestACheckinIsOneBoundedWrite:
    def test_only_the_new_check_in_and_the_fields_it_changed_are_written(self, repo, deps):
        arrive(deps, "rtn_1")
        before = repo.get("rtn_1")
        after = copy.deepcopy(before)
        cases.record_checkin(after, {**checkin(), "contact_date": "2026-02-20"}, TODAY, NOW, Rules(),
                             SCHEMES["2026.1"], CaseRepository.id_maker("rtn_1"), {"role": "consultant"})
        set_, unset = changes(before, after)
        assert "checkins" not in set_ and "checkins.0" in set_
        assert not any(k.startswith("checkins.") and k != "checkins.0" for k in set_)
        assert "alerts" not in set_ and "slots" not in set_

    def test_a_correction_rewrites_the_superseded_check_in_and_adds_the_new_one(self, deps, repo):
        arrive(deps, "rtn_1")
        first = record_checkin(deps, CONSULTANT, checkin(slot=1, contact_date=date(2026, 2, 6)))
        before = repo.get("rtn_1")
        second = record_checkin(deps, CONSULTANT, checkin(slot=1, contact_date=date(2026, 2, 6), supersedes=first["id"]))
        after = repo.get("rtn_1")
        assert [c["superseded_by"] for c in after["checkins"]] == [second["id"], None]
        assert after["version"] == before["version"] + 1

    def test_each_write_with_events_wakes_the_relay_for_that_case(self, deps, notified):
        arrive(deps, "rtn_1")
        notified.clear()
        record_checkin(deps, CONSULTANT, checkin())
        assert notified == [("Case", "rtn_1")]


class TestCompareAndSet:
    def test_of_two_writers_holding_the_same_read_exactly_one_wins(self, repo):
        repo.add(planned(), [])
        first, second = repo.get("rtn_1"), repo.get("rtn_1")
        mine, theirs = copy.deepcopy(first), copy.deepcopy(second)
        mine["latest_index"], theirs["latest_index"] = 0.5, 0.75
        results = [repo.update(first, mine, []), repo.update(second, theirs, [])]
        assert results == [True, False]
        assert repo.get("rtn_1")["latest_index"] == 0.5

    def test_threads_recording_check_ins_at_once_lose_none(self, deps, repo):
        arrive(deps, "rtn_1")
        errors = []

        def write(n):
            try:
                record_checkin(deps, CONSULTANT, checkin(notes=f"thread {n}"))
            except Exception as exc:  # noqa: BLE001 - reported below
                errors.append(exc)

        threads = [threading.Thread(target=write, args=(n,)) for n in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
        stored = repo.get("rtn_1")
        assert sorted(c["notes"] for c in stored["checkins"]) == [f"thread {n}" for n in range(6)]
        assert event_types("rtn_1").count("checkin.recorded.v1") == 6


class TestEventsApplyOnce:
    def test_a_redelivered_event_changes_nothing_and_queues_nothing(self, deps, repo):
        event = arrive(deps, "rtn_1")
        version, outbox = repo.get("rtn_1")["version"], event_types("rtn_1")
        arrive(deps, "rtn_1", event=event)
        assert repo.get("rtn_1")["version"] == version and event_types("rtn_1") == outbox

    def test_a_stale_write_of_an_event_already_applied_is_refused(self, repo):
        repo.add(planned(), [], event_id="evt_1")
        before = repo.get("rtn_1")
        after = {**copy.deepcopy(before), "region": "Kano"}
        assert not repo.update(before, after, [], event_id="evt_1")
        assert repo.update(before, after, [], event_id="evt_2")
        assert repo.get("rtn_1")["seen_events"] == ["evt_1", "evt_2"]


class TestReading:
    def test_cases_come_in_pages_over_their_ids(self, repo):
        for i in range(5):
            repo.add(planned(f"rtn_{i}"), [])
        first = repo.cases_page(CaseFilters(), None, 2)
        second = repo.cases_page(CaseFilters(), first["next_cursor"], 2)
        third = repo.cases_page(CaseFilters(), second["next_cursor"], 2)
        ids = [c["_id"] for page in (first, second, third) for c in page["items"]]
        assert ids == [f"rtn_{i}" for i in range(5)] and third["next_cursor"] is None

    def test_a_partner_sees_only_its_own_planned_cases(self, repo):
        repo.add(planned("rtn_a", partner="prt_1"), [])
        repo.add(planned("rtn_b", partner="prt_2"), [])
        repo.add(cases.new_case("rtn_c", "NG", "prt_1"), [])
        page = repo.cases_page(CaseFilters(partner_id="prt_1", planned_only=True), None, 10)
        assert [c["_id"] for c in page["items"]] == ["rtn_a"]

    def test_alerts_come_in_pages_oldest_first_with_filters(self, repo):
        for i, country in enumerate(("NG", "NG", "ET")):
            repo.add(planned(f"rtn_{i}", country=country), [])  # each: the 1-month check-in is overdue
        everything = repo.alerts_page(AlertFilters(), None, 10)
        ids = [alert["id"] for _, alert in everything["items"]]
        assert len(ids) == 3 and ids == sorted(ids) and everything["next_cursor"] is None
        first = repo.alerts_page(AlertFilters(country="NG"), None, 1)
        second = repo.alerts_page(AlertFilters(country="NG"), first["next_cursor"], 1)
        assert [c["country"] for page in (first, second) for c, _ in page["items"]] == ["NG", "NG"]
        assert second["next_cursor"] is None
        assert repo.alerts_page(AlertFilters(statuses=("resolved",)), None, 10)["items"] == []
        assert [c["returnee_id"] for c, _ in repo.alerts_page(AlertFilters(returnee_id="rtn_2"), None, 10)["items"]] \
            == ["rtn_2"]

    def test_an_alert_id_names_its_case(self, repo):
        repo.add(planned(), [])
        alert_id = repo.get("rtn_1")["alerts"][0]["id"]
        assert alert_id.endswith(".rtn_1")
        assert repo.find_by_alert(alert_id)["_id"] == "rtn_1"
        assert repo.find_by_alert(alert_id.replace(".rtn_1", ".rtn_9")) is None

    def test_alerts_raised_before_ids_named_their_case_are_still_found(self, repo):
        case = planned()
        case["alerts"][0]["id"] = "alr_01OLDSTYLE"
        repo.add(case, [])
        assert repo.find_by_alert("alr_01OLDSTYLE")["_id"] == "rtn_1"

    def test_only_open_cases_whose_next_change_is_due_are_judged(self, repo):
        due, later, done = planned("rtn_due"), planned("rtn_later"), planned("rtn_done")
        due["next_check_on"], later["next_check_on"] = "2026-03-02", "2026-03-03"
        done["state"], done["next_check_on"] = "completed", "2026-03-01"
        for case in (due, later, done):
            repo.add(case, [])
        assert repo.due_for_judgement(TODAY) == ["rtn_due"]
