"""Country insights kept incrementally: equal to the full recomputation over random case histories
(check-ins, corrections, region and country moves, erasures, replays, late arrivals), one change at a time
and in batches as the insights feed hands them over; replays, crashes and concurrent writers counted once."""
from __future__ import annotations

import json
import threading

import pytest

from services.monitoring.documents import ContactCalendar, CountryInsight, InsightContribution
from services.monitoring.domain import case as cases
from services.monitoring.domain.insights import country_insight
from services.monitoring.domain.schedule import Rules
from services.monitoring.domain.scoring import CURRENT, SCHEMES
from services.monitoring.insights_repository import InsightsRepository
from tests.unit.monitoring.insights.oracle import reference_insight
from tests.unit.monitoring.insights.world import COUNTRIES, NOW, TODAY, Batcher, K, World, figures_only, stored_insight


class TestKeptIncrementally:
    @pytest.mark.parametrize("seed", range(3))
    def test_the_totals_equal_the_full_recomputation_after_every_change(self, repo, seed):
        world = World(repo, seed)
        for country in world.run(200):
            assert stored_insight(country) == figures_only(country_insight(country, world.of(country), K, "t"))

    @pytest.mark.parametrize("seed", range(3))
    def test_every_publication_equals_the_full_recomputation_at_its_time(self, repo, relay, seed):
        world = World(repo, seed)
        seen = {c: 0 for c in COUNTRIES}
        for country in world.run(300):
            if relay.count(country) > seen[country]:
                seen[country] = relay.count(country)
                expected = figures_only(country_insight(country, world.of(country), K, "t"))
                assert figures_only(relay.published(country)[-1]) == expected == figures_only(repo.get(country))
        assert all(seen.values())

    @pytest.mark.parametrize("seed", range(4))
    def test_the_figures_are_those_of_the_original_per_case_computation(self, repo, seed):
        world = World(repo, seed)
        for _ in range(300):
            world.step()
        for country in COUNTRIES:
            members = [c for c in world.of(country) if not c.get("erased")]
            assert figures_only(country_insight(country, members, K, "t")) == \
                figures_only(reference_insight(country, members, K, "t"))

    def test_a_replayed_change_writes_nothing(self, repo):
        world = World(repo, 1)
        case = world.add()
        world.checkin(case)
        before = CountryInsight.objects(id=case["country"]).as_pymongo().first()["version"]
        repo.case_changed(json.loads(json.dumps(case)), NOW)
        assert CountryInsight.objects(id=case["country"]).as_pymongo().first()["version"] == before

    def test_a_crash_between_the_two_writes_is_finished_by_the_next_change_without_double_counting(
            self, repo, monkeypatch):
        world = World(repo, 2)
        case = world.add()
        world.checkin(case)
        original = InsightsRepository._finish_all
        monkeypatch.setattr(InsightsRepository, "_finish_all", lambda *a: (_ for _ in ()).throw(OSError("crash")))
        world.checkin(case)  # following the case does not fail
        monkeypatch.setattr(InsightsRepository, "_finish_all", original)
        assert InsightContribution.objects(id=case["returnee_id"]).as_pymongo().first()["unapplied"]
        world.checkin(case)
        repo.case_changed(json.loads(json.dumps(case)), NOW)
        country = case["country"]
        assert stored_insight(country) == figures_only(country_insight(country, [case], K, "t"))

    def test_concurrent_changes_of_one_country_are_all_counted_once(self, repo):
        world = World(repo, 3)
        members = [world.add() for _ in range(8)]
        for case in members:
            case["country"] = "NG"
            world.checkin(case)
        for case in members:
            cases.record_checkin(case, {"slot": "ad_hoc", "contact_date": "2026-05-01", "contact_made": True,
                                        "scores": {"economic": 2}}, TODAY, NOW.isoformat(), Rules(),
                                 SCHEMES[CURRENT], world.new_id, {"role": "partner"})
            case["version"] += 1
        barrier = threading.Barrier(len(members))

        def write(case):
            barrier.wait()
            repo.case_changed(json.loads(json.dumps(case)), NOW)

        threads = [threading.Thread(target=write, args=(c,)) for c in members]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert stored_insight("NG") == figures_only(country_insight("NG", members, K, "t"))

    def test_the_repair_corrects_drifted_totals_and_drops_returnees_without_a_case(self, repo):
        world = World(repo, 4)
        for _ in range(60):
            world.step()
        CountryInsight.objects(id="NG").update_one(__raw__={"$inc": {"totals.Lagos.returnees": 7}})
        ContactCalendar.objects(id="NG/Lagos/2026-05").update_one(upsert=True, __raw__={"$inc": {"days.31": 1}})
        gone = next(iter(world.cases))
        live = [c for rid, c in world.cases.items() if rid != gone]
        repo.repair(live, NOW)
        for country in COUNTRIES:
            members = [c for c in live if c["country"] == country]
            assert stored_insight(country) == figures_only(country_insight(country, members, K, "t"))


class TestFollowedInBatches:
    @pytest.mark.parametrize("seed", range(3))
    def test_the_totals_equal_the_full_recomputation_after_every_batch(self, repo, seed):
        batcher = Batcher(repo, seed)
        world = World(batcher, seed)
        flushes = 0
        for _ in range(300):
            world.step()
            if batcher.flushes > flushes:
                flushes = batcher.flushes
                for country in COUNTRIES:
                    assert stored_insight(country) == figures_only(country_insight(country, batcher.of(country), K, "t"))
        batcher.flush()
        for country in COUNTRIES:
            assert stored_insight(country) == figures_only(country_insight(country, world.of(country), K, "t"))
        assert flushes > 30

    @pytest.mark.parametrize("seed", range(3))
    def test_no_two_consecutive_publications_differ_by_fewer_than_k_returnees(self, repo, relay, seed):
        batcher = Batcher(repo, seed)
        world = World(batcher, seed)
        snapshots = {c: [{}] for c in COUNTRIES}
        for _ in range(400):
            world.step()
            for country in COUNTRIES:
                if relay.count(country) > len(snapshots[country]) - 1:
                    snapshots[country].append(batcher.snapshot(country))
                    expected = figures_only(country_insight(country, batcher.of(country), K, "t"))
                    assert figures_only(relay.published(country)[-1]) == expected
        for country, states in snapshots.items():
            assert len(states) > 2
            for before, after in zip(states, states[1:]):
                changed = {rid for rid in after.keys() | before.keys() if before.get(rid, "") != after.get(rid, "")}
                assert len(changed) >= K, (country, changed)
