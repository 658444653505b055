"""Country insights kept incrementally: equal to the full recomputation over random case histories
(check-ins, corrections, region and country moves, erasures, replays, late arrivals), published by
the release rule (no two consecutive publications differ by fewer than k returnees' data), at once."""
from __future__ import annotations

import itertools
import json
import random
import threading
from datetime import date, datetime, timedelta, timezone
from statistics import mean

import pytest

from services.monitoring.documents import ALIAS, ContactCalendar, CountryInsight, InsightContribution
from services.monitoring.domain import case as cases
from services.monitoring.domain.insights import contribution, country_insight, fingerprint, suppress_partition
from services.monitoring.domain.schedule import Rules
from services.monitoring.domain.scoring import CURRENT, SCHEMES
from services.monitoring.vocabulary import DOMAINS, SUPPORT_TYPES
from services.monitoring.insights_repository import InsightsRepository
from shared import store
from shared.outbox import OutboxRelay
from tests.unit.conftest import RecordingPublisher

K = 3
TODAY = date(2026, 6, 1)
NOW = datetime(2026, 6, 1, 12, tzinfo=timezone.utc)
COUNTRIES = ("NG", "ET")
REGIONS = ("Lagos", "Kano", "St. Louis", "$weird", None)


@pytest.fixture
def connect(settings_for):
    store.connect(settings_for("monitoring"), ALIAS)


class WokenRelay:
    """The outbox relay, run at once by each `notify` (as its thread would be woken): what it publishes
    is what reached the broker, so an event without a wake-up is never seen."""

    def __init__(self):
        self.publisher = RecordingPublisher()
        self.relay = OutboxRelay([CountryInsight], self.publisher)
        self.wakeups = []
        self.lock = threading.Lock()

    def notify(self, document_class, doc_id) -> None:
        with self.lock:
            self.wakeups.append((document_class, doc_id))
            self.relay.notify(document_class, doc_id)
            self.relay.run_once(sweep=False)

    def count(self, country: str) -> int:
        return sum(1 for message in self.publisher.sent if message[1] == country)

    def published(self, country: str) -> list[dict]:
        return [json.loads(value)["data"] for _, key, value, _ in self.publisher.sent if key == country]


@pytest.fixture
def relay():
    return WokenRelay()


@pytest.fixture
def repo(connect, relay):
    return InsightsRepository(K, notify=relay.notify)


class World:
    """Cases built by the domain's own rules, with each write handed to the insights repository."""

    def __init__(self, repo: InsightsRepository, seed: int):
        self.repo = repo
        self.rng = random.Random(seed)
        self.cases: dict[str, dict] = {}
        self.written: dict[str, list] = {}  # each case's states as written
        self.ids = itertools.count()

    def new_id(self, prefix: str) -> str:
        return f"{prefix}_{next(self.ids)}"

    def add(self) -> dict:
        rid = self.new_id("rtn")
        case = cases.new_case(rid, self.rng.choice(COUNTRIES), "p", region=self.rng.choice(REGIONS))
        cases.start_plan(case, date(2025, 1, 1), Rules())
        case["version"] = 0
        self.cases[rid] = case
        return case

    def write(self, case: dict) -> None:
        case["version"] += 1
        state = json.loads(json.dumps(case))
        self.written.setdefault(case["returnee_id"], []).append(state)
        self.repo.case_changed(state, NOW)

    def checkin(self, case: dict, correction: bool = False) -> None:
        open_slots = [s["slot"] for s in case["slots"] if (s["checkin_id"] is not None) == correction]
        slot = self.rng.choice(open_slots) if open_slots and self.rng.random() < 0.8 else "ad_hoc"
        if correction and slot == "ad_hoc":
            return
        domains = self.rng.sample(DOMAINS, self.rng.randint(0, len(DOMAINS)))
        data = {"slot": slot, "contact_date": (TODAY - timedelta(days=self.rng.randint(0, 60))).isoformat(),
                "contact_made": True, "scores": {d: self.rng.randint(1, 5) for d in domains},
                "safety_concern": self.rng.random() < 0.2, "correction": correction,
                "support_delivered": [{"type": t} for t in self.rng.sample(SUPPORT_TYPES, self.rng.randint(0, 2))]}
        cases.record_checkin(case, data, TODAY, NOW.isoformat(), Rules(), SCHEMES[CURRENT], self.new_id,
                             {"role": "partner"})
        self.write(case)

    def step(self) -> None:
        """One random thing that happens to some returnee."""
        live = [c for c in self.cases.values() if not c.get("erased")]
        roll = self.rng.random()
        if not live or roll < 0.15:
            self.checkin(self.add())
            return
        case = self.rng.choice(live)
        if roll < 0.6:
            self.checkin(case)
        elif roll < 0.75:
            self.checkin(case, correction=True)
        elif roll < 0.82:
            case["region"] = self.rng.choice(REGIONS)
            self.write(case)
        elif roll < 0.85:
            case["country"] = self.rng.choice(COUNTRIES)
            self.write(case)
        elif roll < 0.9:
            case.update(erased=True, region=None)
            case["version"] += 1
            self.repo.case_removed(case["returnee_id"], case["country"], NOW)
        elif roll < 0.95:  # redelivery of the same state
            self.repo.case_changed(json.loads(json.dumps(case)), NOW)
        else:  # an older state arriving late changes nothing
            self.repo.case_changed(self.rng.choice(self.written[case["returnee_id"]]), NOW)

    def run(self, steps: int):
        """Take random steps, yielding each country after each step."""
        for _ in range(steps):
            self.step()
            yield from COUNTRIES

    def of(self, country: str) -> list[dict]:
        return [c for c in self.cases.values() if c["country"] == country]

    def snapshot(self, country: str) -> dict:
        """Each returnee's data as it counts in `country` now."""
        return {rid: fingerprint(contribution(c)) if c["country"] == country else ""
                for rid, c in self.cases.items()}


def figures_only(insight: dict) -> dict:
    return {k: v for k, v in insight.items() if k not in ("updated_at", "version")}


def calendar(country: str) -> dict:
    """All calendar pages of a country (a scan: fine in a test)."""
    return {doc["_id"].split("/", 1)[1]: doc.get("days") or {} for doc in ContactCalendar.objects().as_pymongo()
            if doc["_id"].startswith(f"{country}/")}


def stored_insight(country: str) -> dict:
    """What the totals hold now, computed as a publication would be (ignoring the release rule)."""
    from services.monitoring.domain.insights import insight_from_totals

    doc = CountryInsight.objects(id=country).as_pymongo().first() or {}
    return figures_only(insight_from_totals(country, doc.get("totals") or {}, calendar(country), K, "t"))


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


class Batcher:
    """Stands in for the repository in a World: holds the changes and hands them over in batches of
    random size, as the insights feed does (several states of one returnee may share a batch).
    `handed` is each returnee's latest state handed over (None once erased)."""

    def __init__(self, repo: InsightsRepository, seed: int):
        self.repo, self.rng, self.held, self.flushes = repo, random.Random(seed), [], 0
        self.handed: dict[str, dict | None] = {}

    def case_changed(self, case: dict, now) -> None:
        self.held.append(case)
        if len(self.held) >= self.rng.randint(1, 12):
            self.flush(now)

    def case_removed(self, returnee_id: str, country: str, now) -> None:
        self.case_changed({"returnee_id": returnee_id, "country": country, "erased": True}, now)

    def flush(self, now=NOW) -> None:
        self.repo.cases_changed(self.held, now)
        for case in self.held:
            rid, last = case["returnee_id"], self.handed.get(case["returnee_id"])
            if case.get("erased") or last is None and rid in self.handed:
                self.handed[rid] = None
            elif last is None or case["version"] >= last["version"]:  # an older state changes nothing
                self.handed[rid] = case
        self.held, self.flushes = [], self.flushes + 1

    def of(self, country: str) -> list[dict]:
        return [c for c in self.handed.values() if c is not None and c["country"] == country]

    def snapshot(self, country: str) -> dict:
        return {rid: fingerprint(contribution(c)) if c is not None and c["country"] == country else ""
                for rid, c in self.handed.items()}


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


# --- the per-case computation these figures replaced, kept as the oracle -------------------------------

def _r(value, places=3):
    return None if value is None else round(value, places)


def reference_figures(group: list[dict], k: int) -> dict:
    checkins = {c["returnee_id"]: cases.effective_checkins(c) for c in group}
    by_slot: dict[str, dict] = {}
    for rid, items in checkins.items():
        for item in items:
            cell = by_slot.setdefault(str(item["slot"]), {"returnees": set(), "scores": {d: [] for d in DOMAINS}})
            cell["returnees"].add(rid)
            for domain, score in (item.get("scores") or {}).items():
                cell["scores"][domain].append(score)
    slots = {}
    for slot, cell in sorted(by_slot.items(), key=lambda kv: (kv[0] == "ad_hoc", int(kv[0]) if kv[0].isdigit() else 0)):
        n = len(cell["returnees"])
        slots[slot] = {"suppressed": True, "suppressed_reason": "small_group"} if n < k else {
            "suppressed": False, "returnees": n, **{d: _r(mean(v)) if v else None for d, v in cell["scores"].items()}}
    all_scores = {d: [s for items in checkins.values() for c in items for dd, s in (c.get("scores") or {}).items()
                      if dd == d] for d in DOMAINS}
    scored = {d: mean(v) for d, v in all_scores.items() if v}
    latest_index = {c["returnee_id"]: c.get("latest_index") for c in group}
    recipients: dict[str, set] = {}
    for rid, items in checkins.items():
        for item in items:
            for support in item.get("support_delivered") or []:
                recipients.setdefault(support["type"], set()).add(rid)
    support = {}
    for type_, rids in sorted(recipients.items()):
        indexes = [latest_index[r] for r in rids if latest_index.get(r) is not None]
        support[type_] = {"suppressed": True, "suppressed_reason": "small_group"} if len(rids) < k else {
            "suppressed": False, "returnees": len(rids), "mean_latest_index": _r(mean(indexes)) if indexes else None}
    concerned = sum(1 for items in checkins.values() if any(c.get("safety_concern") for c in items))
    contacts = [c["contact_date"] for items in checkins.values() for c in items]
    indexes = [v for v in latest_index.values() if v is not None]
    return {"mean_scores_by_slot": slots, "safety_concern_share": _r(concerned / len(group)),
            "weakest_domain": min(sorted(scored), key=lambda d: scored[d]) if scored else None, "support": support,
            "mean_latest_index": _r(mean(indexes)) if indexes else None,
            "latest_contact_on": max(contacts) if contacts else None}


def reference_insight(country: str, group: list[dict], k: int, updated_at: str) -> dict:
    monitored = [c for c in group if cases.effective_checkins(c)]
    n = len(monitored)
    insight = {"country": country, "returnees": n,
               "checkins": sum(len(cases.effective_checkins(c)) for c in monitored),
               "suppressed": n < k, "k": k, "updated_at": updated_at}
    if n < k:
        return insight
    insight.update(reference_figures(monitored, k))
    regions: dict[str, list] = {}
    for case in monitored:
        regions.setdefault(case.get("region") or "unknown", []).append(case)
    hidden = suppress_partition({g: len(v) for g, v in regions.items()}, k) if len(regions) > 1 else set(regions)
    reason = ("small_group" if len(members) < k else "protects_other" if len(regions) > 1 else "only_region"
              for members in regions.values())
    reasons = dict(zip(regions, reason))
    insight["regions"] = {region: {"suppressed": True, "suppressed_reason": reasons[region]} if region in hidden else {
        "suppressed": False, "returnees": len(members),
        "checkins": sum(len(cases.effective_checkins(c)) for c in members), **reference_figures(members, k)}
        for region, members in sorted(regions.items())}
    return insight


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
