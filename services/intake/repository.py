"""Intake's persistence: returnees, country insights and personal keys, on mongoengine documents.

The only module that imports `documents` or builds queries. Handlers and views get and give
returnees as plain dicts in the API's shape (`id`, days as `date`), plus `version` for the next
conditional write. Every write of a returnee is one single-document update: the state change and
its outbox events together, conditional on the version (and status) that was read, or, for events
from other services, together with the event id (`apply_once`).
"""
from __future__ import annotations


from datetime import datetime
from typing import Callable, Iterable

from mongoengine import NotUniqueError

from services.intake.documents import ConsumerMark, CountryInsight, PersonalKey, Returnee, ReturnOrganisation
from services.intake import search, tallies
from services.intake.domain import DEFAULT_TRAJECTORY
from services.intake.port import AbstractReturneeRepository
from services.intake.queries import listed_filter
from services.intake.read_model_repository import FACT_FIELDS, REPORT_FIELDS, ReadModels, pending
from shared import store, topics
from shared.events import Envelope
from shared.freshness import events_as_of
from shared.document_dicts import stored_days, with_days
from shared.outbox import outbox_push

Notify = Callable[[type, str], None]
INTERNAL = ("_id", "outbox", "seen_events", "schema_version", "erased", search.FIELD, "tally_pending")
MAX_ATTEMPTS = 16
NO_SUMMARY = {"next_due_on": None, "latest_index": None, "open_alerts": 0,
               "latest_scores": None, "latest_scored_on": None}


class ReturneeRepository(AbstractReturneeRepository):
    """The mongoengine implementation. `notify(Returnee, id)` wakes the outbox relay after a write
    that stored events, so they are published at once rather than on the relay's next sweep."""

    def __init__(self, notify: Notify = lambda document_class, doc_id: None):
        self.notify = notify
        self.read_models = ReadModels()

    # --- returnees ---------------------------------------------------------------------------------

    def add(self, returnee: dict, events: Iterable[Envelope]) -> dict:
        fields = {name: value for name, value in returnee.items() if name != "id"}
        outbox = outbox_push(topics.RETURNEES, *events)["outbox"]["$each"]
        document = Returnee(id=returnee["id"], outbox=outbox, **fields)
        document.validate()
        # mongoengine leaves out None fields; a field the client sent as null stays null, as the API always showed it
        stored = document.to_mongo().to_dict()
        stored.update({name: None for name, value in fields.items() if value is None})
        stored[search.FIELD] = search.words(returnee)
        tally = _pending(returnee["id"], 0, None, stored)
        if tally:
            stored["tally_pending"] = [tally]
        Returnee._get_collection().insert_one(stored)
        if tally:
            self.read_models.apply(returnee["id"], tally)
        self.notify(Returnee, returnee["id"])
        return self.get(returnee["id"])

    def get(self, returnee_id: str) -> dict | None:
        doc = _visible(Returnee.objects(id=returnee_id)).first()
        return from_document(doc) if doc else None

    def events_as_of(self) -> datetime | None:
        return events_as_of(ConsumerMark)

    def page(self, filters: dict, cursor: str | None, limit: int) -> dict:
        listed = Returnee.objects(__raw__=listed_filter(filters, cursor))
        return store.page(listed.exclude("outbox", "seen_events", search.FIELD), limit, None, from_document)

    def counts(self, filters: dict) -> dict:
        return self.read_models.counts(filters)  # one read model, kept by each write

    def change(self, returnee: dict, changes: dict, events: Iterable[Envelope] = (),
               step: dict | None = None) -> dict | None:
        events = list(events)
        update = {"$set": to_document(changes), "$inc": {"version": 1}}
        if any(name in changes for name in search.SOURCES):
            update["$set"][search.FIELD] = search.words({**returnee, **changes})
        push = outbox_push(topics.RETURNEES, *events) if events else {}
        if step:
            push["history"] = step
        version = returnee.get("version", 0)
        tally = _pending(returnee["id"], version + 1, returnee, tallies.after(returnee, changes, step))
        if tally:
            push["tally_pending"] = tally
        if push:
            update["$push"] = push
        query = Returnee.objects(id=returnee["id"], status=returnee["status"], version=version)
        if not query.update_one(__raw__=update):
            return None
        if tally:
            self.read_models.apply(returnee["id"], tally)
        if events:
            self.notify(Returnee, returnee["id"])
        return self.get(returnee["id"])

    def erase(self, returnee_id: str, fields: Iterable[str], events: Iterable[Envelope], at: datetime) -> bool:
        fields, events = [*fields, search.FIELD], list(events)
        update = {"$set": {"erased": True, "updated_at": at, "consent": None}, "$inc": {"version": 1},
                  "$unset": {name: "" for name in fields}, "$push": outbox_push(topics.RETURNEES, *events)}
        for _ in range(MAX_ATTEMPTS):
            doc = Returnee.objects(id=returnee_id, erased__ne=True).only(*FACT_FIELDS).as_pymongo().first()
            if doc is None:
                return False
            tally = _pending(returnee_id, doc.get("version", 0) + 1, doc, {**tallies.without(doc, fields), "erased": True})
            push = {**update["$push"], **({"tally_pending": tally} if tally else {})}
            if Returnee.objects(id=returnee_id, erased__ne=True, version=doc.get("version", 0)).update_one(
                    __raw__={**update, "$push": push}):
                break
        else:
            return False
        if tally:
            self.read_models.apply(returnee_id, tally)
        self.notify(Returnee, returnee_id)
        self.destroy_personal_key(returnee_id)
        return True

    def ids_with_status(self, statuses: Iterable[str]) -> list[str]:
        """The returnees (not erased) of these statuses, by the status index."""
        query = Returnee.objects(__raw__={"status": {"$in": list(statuses)}, "erased": {"$ne": True}})
        return [doc["_id"] for doc in query.only("id").as_pymongo()]

    def closed_before(self, statuses: Iterable[str], at: datetime) -> list[str]:
        statuses = list(statuses)
        query = Returnee.objects(__raw__={"status": {"$in": statuses}, "erased": {"$ne": True},
                                          "history": {"$elemMatch": {"status": {"$in": statuses}, "at": {"$lte": at}}}})
        return [doc["_id"] for doc in query.only("id").as_pymongo()]

    def report_facts(self, offices: Iterable[str] | None = None) -> list[dict]:
        query = Returnee.objects if offices is None else Returnee.objects(office__in=list(offices))
        return list(query.only(*REPORT_FIELDS).as_pymongo())

    def report_days(self, office: str | None = None, region: str | None = None, breakdowns: bool = False):
        return self.read_models.day_table(office, region, breakdowns)

    def repair_read_models(self) -> int:
        return self.read_models.repair()

    def apply_handover_event(self, event_id: str, returnee_id: str, handover_id: str, from_statuses: Iterable[str],
                             changes: dict, step: dict) -> bool:
        query = Returnee.objects(id=returnee_id, status__in=list(from_statuses), handover__id=handover_id)
        update = {"$set": to_document(changes), "$push": {"history": step}, "$inc": {"version": 1}}
        return self._apply_event(returnee_id, query, update, event_id, changes, step)

    def apply_monitoring_event(self, event_id: str, returnee_id: str, changes: dict,
                               completion: dict | None = None) -> bool:
        query = Returnee.objects(id=returnee_id)
        changes = to_document(changes)
        completed = {**changes, "status": completion["status"]} if completion else {}
        if completion and self._apply_event(
                returnee_id, query.filter(status="arrived"),
                {"$set": completed, "$push": {"history": completion}, "$inc": {"version": 1}}, event_id,
                completed, completion):
            return True
        # not arrived (or already applied): the summary alone; a redelivery is a no-op here too
        return self._apply_event(returnee_id, query, {"$set": changes}, event_id, changes)

    def _apply_event(self, returnee_id: str, query, update: dict, event_id: str, changes: dict,
                     step: dict | None = None) -> bool:
        """`apply_once` with the change to the read models in the same write; a write that changes them is
        conditional on the version read (and raises it), so that each change is computed from the state it changes."""
        for _ in range(MAX_ATTEMPTS):
            doc = Returnee.objects(id=returnee_id).only(*FACT_FIELDS).as_pymongo().first()
            if doc is None:
                return False
            version = doc.get("version", 0)
            tally = _pending(returnee_id, version + 1, doc, tallies.after(doc, changes, step))
            if not tally:
                return store.apply_once(query, update, event_id)
            written = {**update, "$inc": {"version": 1}, "$push": {**update.get("$push", {}), "tally_pending": tally}}
            if store.apply_once(query.filter(version=version), written, event_id):
                self.read_models.apply(returnee_id, tally)
                return True
            if Returnee.objects(id=returnee_id, version=version).count():
                return False  # not applicable, or applied before
        return False

    # --- return organisations --------------------------------------------------------------------------

    def organisations(self, include_inactive: bool = False) -> list[dict]:
        query = ReturnOrganisation.objects if include_inactive else ReturnOrganisation.objects(active=True)
        return [_organisation(doc) for doc in query.order_by("name").as_pymongo()]

    def organisation(self, organisation_id: str) -> dict | None:
        doc = ReturnOrganisation.objects(id=organisation_id).as_pymongo().first()
        return _organisation(doc) if doc else None

    def add_organisation(self, organisation: dict) -> bool:
        try:
            ReturnOrganisation(**organisation).save(force_insert=True)
        except NotUniqueError:
            return False
        return True

    def set_organisation_active(self, organisation_id: str, active: bool) -> dict | None:
        ReturnOrganisation.objects(id=organisation_id).update_one(set__active=active)
        return self.organisation(organisation_id)

    # --- country insights --------------------------------------------------------------------------

    def keep_insight(self, country: str, version: int, insight: dict, at: datetime) -> bool:
        try:
            return bool(CountryInsight.objects(id=country, version__lt=version).update_one(
                upsert=True, set__insight=insight, set__version=version, set__received_at=at))
        except NotUniqueError:
            return False  # a newer version is kept: the upsert found no older one and collided on the id

    def insight(self, country: str) -> dict | None:
        doc = CountryInsight.objects(id=country).only("insight").as_pymongo().first()
        return doc["insight"] if doc else None

    def insights(self, countries: list[str]) -> dict[str, dict]:
        docs = CountryInsight.objects(id__in=list(countries)).only("insight").as_pymongo()
        return {doc["_id"]: doc["insight"] for doc in docs if doc.get("insight")}

    # --- personal keys -----------------------------------------------------------------------------

    def personal_key(self, returnee_id: str, make_key: Callable[[], str]) -> str:
        return PersonalKey.objects(id=returnee_id).modify(upsert=True, new=True, set_on_insert__key=make_key()).key

    def existing_personal_key(self, returnee_id: str) -> str | None:
        doc = PersonalKey.objects(id=returnee_id).as_pymongo().first()
        return doc["key"] if doc else None

    def destroy_personal_key(self, returnee_id: str) -> None:
        PersonalKey.objects(id=returnee_id).delete()


def _pending(returnee_id: str, version: int, before: dict | None, after: dict) -> dict | None:
    """The change a write makes to the read models, to store in that write (None when it makes none)."""
    inc = tallies.change(before, after)
    return pending(f"{returnee_id}:{version}", inc) if inc else None


def _organisation(doc: dict) -> dict:
    return {"id": doc["_id"], "name": doc["name"], "active": doc.get("active", True), "created_at": doc["created_at"]}


def _visible(query):
    return query.filter(erased__ne=True).exclude("outbox", "seen_events").as_pymongo()


def to_document(values: dict) -> dict:
    """Domain values -> stored values: days become midnight UTC (BSON has no date type), at any depth."""
    return stored_days(values)


def from_document(doc: dict) -> dict:
    """A stored returnee -> the returnee as handlers and views see it (every declared day a `date`)."""
    out = {k: v for k, v in with_days(Returnee, doc).items() if k not in INTERNAL}
    out["id"] = doc["_id"]
    out.setdefault("monitoring", dict(NO_SUMMARY))
    _trajectory_of(out)
    return out


def _trajectory_of(out: dict) -> None:
    """Trajectory and its history as days; a returnee from before trajectories was in return guidance
    from its registration (the only way it could be handed over)."""
    history = list(out.get("trajectory_history") or [])
    if not history and out.get("registered_on"):
        history = [{"trajectory": DEFAULT_TRAJECTORY, "started_on": out["registered_on"],
                    "recorded_at": out.get("created_at")}]
    out["trajectory_history"] = history
    out["trajectory"] = out.get("trajectory") or DEFAULT_TRAJECTORY
    out.setdefault("decided_on", None)
    out.setdefault("exit", None)
    out.setdefault("office", None)
