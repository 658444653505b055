"""Country insights kept incrementally, and published by a release rule against differencing.

Each returnee has a small contribution document (their effective check-ins summed per slot and
domain, safety flag, support types, latest index; see `domain.insights.contribution`) and each
country a totals document. A case change computes the new contribution, stores it with the change
still to apply (`unapplied`), then `$inc`s the country totals by the difference, recording the
change's id in the same write (`apply_once`), so replays and crashes between the two writes neither
lose nor double count. Every query selects by `_id`: the cost does not depend on the history size.

Release rule: a country's insight is published only once the data of at least `release_min`
distinct returnees changed since its last publication (a returnee whose data changed back does not
count), so two consecutive publications never differ by fewer than that many returnees. The
publication is computed from the totals and stored with its `country.insights_updated.v1` event in
the same write as the change that completes it, and the relay is woken at once.

`repair` rebuilds everything from all cases (on start and rarely after): never on the hot path.
"""
from __future__ import annotations

import copy
import logging
from datetime import datetime
from typing import Callable, Iterable

from mongoengine.errors import NotUniqueError

from services.monitoring.documents import ContactCalendar, CountryInsight, InsightContribution
from services.monitoring.domain.insight_changes import parts_of_change, pending_after, summed
from services.monitoring.domain.insights import (apply_increments, contribution, insight_from_totals, latest_pages,
                                                 totals_of_contributions)
from services.monitoring.events import INSIGHTS_UPDATED, build_event
from shared import store, topics
from shared.http import iso
from shared.outbox import outbox_push

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 16
HEAD = ("version", "totals", "pending", "release", "seen_events")  # what an update reads of a country


class InsightsRepository:
    def __init__(self, k: int, release_min: int | None = None,
                 notify: Callable[[type, str], None] = lambda cls, doc_id: None):
        self.k = k
        self.release_min = max(release_min if release_min is not None else k, 1)
        self.notify = notify

    # --- following the cases ---------------------------------------------------------------------------

    def case_changed(self, case: dict, now: datetime) -> None:
        """Bring the case's returnee's contribution up to date (no-op when replayed with the same state)."""
        self.cases_changed([case], now)

    def case_removed(self, returnee_id: str, country: str, now: datetime) -> None:
        """The returnee's data leaves the figures (erasure)."""
        self._follow([(returnee_id, country, None, None)], now)

    def cases_changed(self, cases: Iterable[dict], now: datetime) -> None:
        """Follow many cases at once: each returnee's contribution is staged, then each country's totals
        take all their changes in one write. An erased case leaves the figures."""
        latest: dict[str, dict] = {}  # one state per returnee: the newest (a state without a version is)
        for case in cases:
            returnee_id = case.get("returnee_id") or case["_id"]
            kept = latest.get(returnee_id)
            if kept is None or None in (case.get("version"), kept.get("version")) or \
                    case["version"] >= kept["version"]:
                latest[returnee_id] = case
        self._follow([(returnee_id, case.get("country") or "", None if case.get("erased") else contribution(case),
                       case.get("version")) for returnee_id, case in latest.items()], now)

    def _follow(self, changes: list[tuple], now: datetime) -> None:
        """Never raises: what is left undone is finished by the returnee's next change or by the repair."""
        staged = []
        for returnee_id, country, new, case_version in changes:
            try:
                doc = self._stage(returnee_id, country, new, case_version, now)
            except Exception:  # noqa: BLE001 - the case is stored; the figures catch up
                log.exception("country insights: the change of %s is left to the repair", returnee_id)
                continue
            if doc:
                staged.append(doc)
        try:
            self._finish_all(staged, now)
        except Exception:  # noqa: BLE001 - staged changes stay unapplied until the next change or the repair
            log.exception("country insights: %d staged changes are left to the repair", len(staged))

    def _stage(self, returnee_id: str, country: str, new: dict | None, case_version: int | None,
               now: datetime) -> dict | None:
        """Store the returnee's new contribution with the change still to apply to the totals; returns
        `{_id, version, unapplied}`, or None when there is nothing to change."""
        for _ in range(MAX_ATTEMPTS):
            doc = InsightContribution.objects(id=returnee_id).as_pymongo().first()
            if doc and doc.get("unapplied"):
                self._finish_all([doc], now)  # changes for one returnee reach the totals in order
                continue
            stored_version = (doc or {}).get("case_version")
            if case_version is not None and stored_version is not None and case_version < stored_version:
                return None  # an older state of the case arrived late
            old, old_country = (doc or {}).get("data"), (doc or {}).get("country", "")
            if old == new and (new is None or old_country == country):
                return None
            version = (doc or {}).get("version", 0)
            parts = parts_of_change(returnee_id, f"{returnee_id}:{version + 1}", old_country, old, country, new)
            changes = {"data": new, "country": country, "unapplied": parts}
            if case_version is not None or stored_version is not None:
                changes["case_version"] = max(v for v in (case_version, stored_version) if v is not None)
            try:
                written = InsightContribution.objects(id=returnee_id, version=version).update_one(
                    upsert=doc is None, __raw__={"$set": changes, "$inc": {"version": 1}})
            except NotUniqueError:
                continue  # created meanwhile
            if written:
                return {"_id": returnee_id, "version": version + 1, "unapplied": parts}
        raise RuntimeError(f"insight contribution of {returnee_id} kept changing; the repair will catch up")

    def _finish_all(self, docs: list[dict], now: datetime) -> None:
        """Add the contributions' unapplied changes to the totals, one write per country, then clear them.
        A country that fails keeps its contributions' changes unapplied, for their next change or the repair."""
        by_country: dict[str, list] = {}
        for doc in docs:
            for part in doc["unapplied"]:
                by_country.setdefault(part["country"], []).append(part)
        failed = set()
        for country, parts in by_country.items():
            try:
                self._apply(country, parts, now)
            except Exception:  # noqa: BLE001
                log.exception("country insights: changes of %s are left to the repair", country)
                failed.add(country)
        for doc in docs:
            if not any(part["country"] in failed for part in doc["unapplied"]):
                InsightContribution.objects(id=doc["_id"], version=doc["version"]).update_one(
                    __raw__={"$set": {"unapplied": []}})

    def _apply(self, country: str, parts: list[dict], now: datetime) -> None:
        """Changes to one country's totals in one write, publishing when the release rule says so
        (each change counted once, however often it is applied)."""
        pages: dict[str, list] = {}
        for part in parts:
            for page in part.get("days", {}):
                pages.setdefault(page, []).append(part)
        for page, page_parts in pages.items():
            self._turn(f"{country}/{page}", page, page_parts)
        for _ in range(MAX_ATTEMPTS):
            doc = self._totals(country)
            seen = set(doc.get("seen_events", []))
            todo = [part for part in parts if part["id"] not in seen]
            if not todo:
                return
            pending = doc.get("pending") or {}
            for part in todo:
                pending = pending_after(pending, part)
            inc = summed(part["inc"] for part in todo)
            update = {"$inc": {"version": 1, **{f"totals.{path}": n for path, n in inc.items()}},
                      "$set": {"pending": pending}}
            release = len(pending) >= self.release_min
            if release:
                number = doc.get("release", 0) + 1
                totals = apply_increments(copy.deepcopy(doc.get("totals") or {}), inc)
                insight = {**insight_from_totals(country, totals, self._pages(country, totals), self.k, iso(now)),
                           "version": number}
                event = build_event(INSIGHTS_UPDATED, country, insight, now)
                update["$set"] = {"pending": {}, "insight": insight, "release": number, "published_at": now}
                update["$push"] = outbox_push(topics.INSIGHTS, event)
            if store.apply_once(CountryInsight.objects(id=country, version=doc.get("version", 0)), update,
                                [part["id"] for part in todo]):
                if release:
                    self.notify(CountryInsight, country)
                return
        raise RuntimeError(f"insights of {country} kept changing; the repair will catch up")

    def _totals(self, country: str) -> dict:
        """The country's totals (not its outbox nor its last insight), created on first use."""
        doc = CountryInsight.objects(id=country).only(*HEAD).as_pymongo().first()
        if doc is None or "release" not in doc:
            legacy = (CountryInsight.objects(id=country).only("insight").as_pymongo().first() or {}).get("insight")
            CountryInsight.objects(id=country).update_one(upsert=True, __raw__={
                "$setOnInsert": {"version": 0, "totals": {}, "pending": {}, "outbox": [], "seen_events": [],
                                 "schema_version": CountryInsight.schema_version.default},
                "$set": {"release": (legacy or {}).get("version", 0)}})  # before `release`: the insight's
            doc = CountryInsight.objects(id=country).only(*HEAD).as_pymongo().first()
        return doc

    @staticmethod
    def _turn(page_id: str, page: str, parts: list[dict]) -> None:
        """Count changes on one calendar page, each once."""
        for _ in range(MAX_ATTEMPTS):
            doc = ContactCalendar.objects(id=page_id).only("version", "seen_events").as_pymongo().first()
            if doc is None:
                ContactCalendar.objects(id=page_id).update_one(upsert=True, __raw__={
                    "$setOnInsert": {"days": {}, "seen_events": [], "version": 0}})
                continue
            seen = set(doc.get("seen_events", []))
            todo = [part for part in parts if part["id"] not in seen]
            if not todo:
                return
            days = summed(part["days"][page] for part in todo)
            update = {"$inc": {"version": 1, **{f"days.{day}": n for day, n in days.items()}}}
            if store.apply_once(ContactCalendar.objects(id=page_id, version=doc.get("version", 0)), update,
                                [part["id"] for part in todo]):
                return
        raise RuntimeError(f"calendar page {page_id} kept changing; the repair will catch up")

    @staticmethod
    def _pages(country: str, totals: dict) -> dict:
        """The calendar pages that hold each region's latest contact (one read per region)."""
        pages = {}
        for page in latest_pages(totals):
            doc = ContactCalendar.objects(id=f"{country}/{page}").only("days").as_pymongo().first()
            pages[page] = (doc or {}).get("days") or {}
        return pages

    # --- reads ----------------------------------------------------------------------------------------

    def get(self, country: str) -> dict | None:
        """The last published insight of a country, if any."""
        doc = CountryInsight.objects(id=country).only("insight").as_pymongo().first()
        return (doc or {}).get("insight") or None

    # --- the repair -----------------------------------------------------------------------------------

    def repair(self, cases: Iterable[dict], now: datetime) -> int:
        """Rebuild from all cases with check-ins: contributions brought up to the cases, returnees without
        a case removed, and each country's totals checked against its contributions and corrected.
        Scans whole collections; runs on start and rarely after. Returns the countries corrected."""
        known = set()
        for case in cases:
            self.case_changed(case, now)
            known.add(case.get("returnee_id") or case["_id"])
        for doc in InsightContribution.objects(__raw__={"data": {"$ne": None}}).only("country").as_pymongo():
            if doc["_id"] not in known:
                self.case_removed(doc["_id"], doc.get("country", ""), now)
        heads = {d["_id"]: d for d in CountryInsight.objects().only("version", "totals").as_pymongo()}
        pages: dict[str, dict] = {}  # read before the contributions: a change after that moves a version
        for doc in ContactCalendar.objects().only("version", "days").as_pymongo():
            pages.setdefault(doc["_id"].split("/", 1)[0], {})[doc["_id"]] = doc
        contributions: dict[str, list] = {}
        busy = set()
        for doc in InsightContribution.objects().only("country", "data", "unapplied").as_pymongo():
            contributions.setdefault(doc.get("country", ""), []).append(doc.get("data"))
            if doc.get("unapplied"):
                busy.add(doc.get("country", ""))
        corrected = 0
        for country, head in heads.items():
            if country in busy:
                continue  # a change is on its way; the next repair looks again
            totals, calendar = totals_of_contributions(contributions.get(country, []))
            drifted = _correct(CountryInsight, {country: head}, {country: totals}, "totals")
            drifted += _correct(ContactCalendar, pages.get(country, {}),
                                {f"{country}/{page}": days for page, days in calendar.items()}, "days")
            if drifted:
                log.warning("country insight of %s drifted; corrected from the contributions", country)
                corrected += 1
        return corrected


def _correct(document_class, stored: dict, expected: dict, field: str) -> int:
    """Set `field` of each stored document that differs from what is expected, unless it moved meanwhile."""
    corrected = 0
    for doc_id in stored.keys() | expected.keys():
        doc = stored.get(doc_id, {})
        if store.without_zeros(doc.get(field)) == store.without_zeros(expected.get(doc_id, {})):
            continue
        try:
            corrected += document_class.objects(id=doc_id, version=doc.get("version", 0)).update_one(
                upsert=not doc, __raw__={"$set": {field: expected.get(doc_id, {})}, "$inc": {"version": 1}})
        except NotUniqueError:
            pass  # created meanwhile: the next repair looks again
    return corrected
