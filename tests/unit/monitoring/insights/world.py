"""Random case histories for the country insights' tests: cases built by the domain's own rules, each write handed
to the insights repository (World) or held and handed over in batches as the insights feed does (Batcher), and
the outbox relay woken by each publication (WokenRelay)."""
from __future__ import annotations

import itertools
import json
import random
import threading
from datetime import date, datetime, timedelta, timezone

from services.monitoring.documents import ContactCalendar, CountryInsight
from services.monitoring.domain import case as cases
from services.monitoring.domain.insights import contribution, fingerprint
from services.monitoring.domain.schedule import Rules
from services.monitoring.domain.scoring import CURRENT, SCHEMES
from services.monitoring.insights_repository import InsightsRepository
from services.monitoring.vocabulary import DOMAINS, SUPPORT_TYPES
from shared.outbox import OutboxRelay
from tests.unit.conftest import RecordingPublisher

K = 3
TODAY = date(2026, 6, 1)
NOW = datetime(2026, 6, 1, 12, tzinfo=timezone.utc)
COUNTRIES = ("NG", "ET")
REGIONS = ("Lagos", "Kano", "St. Louis", "$weird", None)

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
