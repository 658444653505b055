"""Intake's read models: the counts per status, country, office and trajectory, and the per-day table of
entries and exits the quarterly report and the programme results read (tallies.py says what is counted).

A returnee's write carries, in the same update, the change it makes to the read models
(`tally_pending`: `{id, inc}`, the returnee's id and new version); right after it the repository adds the
change to each read model it touches, recording the change's id in the same update (`apply_once`), and
takes it off the returnee. A process that stops in between leaves the change on the returnee: the repair
applies it (once) and rebuilds every read model from the returnees, correcting any that drifted. Reads
select by `_id`: a count or a report costs the same with 1,000 or 100,000 returnees.
"""
from __future__ import annotations

import logging
from collections import Counter, defaultdict

from mongoengine import NotUniqueError

from services.intake import tallies
from services.intake.documents import ReadModel, Returnee
from services.intake.reports.days import DayTable
from shared.store import SEEN_CAP, without_zeros

log = logging.getLogger(__name__)
REPORT_FIELDS = ("history", "registered_on", "created_at", "departed_on", "arrived_on", "outcomes", "office",
                 "trajectory_history", "exit", "status", "consultant",  # office and consultant: whose (shared.access)
                 "country_of_return", "gender", "date_of_birth", "vulnerabilities")  # the breakdowns' groups
FACT_FIELDS = REPORT_FIELDS + ("trajectory", "erased", "version", "tally_pending")


def pending(change_id: str, inc: dict) -> dict:
    """What a returnee's write `$push`es to `tally_pending` (counters as pairs: a consultant's name may hold a dot)."""
    return {"id": change_id, "inc": sorted([key, n] for key, n in inc.items())}


class ReadModels:
    def apply(self, returnee_id: str, change: dict) -> None:
        """Add one change to the read models it touches, once each, then take it off the returnee."""
        by_doc: dict[str, dict] = defaultdict(dict)
        for key, n in change["inc"]:
            for doc_id, path, value in tallies.places(key, n):
                by_doc[doc_id][path] = by_doc[doc_id].get(path, 0) + value
        for doc_id, inc in by_doc.items():
            _apply_once(doc_id, inc, change["id"])
        Returnee.objects(id=returnee_id).update_one(__raw__={"$pull": {"tally_pending": {"id": change["id"]}}})

    def counts(self, filters: dict) -> dict:
        doc_id = f"counts:{filters['consultant']}" if filters.get("consultant") else "counts"
        doc = ReadModel._get_collection().find_one({"_id": doc_id}, {"cells": 1})
        return tallies.counts_from((doc or {}).get("cells"), filters)

    def day_table(self, office: str | None = None, region: str | None = None, breakdowns: bool = False) -> DayTable:
        """The day table of one office, one region or (neither) the whole programme: a document a year, and
        with `breakdowns` the groups' (`groups:<scope>:<year>-<month>`: a group per country, gender, month of
        birth and vulnerability, many more counters than the figures', read only by a report with a breakdown)."""
        scope = tallies.scope(office, region)
        collection = ReadModel._get_collection()
        held, months = [], defaultdict(Counter)  # (id, year, month or None for a year's)
        for kind in ("days", "groups") if breakdowns else ("days",):
            prefix = f"{kind}:{scope}:"
            for doc in collection.find({"_id": {"$gt": prefix, "$lt": prefix + "~"}}, {"months": 1}) \
                    .sort("_id", 1).limit(1000):
                year, _, month = doc["_id"].rsplit(":", 1)[1].partition("-")
                held.append((doc["_id"], int(year), int(month) if month else None))
                for mm, counters in (doc.get("months") or {}).items():
                    months[(int(year), int(mm))].update(counters)

        def load_days(year: int, month: int) -> dict[int, Counter]:
            days = defaultdict(Counter)
            mm = f"{month:02d}"
            ids = [doc_id for doc_id, y, m in held if y == year and m in (None, month)]
            for doc in collection.find({"_id": {"$in": ids}}, {f"days.{mm}": 1}):
                for dom, counters in ((doc.get("days") or {}).get(mm) or {}).items():
                    days[int(dom)].update(counters)
            return days

        return DayTable(dict(months), load_days)

    # --- the repair -----------------------------------------------------------------------------------

    def repair(self) -> int:
        """Apply the changes left on returnees, then rebuild every read model from the returnees and correct
        those that differ (unless a change to them is under way). Scans every returnee: a job, never a request.
        Returns how many read models were corrected."""
        for doc in Returnee.objects(__raw__={"tally_pending.0": {"$exists": True}}).only("tally_pending").as_pymongo():
            for change in doc["tally_pending"]:
                self.apply(doc["_id"], change)
        heads = {doc["_id"]: doc for doc in ReadModel._get_collection().find({})}  # before the returnees
        expected: dict[str, dict] = defaultdict(dict)
        busy = set()
        for doc in Returnee.objects.only(*FACT_FIELDS).as_pymongo():
            for key, n in tallies.contribution(doc).items():
                for doc_id, path, value in tallies.places(key, n):
                    _add(expected[doc_id], path, value)
            for change in doc.get("tally_pending") or ():
                busy.update(doc_id for key, n in change["inc"] for doc_id, _, _ in tallies.places(key, n))
        corrected = 0
        for doc_id in (heads.keys() | expected.keys()) - busy:
            head = heads.get(doc_id, {})
            fields = {name: expected.get(doc_id, {}).get(name, {}) for name in ("cells", "months", "days")}
            if all(without_zeros(head.get(name) or {}) == without_zeros(value) for name, value in fields.items()):
                continue
            try:
                corrected += ReadModel.objects(id=doc_id, version=head.get("version", 0)).update_one(
                    upsert=not head, __raw__={"$set": fields, "$inc": {"version": 1}})
            except NotUniqueError:
                pass  # created meanwhile: the next repair looks again
        if corrected:
            log.warning("intake read models: %d corrected from the returnees", corrected)
        return corrected


def _apply_once(doc_id: str, inc: dict, change_id: str) -> None:
    update = {"$inc": {**inc, "version": 1}, "$push": {"seen_events": {"$each": [change_id], "$slice": -SEEN_CAP}}}
    for _ in range(3):
        try:
            ReadModel.objects(id=doc_id, seen_events__ne=change_id).update_one(upsert=True, __raw__=update)
            return
        except NotUniqueError:  # the model exists and applied the change already, or was created meanwhile
            if ReadModel.objects(id=doc_id, seen_events=change_id).count():
                return


def _add(doc: dict, path: str, n: int) -> None:
    *parents, leaf = path.split(".")
    for name in parents:
        doc = doc.setdefault(name, {})
    doc[leaf] = doc.get(leaf, 0) + n
