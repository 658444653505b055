"""Monitoring's persistence: one case per returnee, on mongoengine documents (the only module that
imports `documents` or builds a query).

Cases come out as the domain's plain dicts (`_id`/`returnee_id`, ISO strings for days and instants)
plus two bookkeeping keys: `version` (compare-and-set) and `seen_events` (ids of applied events).
A write is one conditional update of one document: `update(before, after, events)` sets only the
fields and list elements that differ (`diff.py`) between the case as read and as changed, pushes the events
into the outbox (and the Idempotency-Key it answers, if any, into the case's capped list of recent
keys), and succeeds only if nobody wrote the case since it was read.

A case keeps the check-ins its rules read; `move_history` moves the others to `CheckinRecord`s (beside
the requests), and `history` / `get_full` read them back by id (`<returnee id>:<seq>`), never by a scan.
"""
from __future__ import annotations

import json
from abc import ABC, abstractmethod
from dataclasses import dataclass
from datetime import date
from typing import Callable

from mongoengine import NotUniqueError
from ulid import ULID

from services.monitoring.documents import Case, Checkin, CheckinRecord
from services.monitoring.domain import history as histories
from services.monitoring.domain.model import summary
from services.monitoring.vocabulary import ALERT_STATUSES
from shared import store, topics
from shared.outbox import outbox_entry, outbox_push
from shared import document_dicts as dicts
from services.monitoring.repository.diff import BOOKKEEPING, case_from_stored, changes
from services.monitoring.repository.alerts import AlertFilters, AlertReads

def _keep_next_due(case: dict) -> None:
    """The case's `next_due_on` as the domain's summary gives it, written with the case (the due filter's key)."""
    due = summary(case)["next_due_on"]
    if due:
        case["next_due_on"] = due
    else:
        case.pop("next_due_on", None)


ACTIVE_STATES = ("awaiting_arrival", "active")
KEYS_KEPT = 8  # recent Idempotency-Keys a case keeps with their answers (all are copied to the key store too)
ALERT_SCOPE = "."  # alr_<ulid>.<returnee id>: an alert id names its case, so acting on it reads one document


@dataclass(frozen=True)
class CaseFilters:
    country: str | None = None
    partner_id: str | None = None
    state: str | None = None
    planned_only: bool = False  # leave out cases still awaiting arrival (what partners see)
    returnee_ids: tuple = ()  # only these cases (read by `_id`)
    due_by: date | None = None  # only those whose next open check-in is due by this day (`next_due_on`)
    open_alerts: bool = False  # only those with an alert not resolved


class AbstractCaseRepository(ABC):
    @abstractmethod
    def get(self, returnee_id: str) -> dict | None: ...

    @abstractmethod
    def find_by_alert(self, alert_id: str) -> dict | None: ...

    @abstractmethod
    def add(self, case: dict, events: list, event_id: str | None = None) -> bool:
        """Store a new case with its events; False if it exists already."""

    @abstractmethod
    def update(self, before: dict, after: dict, events: list, event_id: str | None = None,
               key: dict | None = None) -> bool:
        """Write what changed from `before` to `after`, with the events (and the Idempotency-Key `key`
        answered, into the case's recent keys); False if someone wrote first."""

    @abstractmethod
    def history(self, case: dict) -> list[dict]:
        """The check-ins `case` moved to its history (not those it holds)."""

    def get_full(self, returnee_id: str) -> dict | None:
        """The case with every check-in it ever recorded (for reading: GET /v1/cases/{id}, the export)."""
        case = self.get(returnee_id)
        return histories.restore(case, self.history(case)) if case else None

    @abstractmethod
    def move_history(self, returnee_id: str) -> bool:
        """Move the check-ins the case no longer needs to its history; False if the case changed meanwhile."""

    @abstractmethod
    def due_for_judgement(self, today: date) -> list[str]: ...

    @abstractmethod
    def cases_page(self, filters: CaseFilters, cursor: str | None, limit: int) -> dict: ...

    @abstractmethod
    def alerts_page(self, filters: AlertFilters, cursor: str | None, limit: int, order: str = "oldest") -> dict:
        """`{items: [(case, alert)], next_cursor}`, oldest alert first, or with `order="worklist"` the most serious
        type first (domain.alerts.SERIOUSNESS) and newest first within a type; `case` holds the ids only."""

    @abstractmethod
    def alert_counts(self, filters: AlertFilters) -> dict[tuple[str, str], int]:
        """(country, type) -> the alerts matching `filters`."""

    @abstractmethod
    def recent_keys(self) -> list[dict]:
        """The Idempotency-Keys the cases hold, with their answers (the key store's repair)."""

    @abstractmethod
    def ids_with_checkins(self) -> list[str]: ...

    @abstractmethod
    def ids_with_notes_before(self, day: date) -> list[str]:
        """Cases holding a check-in note (or reason) from a contact before `day`: retention's work."""

    @abstractmethod
    def monitored(self) -> list[dict]:
        """Every case whose arrival was confirmed (for outcome reports)."""

    @abstractmethod
    def everything(self) -> list[dict]: ...

    @abstractmethod
    def with_checkins(self) -> list[dict]:
        """Every case with at least one check-in (the country insights' repair)."""

    @staticmethod
    def id_maker(returnee_id: str) -> Callable[[str], str]:
        """The id generator for a case's rules: ULIDs, with alert ids scoped to the case."""

        def new_id(prefix: str) -> str:
            suffix = f"{ALERT_SCOPE}{returnee_id}" if prefix == "alr" else ""
            return f"{prefix}_{ULID()}{suffix}"

        return new_id


class CaseRepository(AlertReads, AbstractCaseRepository):
    def __init__(self, notify: Callable = lambda document_class, doc_id: None):
        self.notify = notify

    def get(self, returnee_id: str) -> dict | None:
        # the collection itself, not a queryset: this read and the write below run on every command
        raw = Case._get_collection().find_one({"_id": returnee_id}, {"outbox": 0})
        return case_from_stored(raw) if raw else None

    def find_by_alert(self, alert_id: str) -> dict | None:
        _, scoped, returnee_id = alert_id.partition(ALERT_SCOPE)
        if scoped:
            case = self.get(returnee_id)
        else:  # alerts raised before ids named their case: an indexed query on MongoDB
            raw = Case.objects(alerts__id=alert_id).exclude("outbox").as_pymongo().first()
            case = case_from_stored(raw) if raw else None
        if case is None or not any(a["id"] == alert_id for a in case["alerts"]):
            return None
        return case

    def add(self, case: dict, events: list, event_id: str | None = None) -> bool:
        _keep_next_due(case)
        values = {k: v for k, v in case.items() if k not in BOOKKEEPING}
        document = dicts.instance(Case, {**values, "id": case["_id"], "version": 1,
                                        "outbox": [outbox_entry(topics.MONITORING, e) for e in events],
                                        "seen_events": [event_id] if event_id else []})
        try:
            document.save(force_insert=True)
        except NotUniqueError:
            return False
        case.update(version=1, seen_events=list(document.seen_events))
        self._written(case["_id"], events)
        return True

    def update(self, before: dict, after: dict, events: list, event_id: str | None = None,
               key: dict | None = None) -> bool:
        _keep_next_due(after)
        set_, unset = changes(before, after)
        if not (set_ or unset or events or event_id or key):
            return True  # nothing to write: the judgement found the case as it was
        update = {"$inc": {"version": 1}}
        if set_:
            update["$set"] = set_
        if unset:
            update["$unset"] = unset
        push = outbox_push(topics.MONITORING, *events) if events else {}
        if key:
            push["keys"] = {"$each": [key], "$slice": -KEYS_KEPT}  # built by the handler as stored (KeyEntry)
        if push:
            update["$push"] = push
        if event_id:
            written = store.apply_once(Case.objects(id=before["_id"], version=before["version"]), update, event_id)
        else:
            written = Case._get_collection().update_one({"_id": before["_id"], "version": before["version"]},
                                                        update).modified_count == 1
        if written:
            after["version"] = before["version"] + 1
            if key:
                after["keys"] = ([*(after.get("keys") or []), key])[-KEYS_KEPT:]
            self._written(before["_id"], events)
        return written

    def history(self, case: dict) -> list[dict]:
        if not case.get("archived"):
            return []
        held = {c.get("seq") for c in case["checkins"]}
        ids = [record_id(case["_id"], seq) for seq in range(case.get("checkins_recorded") or 0) if seq not in held]
        raws = CheckinRecord._get_collection().find({"_id": {"$in": ids}}, {"checkin": 1}) if ids else []
        return sorted((dicts.to_domain(Checkin, raw["checkin"]) for raw in raws), key=lambda c: c["seq"])

    def move_history(self, returnee_id: str) -> bool:
        """The records and the case's change in their stored form: each check-in as the case stores it (checked
        when it was written), its records replaced by id (a move tried again writes them again), then the case
        takes them out by id, if nobody wrote it since it was read."""
        cases = Case._get_collection()
        raw = cases.find_one({"_id": returnee_id}, {"outbox": 0})
        before = case_from_stored(dict(raw)) if raw else None
        moving = {c["id"] for c in histories.movable(before)} if before else set()
        if not moving:
            return True
        records = [{"_id": record_id(returnee_id, c["seq"]), "returnee_id": returnee_id, "checkin": dicts.naive_utc(c),
                    "schema_version": CheckinRecord.schema_version.default} for c in raw["checkins"] if c["id"] in moving]
        history = CheckinRecord._get_collection()
        history.delete_many({"_id": {"$in": [record["_id"] for record in records]}})
        history.insert_many(records)
        after = dict(before)
        histories.move_out(after, [c for c in before["checkins"] if c["id"] in moving])
        return cases.update_one({"_id": returnee_id, "version": before["version"]}, {
            "$pull": {"checkins": {"id": {"$in": sorted(moving)}}}, "$inc": {"version": 1},
            "$set": {"archived": after["archived"], "history": dicts.field_to_stored(Case, "history", after["history"])},
        }).modified_count == 1

    def _written(self, returnee_id: str, events: list) -> None:
        if events:
            self.notify(Case, returnee_id)

    def due_for_judgement(self, today: date) -> list[str]:
        query = Case.objects(state__in=ACTIVE_STATES, next_check_on__lte=today).only("id")
        return [raw["_id"] for raw in query.as_pymongo()]

    def cases_page(self, filters: CaseFilters, cursor: str | None, limit: int) -> dict:
        query = {k: getattr(filters, k) for k in ("country", "partner_id", "state") if getattr(filters, k)}
        if filters.planned_only and not filters.state:
            query["state__ne"] = "awaiting_arrival"
        if filters.returnee_ids:
            query["id__in"] = list(filters.returnee_ids)
        if filters.due_by:
            query["next_due_on__lte"] = store.to_datetime(filters.due_by)
        if filters.open_alerts:
            query["alerts__status__in"] = [s for s in ALERT_STATUSES if s != "resolved"]
        return store.page(Case.objects(**query).exclude("outbox", "seen_events"), limit, cursor, case_from_stored)

    def recent_keys(self) -> list[dict]:
        """Every case's recent Idempotency-Keys with their answers, as the key store keeps them."""
        query = Case.objects(__raw__={"keys.0": {"$exists": True}}).only("keys")
        return [{**k, "body": json.loads(k["answer"])} for raw in query.as_pymongo() for k in raw["keys"]]

    def ids_with_checkins(self) -> list[str]:
        query = Case.objects(__raw__={"checkins.0": {"$exists": True}}).only("id")
        return [raw["_id"] for raw in query.as_pymongo()]

    def ids_with_notes_before(self, day: date) -> list[str]:
        kept, before = {"$nin": ["", None]}, {"$lt": store.to_datetime(day)}
        query = Case.objects(__raw__={"checkins": {"$elemMatch": {"contact_date": before, "$or": [
            {"notes": kept}, {"reason": kept}]}}}).only("id")
        in_history = CheckinRecord.objects(__raw__={"checkin.contact_date": before, "$or": [
            {"checkin.notes": kept}, {"checkin.reason": kept}]}).only("returnee_id")
        return sorted({raw["_id"] for raw in query.as_pymongo()} |
                      {raw["returnee_id"] for raw in in_history.as_pymongo()})

    def monitored(self) -> list[dict]:
        return self._cases(Case.objects(arrived_on__ne=None))

    def everything(self) -> list[dict]:
        return self._cases(Case.objects)

    def with_checkins(self) -> list[dict]:
        return self._cases(Case.objects(__raw__={"checkins.0": {"$exists": True}}), whole=False)

    def _cases(self, query, whole: bool = True) -> list[dict]:
        """The cases of `query`, each with its whole history unless `whole` is False (the tally suffices)."""
        cases = [case_from_stored(raw) for raw in query.exclude("outbox", "seen_events").order_by("id").as_pymongo()]
        return [histories.restore(case, self.history(case)) for case in cases] if whole else cases


def record_id(returnee_id: str, seq: int) -> str:
    """The history record of a case's check-in number `seq`."""
    return f"{returnee_id}:{seq}"
