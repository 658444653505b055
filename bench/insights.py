"""Country insight update cost at 1,000 vs 100,000 stored check-ins (embedded store).

Times `InsightsRepository.case_changed` (contribution, totals `$inc`, and the publication when the
release rule says so) for a returnee's new check-in, in a country whose other returnees already hold
1,000 or 100,000 check-ins over the same calendar (a year, 10 regions). The stored state is what
`case_changed` would have built (contribution documents, totals, calendar), inserted in bulk to save time.
The relay drains the outbox between updates, outside the timing, as its own thread would.

Run: `.venv/bin/python -m bench.insights` (prints the times and the ratio).
"""
from __future__ import annotations

import cProfile
import pstats
import random
import statistics
import sys
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COUNTRY = "NG"
REGIONS = [f"region-{i}" for i in range(10)]
SLOTS = [1, 3, 6, 9, 12]
SUPPORT = ("housing", "medical", "business", "education", "cash")
FIRST_DAY = date(2025, 6, 1)
NOW = datetime(2026, 6, 1, 12, tzinfo=timezone.utc)


def make_case(rng: random.Random, rid: str, checkins: int) -> dict:
    """A returnee's case as the domain holds it, with `checkins` effective check-ins."""
    from services.monitoring.vocabulary import DOMAINS

    items = []
    for i in range(checkins):
        day = FIRST_DAY + timedelta(days=rng.randint(0, 364))
        items.append({"id": f"{rid}-{i}", "slot": SLOTS[i] if i < len(SLOTS) else "ad_hoc",
                      "contact_date": day.isoformat(), "recorded_at": f"{day}T10:00:00Z", "superseded_by": None,
                      "scores": {d: rng.randint(1, 5) for d in rng.sample(DOMAINS, 3)},
                      "safety_concern": rng.random() < 0.1,
                      "support_delivered": [{"type": rng.choice(SUPPORT)}] if rng.random() < 0.3 else []})
    return {"_id": rid, "returnee_id": rid, "country": COUNTRY, "region": rng.choice(REGIONS), "version": 1,
            "checkins": items, "latest_index": round(rng.random(), 4)}


def populate(stored_checkins: int, rng: random.Random) -> list[dict]:
    """Store the contributions, totals and contact calendar of stored_checkins / 5 returnees; returns their cases."""
    from services.monitoring.documents import ContactCalendar, CountryInsight, InsightContribution
    from services.monitoring.domain.insights import contribution, totals_of_contributions

    cases = [make_case(rng, f"rtn_{i:06d}", 5) for i in range(stored_checkins // 5)]
    datas = [contribution(c) for c in cases]
    InsightContribution._get_collection().insert_many(
        [{"_id": c["_id"], "country": COUNTRY, "data": d, "case_version": 1, "unapplied": [], "version": 1,
          "outbox": [], "seen_events": [], "schema_version": 1} for c, d in zip(cases, datas)])
    totals, calendar = totals_of_contributions(datas)
    CountryInsight._get_collection().insert_one(
        {"_id": COUNTRY, "totals": totals, "pending": {}, "release": 0, "version": 1,
         "outbox": [], "seen_events": [], "schema_version": 1})
    ContactCalendar._get_collection().insert_many(
        [{"_id": f"{COUNTRY}/{page}", "days": days, "version": 1, "outbox": [], "seen_events": [],
          "schema_version": 1} for page, days in calendar.items()])
    return cases


def measure(stored_checkins: int, updates: int = 400, seed: int = 7, profile=None) -> float:
    """Median CPU seconds of one `case_changed` (a new ad-hoc check-in of a stored returnee); with a
    `cProfile.Profile`, also counts the Python calls the updates make (a measure that load cannot blur)."""
    from services.monitoring.documents import ALIAS, CountryInsight
    from services.monitoring.insights_repository import InsightsRepository
    from shared import store
    from shared.config import Settings
    from shared.outbox import OutboxRelay
    from tests.unit.conftest import RecordingPublisher

    store.connect(Settings.from_env("monitoring", environ={}), ALIAS)
    rng = random.Random(seed)
    cases = populate(stored_checkins, rng)
    relay = OutboxRelay([CountryInsight], RecordingPublisher())
    repo = InsightsRepository(5, notify=relay.notify)
    samples = []
    for n in range(updates):
        case = cases[rng.randrange(len(cases))]
        case["checkins"].append({**make_case(rng, case["_id"], 1)["checkins"][0], "id": f"x{n}", "slot": "ad_hoc"})
        case["version"] += 1
        start = time.thread_time()  # CPU time: other processes on a shared machine do not count
        if profile is not None:
            profile.runcall(repo.case_changed, case, NOW)
        else:
            repo.case_changed(case, NOW)
        samples.append(time.thread_time() - start)
        relay.run_once(sweep=False)  # the relay's thread, not part of the update
    assert relay.published >= updates // 10, "the release rule should have published"
    return statistics.median(samples)


def main(rounds: int = 5) -> None:
    """Interleaved rounds (the first warms up imports and caches); the median of each size's medians."""
    sys.path.insert(0, str(ROOT))
    times = {1_000: [], 100_000: []}
    for _ in range(rounds):
        for size in times:
            times[size].append(measure(size))
    for size, samples in times.items():
        print(f"{size:>7,} stored check-ins, median per round: " + ", ".join(f"{t * 1000:.3f}" for t in samples) + " ms")
    small, large = (statistics.median(times[size]) for size in times)
    print(f"case_changed with   1,000 stored check-ins: {small * 1000:.3f} ms (median of {rounds} rounds)")
    print(f"case_changed with 100,000 stored check-ins: {large * 1000:.3f} ms (median of {rounds} rounds)")
    print(f"ratio 100k / 1k: {large / small:.2f}x (goal: at most 1.3x)")
    calls = {}
    for size in times:
        profile = cProfile.Profile()
        measure(size, profile=profile)
        calls[size] = pstats.Stats(profile).total_calls / 400
    print(f"Python calls per update: {calls[1_000]:.0f} at 1k, {calls[100_000]:.0f} at 100k "
          f"(ratio {calls[100_000] / calls[1_000]:.2f}x)")


if __name__ == "__main__":
    main()
