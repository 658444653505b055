"""Country insights published by the release rule: no two consecutive publications differ by fewer than k
returnees' data, nothing before k and then at once with a wake-up of the relay, configurable; through the service."""
from __future__ import annotations

import json

import pytest

from services.monitoring.documents import CountryInsight
from services.monitoring.insights_repository import InsightsRepository
from tests.unit.monitoring.insights.world import COUNTRIES, NOW, K, World


class TestReleaseRule:
    @pytest.mark.parametrize("seed", range(3))
    def test_no_two_consecutive_publications_differ_by_fewer_than_k_returnees(self, repo, relay, seed):
        world = World(repo, seed)
        snapshots = {c: [{rid: "" for rid in world.cases}] for c in COUNTRIES}
        for country in world.run(400):
            if relay.count(country) > len(snapshots[country]) - 1:
                snapshots[country].append(world.snapshot(country))
        for country, states in snapshots.items():
            assert len(states) > 3
            for before, after in zip(states, states[1:]):
                changed = {rid for rid in after if before.get(rid, "") != after[rid]}
                assert len(changed) >= K, (country, changed)
            versions = [e["version"] for e in relay.published(country)]
            assert versions == list(range(1, len(versions) + 1))

    def test_nothing_is_published_before_k_returnees_and_then_at_once_with_a_wake_up(self, repo, relay):
        world = World(repo, 5)
        members = []
        for _ in range(K):
            case = world.add()
            case.update(country="NG", region="Lagos")
            members.append(case)
        for case in members[:-1]:
            world.checkin(case)
            world.checkin(case)  # more check-ins of the same returnees do not count twice
        assert repo.get("NG") is None and not relay.wakeups
        world.checkin(members[-1])
        assert repo.get("NG")["returnees"] == K and repo.get("NG")["version"] == 1
        assert relay.wakeups == [(CountryInsight, "NG")]
        assert len(relay.published("NG")) == 1

    def test_a_returnee_whose_data_changed_back_does_not_count(self, repo):
        world = World(repo, 6)
        members = [world.add() for _ in range(K)]
        for case in members:
            case["country"] = "NG"
        before = json.loads(json.dumps(members[0]))
        world.checkin(members[0])
        before["version"] = members[0]["version"] + 1
        repo.case_changed(before, NOW)  # e.g. a check-in corrected back to what was published
        for case in members[1:]:
            world.checkin(case)
        assert repo.get("NG") is None
        world.checkin(members[0])
        assert repo.get("NG")["returnees"] == K

    def test_the_threshold_is_configurable(self, connect):
        repo = InsightsRepository(5, release_min=2)
        world = World(repo, 7)
        for _ in range(2):
            case = world.add()
            case["country"] = "NG"
            world.checkin(case)
        assert repo.get("NG") == {**repo.get("NG"), "returnees": 2, "suppressed": True, "k": 5}


class TestThroughTheService:
    def test_check_ins_publish_by_the_release_rule_and_get_answers_the_last_publication(
            self, build, clock, auth, publisher, monkeypatch):
        from services.monitoring.api import create_app
        from services.monitoring.bootstrap import MonitoringService
        from services.monitoring.handlers import start_monitoring
        from shared.events import new_event

        monkeypatch.setenv("INSIGHT_RELEASE_MIN_RETURNEES", "2")
        service = build(MonitoringService, "monitoring")
        for rid in ("r0", "r1"):
            start_monitoring(service.deps, new_event("partners", "returnee.arrived.v1", rid, {
                "returnee_id": rid, "partner_id": "p", "country": "NG", "arrived_on": "2026-01-05",
                "handover_id": "h"}, clock.now()))
        client = create_app(service=service).test_client()
        partner, lead = auth("partner", org="p"), auth("project_lead")

        def checkin(rid, slot, key):
            body = {"returnee_id": rid, "slot": slot, "contact_date": "2026-02-06", "contact_made": True,
                    "contact_mode": "phone", "scores": {"economic": 3}}
            assert client.post("/v1/checkins", json=body, headers={**partner, "Idempotency-Key": key}).status_code == 201
            return client.get("/v1/insights/ng", headers=lead).json

        assert checkin("r0", 1, "a") == {"country": "NG", "returnees": 0, "checkins": 0, "suppressed": True,
                                         "k": 5, "updated_at": None}
        first = checkin("r1", 1, "b")
        assert first["returnees"] == 2 and first["checkins"] == 2 and first["version"] == 1
        assert checkin("r0", "ad_hoc", "c") == first  # one returnee since: not published
        service.relay.run_once(sweep=False)  # woken for the publication: no sweep needed
        assert [json.loads(value)["data"] for _, key, value, _ in publisher.sent if key == "NG"] == [first]
