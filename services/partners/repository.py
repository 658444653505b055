"""Persistence for partners: the only module that touches `documents.py` or builds a query.

Handlers and views speak in domain words (`add_handover`, `transition`, `due_messages`...) and get
plain dicts in the stored shape (`_id` and field names as in the collections). The guarantees:

- a handover's state change and its outbox events (and a queued webhook) are one conditional update
  (compare-and-set on `status`); consumed events are applied once (`store.apply_once`);
- after every write that queued outbox events the repository calls `notify(Handover, id)`, and it
  remembers the handovers that queued a webhook, so neither relay has to scan to find them;
- the hot lookups go by `_id` (the embedded store scans for anything else): a credential by its
  client id, a handover or a message by its id. The webhook relay's "what is due" question, asked
  every second, reads only `webhook_queue`: one small document per message still pending.
"""
from __future__ import annotations

import threading
from abc import ABC, abstractmethod
from datetime import date, datetime
from typing import Callable, Iterable

from mongoengine import NotUniqueError, Q

from services.partners.documents import (Credential, DueWebhook, Handover, Partner, WebhookDelivery,
                                         WebhookLease, WebhookMessage)
from shared import topics
from shared.events import Envelope
from shared.outbox import outbox_entry, outbox_push
from shared.store import apply_once, page, to_date, to_datetime

DATE_FIELDS = ("planned_departure_date", "departed_on", "arrived_on")
HANDOVER_FIELDS = ("returnee_id", "partner_id", "country", "region", "status", "offered_at", "answered_at",
                   "decline", "planned_departure_date", "departed_on", "arrived_on", "languages", "household",
                   "vulnerabilities", "reintegration_plan", "personal")
PARTNER_FIELDS = ("name", "countries", "services", "languages", "contact", "network", "active", "created_at",
                  "updated_at")
# what a copy holds about the person: removed on erasure and when retention ends
COPY_OF_PERSON = {"personal": None, "personal_sealed": None, "profile_sealed": None, "reintegration_plan": {},
                  "region": None, "languages": [], "household": {}, "vulnerabilities": []}
BOOKKEEPING = ("outbox", "webhook_outbox", "seen_events")  # never leave the repository on reads
QUEUED = {"webhook_outbox.0": {"$exists": True}}
NOTES_KEPT = 50  # notes on a partner organisation: the newest, so the document stays small
WEBHOOK_STATE = ("failing_since", "paused_at")  # kept when the URL or the secret changes


class AbstractPartnersRepository(ABC):
    """The partners service's persistence port. Reads return stored-shape dicts (`_id`) or None."""

    # organisations
    @abstractmethod
    def add_partner(self, partner: dict) -> dict: ...
    @abstractmethod
    def get_partner(self, partner_id: str) -> dict | None: ...
    @abstractmethod
    def update_partner(self, partner_id: str, changes: dict) -> dict | None: ...
    @abstractmethod
    def partners_page(self, country: str | None, limit: int, cursor: str | None) -> dict: ...
    @abstractmethod
    def set_webhook(self, partner_id: str, webhook: dict) -> dict | None: ...
    @abstractmethod
    def remove_webhook(self, partner_id: str) -> bool: ...

    # credentials
    @abstractmethod
    def add_credential(self, credential: dict) -> None: ...
    @abstractmethod
    def credential(self, client_id: str) -> dict | None: ...
    @abstractmethod
    def credentials_of(self, partner_id: str) -> list[dict]: ...
    @abstractmethod
    def revoke_credential(self, partner_id: str, client_id: str, now: datetime) -> bool: ...
    @abstractmethod
    def revoke_all_credentials(self, partner_id: str, now: datetime) -> int: ...

    # handovers
    @abstractmethod
    def get_handover(self, handover_id: str, partner_id: str | None = None) -> dict | None: ...
    @abstractmethod
    def handovers_page(self, filters: dict, limit: int, cursor: str | None) -> dict: ...
    @abstractmethod
    def add_handover(self, handover: dict, events: Iterable[Envelope], webhook: dict | None,
                     event_id: str) -> bool: ...
    @abstractmethod
    def transition(self, handover_id: str, expected: str, changes: dict, events: Iterable[Envelope]) -> bool: ...
    @abstractmethod
    def apply_event(self, handover_id: str, event_id: str, changes: dict | None = None,
                    webhook: dict | None = None, statuses: Iterable[str] | None = None) -> bool: ...
    @abstractmethod
    def handovers_of(self, returnee_id: str, statuses: Iterable[str] | None = None,
                     partner_id: str | None = None) -> list[dict]: ...
    @abstractmethod
    def stale_offers(self, offered_before: datetime) -> list[dict]: ...
    @abstractmethod
    def sealed_handovers(self) -> list[dict]: ...
    @abstractmethod
    def store_opened(self, handover_id: str, changes: dict) -> bool: ...
    @abstractmethod
    def erase_returnee(self, returnee_id: str) -> None: ...

    @abstractmethod
    def delete_expired_copies(self, ended_before: datetime, now: datetime) -> int:
        """Delete the personal data of copies whose monitoring ended, or whose offer was declined, expired or
        withdrawn, before `ended_before`; returns how many copies."""

    @abstractmethod
    def messages_about(self, returnee_id: str) -> list[dict]:
        """The webhook messages about one returnee: ids, types, states (their bodies hold ids only)."""

    # webhook queue and delivery log
    @abstractmethod
    def queued_webhooks(self, sweep: bool, limit: int) -> list[tuple[str, dict]]: ...
    @abstractmethod
    def enqueue_webhook(self, handover_id: str, entry: dict, now: datetime) -> bool: ...
    @abstractmethod
    def due_messages(self, now: datetime, limit: int, skip_partners: Iterable[str] = ()) -> list[tuple[str, str]]: ...
    @abstractmethod
    def paused_partners(self) -> list[str]: ...
    @abstractmethod
    def lease_endpoint(self, partner_id: str, owner: str, now: datetime, until: datetime) -> bool: ...
    @abstractmethod
    def release_endpoint(self, partner_id: str, owner: str) -> None: ...
    @abstractmethod
    def endpoint_delivered(self, partner_id: str) -> None: ...
    @abstractmethod
    def endpoint_failed(self, partner_id: str, at: datetime) -> datetime | None: ...
    @abstractmethod
    def pause_endpoint(self, partner_id: str, failing_before: datetime, now: datetime, note: str,
                       event: Envelope) -> bool: ...
    @abstractmethod
    def resume_endpoint(self, partner_id: str, now: datetime, note: str, event: Envelope) -> int | None: ...
    @abstractmethod
    def replay_failed(self, partner_id: str, now: datetime) -> int: ...
    @abstractmethod
    def queue_partner_event(self, partner_id: str, event: Envelope) -> bool:
        """Put an event about the organisation itself in its outbox (False when the partner is unknown)."""
    @abstractmethod
    def claim_message(self, message_id: str, now: datetime, until: datetime) -> dict | None: ...
    @abstractmethod
    def record_attempt(self, delivery: dict, failures: int) -> None: ...
    @abstractmethod
    def deliveries_page(self, partner_id: str, message_id: str | None, limit: int, cursor: str | None) -> dict: ...
    @abstractmethod
    def replay_message(self, partner_id: str, message_id: str, now: datetime) -> dict | None: ...


class PartnersRepository(AbstractPartnersRepository):
    """The mongoengine implementation, on the `partners` alias."""

    def __init__(self, notify: Callable = lambda document_class, doc_id: None):
        self.notify = notify
        self._webhook_hints: set[str] = set()  # handovers that queued a webhook since the last collect
        self._lock = threading.Lock()

    # --- organisations ---------------------------------------------------------------------------
    def add_partner(self, partner: dict) -> dict:
        Partner(id=partner["_id"], **_present(partner, PARTNER_FIELDS)).save(force_insert=True)
        return partner

    def get_partner(self, partner_id: str) -> dict | None:
        return Partner.objects(id=partner_id).as_pymongo().first()

    def update_partner(self, partner_id: str, changes: dict) -> dict | None:
        if not Partner.objects(id=partner_id).update_one(__raw__=_set(changes)):
            return None
        return self.get_partner(partner_id)

    def partners_page(self, country: str | None, limit: int, cursor: str | None) -> dict:
        query = Partner.objects(countries=country) if country else Partner.objects
        return page(query.exclude("webhook", "outbox", "seen_events"), limit, cursor, partner_to_dict)

    def set_webhook(self, partner_id: str, webhook: dict) -> dict | None:
        """Replace the URL and secrets, keeping the endpoint's failure and pause state; returns the
        webhook as it was before (None when the partner is unknown; {} when it had none)."""
        before = Partner.objects(id=partner_id).only("webhook").as_pymongo().first()
        if before is None:
            return None
        kept = {k: v for k, v in (before.get("webhook") or {}).items() if k in WEBHOOK_STATE}
        Partner.objects(id=partner_id).update_one(set__webhook={**webhook, **kept})
        return before.get("webhook") or {}

    def remove_webhook(self, partner_id: str) -> bool:
        return Partner.objects(id=partner_id).update_one(unset__webhook=True) == 1

    # --- credentials -----------------------------------------------------------------------------
    def add_credential(self, credential: dict) -> None:
        Credential(id=credential["_id"], partner_id=credential["partner_id"], secret_hash=credential["secret_hash"],
                   created_at=credential["created_at"]).save(force_insert=True)

    def credential(self, client_id: str) -> dict | None:
        """By primary key only: anything but a plain string (an operator object, a list) finds nothing."""
        if type(client_id) is not str or not client_id:  # noqa: E721 - exactly str, never a subclass
            return None
        return Credential.objects(id=client_id).as_pymongo().first()

    def credentials_of(self, partner_id: str) -> list[dict]:
        return list(Credential.objects(partner_id=partner_id).order_by("created_at").as_pymongo())

    def revoke_credential(self, partner_id: str, client_id: str, now: datetime) -> bool:
        """Revoke (once; revoking again keeps the first time). False when the partner has no such client id."""
        if Credential.objects(id=client_id, partner_id=partner_id, revoked_at=None).update_one(set__revoked_at=now):
            return True
        return Credential.objects(id=client_id, partner_id=partner_id).as_pymongo().first() is not None

    def revoke_all_credentials(self, partner_id: str, now: datetime) -> int:
        return Credential.objects(partner_id=partner_id, revoked_at=None).update(set__revoked_at=now)

    # --- handovers -------------------------------------------------------------------------------
    def get_handover(self, handover_id: str, partner_id: str | None = None) -> dict | None:
        """A handover; with `partner_id`, only if it belongs to that organisation."""
        query = Handover.objects(id=handover_id)
        if partner_id is not None:
            query = query.filter(partner_id=partner_id)
        return query.exclude(*BOOKKEEPING).as_pymongo().first()

    def handovers_page(self, filters: dict, limit: int, cursor: str | None) -> dict:
        """`filters`: any of `status`, `returnee_id`, `partner_id`."""
        selector = {k: filters[k] for k in ("status", "returnee_id", "partner_id") if filters.get(k)}
        return page(Handover.objects(**selector).exclude(*BOOKKEEPING), limit, cursor, handover_to_dict)

    def add_handover(self, handover: dict, events: Iterable[Envelope], webhook: dict | None, event_id: str) -> bool:
        """Insert a new handover with its events and webhook, marked as the effect of `event_id`.
        False when it exists already (a redelivered request)."""
        events = list(events)
        fields = _present(handover, HANDOVER_FIELDS + ("personal_sealed", "profile_sealed", "coarse_region"))
        document = Handover(id=handover["_id"], **fields, seen_events=[event_id],
                            outbox=[outbox_entry(topics.HANDOVERS, e) for e in events],
                            webhook_outbox=[webhook] if webhook else [])
        try:
            document.save(force_insert=True)
        except NotUniqueError:
            return False
        self._written(handover["_id"], events, webhook)
        return True

    def transition(self, handover_id: str, expected: str, changes: dict, events: Iterable[Envelope]) -> bool:
        """Compare-and-set on status: the state change and its outbox events in one update."""
        events = list(events)
        update = {**_set(changes), "$inc": {"version": 1}, "$push": outbox_push(topics.HANDOVERS, *events)}
        if not Handover.objects(id=handover_id, status=expected).update_one(__raw__=update):
            return False
        self._written(handover_id, events, None)
        return True

    def apply_event(self, handover_id: str, event_id: str, changes: dict | None = None,
                    webhook: dict | None = None, statuses: Iterable[str] | None = None) -> bool:
        """Apply a consumed event's changes (and queue its webhook) once, in one write; with `statuses`,
        only while the handover is in one of them. False when applied before or when nothing matches."""
        query = Handover.objects(id=handover_id)
        if statuses is not None:
            query = query.filter(status__in=list(statuses))
        update = {**_set(changes or {}), "$inc": {"version": 1}}
        if webhook:
            update["$push"] = {"webhook_outbox": webhook}
        if not apply_once(query, update, event_id):
            return False
        self._written(handover_id, (), webhook)
        return True

    def handovers_of(self, returnee_id: str, statuses: Iterable[str] | None = None,
                     partner_id: str | None = None) -> list[dict]:
        query = Handover.objects(returnee_id=returnee_id)
        if statuses is not None:
            query = query.filter(status__in=list(statuses))
        if partner_id is not None:
            query = query.filter(partner_id=partner_id)
        return list(query.exclude(*BOOKKEEPING).order_by("id").as_pymongo())

    def stale_offers(self, offered_before: datetime) -> list[dict]:
        return list(Handover.objects(status="offered", offered_at__lte=offered_before)
                    .exclude(*BOOKKEEPING).as_pymongo())

    def sealed_handovers(self) -> list[dict]:
        """Handovers whose personal data or profile still waits sealed (intake could not be asked)."""
        return list(Handover.objects(Q(personal_sealed__ne=None) | Q(profile_sealed__ne=None))
                    .only("id", "returnee_id", "personal_sealed", "profile_sealed").as_pymongo())

    def store_opened(self, handover_id: str, changes: dict) -> bool:
        """Replace the sealed data by what opening it gave (`personal`, profile fields), if still sealed."""
        changes = {**changes, "personal_sealed": None, "profile_sealed": None}
        query = Handover.objects(Q(id=handover_id) & (Q(personal_sealed__ne=None) | Q(profile_sealed__ne=None)))
        return query.update_one(__raw__=_set(changes)) == 1

    def erase_returnee(self, returnee_id: str) -> None:
        """Delete the personal data and free text of every copy (repeatable: a redelivery changes nothing)."""
        Handover.objects(returnee_id=returnee_id).update(__raw__=_set({**COPY_OF_PERSON, "erased": True}))
        Handover.objects(returnee_id=returnee_id, decline__reason__exists=True).update(set__decline__detail="")

    def delete_expired_copies(self, ended_before: datetime, now: datetime) -> int:
        ended = Q(monitoring_ended_at__lte=ended_before) | Q(status__in=("declined", "expired", "withdrawn"),
                                                             answered_at__lte=ended_before)
        return Handover.objects(ended & Q(copy_deleted_at=None)).update(__raw__=_set({
            **COPY_OF_PERSON, "copy_deleted_at": now}))

    def messages_about(self, returnee_id: str) -> list[dict]:
        return [message_to_dict(doc) for doc in WebhookMessage.objects(returnee_id=returnee_id)
                .exclude("body", "schema_version").order_by("id").as_pymongo()]

    def _written(self, handover_id: str, events: list, webhook: dict | None) -> None:
        if events:
            self.notify(Handover, handover_id)
        if webhook:
            with self._lock:
                self._webhook_hints.add(handover_id)

    # --- webhook queue ---------------------------------------------------------------------------
    def queued_webhooks(self, sweep: bool, limit: int) -> list[tuple[str, dict]]:
        """(handover id, entry) of webhooks queued in handovers: those this process wrote, looked up by
        `_id`, or with `sweep` any (a scan, for restarts and writes by other processes)."""
        if sweep:
            docs = list(Handover.objects(__raw__=QUEUED).only("webhook_outbox").limit(limit).as_pymongo())
        else:
            with self._lock:
                hinted = sorted(self._webhook_hints)
                self._webhook_hints = set(hinted[limit:])  # the next round takes the rest
            docs = [doc for handover_id in hinted[:limit]
                    for doc in Handover.objects(id=handover_id, __raw__=QUEUED).only("webhook_outbox").as_pymongo()]
        return [(doc["_id"], entry) for doc in docs for entry in doc["webhook_outbox"]]

    def enqueue_webhook(self, handover_id: str, entry: dict, now: datetime) -> bool:
        """Make the entry a pending message (idempotent by its id), then pull it from the handover.
        Every step can be repeated, so a relay that stopped half-way just runs it again."""
        moved = True
        try:
            WebhookMessage(id=entry["id"], partner_id=entry["partner_id"], event_type=entry["type"],
                           handover_id=entry["handover_id"], returnee_id=entry["returnee_id"], body=entry["body"],
                           created_at=now, state="pending", attempts=0, failures=0,
                           next_attempt_at=now).save(force_insert=True)
        except NotUniqueError:
            moved = False  # moved before, but the pull below did not happen
        message = WebhookMessage.objects(id=entry["id"], state="pending").only("next_attempt_at").as_pymongo().first()
        if message is not None:
            DueWebhook.objects(id=entry["id"]).update_one(upsert=True,
                                                          set_on_insert__due_at=message["next_attempt_at"],
                                                          set__partner_id=entry["partner_id"])
        Handover.objects(id=handover_id).update_one(__raw__={"$pull": {"webhook_outbox": {"id": entry["id"]}}})
        return moved

    def due_messages(self, now: datetime, limit: int, skip_partners: Iterable[str] = ()) -> list[tuple[str, str]]:
        """(message id, partner id) of pending messages whose attempt is due, oldest due first (then in the
        order they were queued), leaving out `skip_partners`' (reads only the queue)."""
        query = DueWebhook.objects(due_at__lte=now)
        skip = list(skip_partners)
        if skip:
            query = query.filter(partner_id__nin=skip)
        due = [(d["_id"], d.get("partner_id")) for d in query.order_by("due_at", "id").limit(limit).as_pymongo()]
        unknown = [message_id for message_id, partner_id in due if partner_id is None]  # queued before partner_id
        owners = dict(WebhookMessage.objects(id__in=unknown).scalar("id", "partner_id")) if unknown else {}
        return [(message_id, partner_id or owners.get(message_id, "")) for message_id, partner_id in due]

    def paused_partners(self) -> list[str]:
        return list(Partner.objects(webhook__paused_at__exists=True).scalar("id"))

    def lease_endpoint(self, partner_id: str, owner: str, now: datetime, until: datetime) -> bool:
        """Take (or extend) the right to deliver to the partner's endpoint until `until`; False while
        another worker process holds it."""
        if WebhookLease.objects(id=partner_id).filter(
                __raw__={"$or": [{"owner": owner}, {"until": {"$lte": now}}]}).update_one(
                set__owner=owner, set__until=until):
            return True
        try:
            WebhookLease(id=partner_id, owner=owner, until=until).save(force_insert=True)
        except NotUniqueError:
            return False
        return True

    def release_endpoint(self, partner_id: str, owner: str) -> None:
        WebhookLease.objects(id=partner_id, owner=owner).delete()

    def endpoint_delivered(self, partner_id: str) -> None:
        """The endpoint answered: it is no longer failing (a write only when it was)."""
        Partner.objects(id=partner_id, webhook__failing_since__exists=True).update_one(
            unset__webhook__failing_since=True)

    def endpoint_failed(self, partner_id: str, at: datetime) -> datetime | None:
        """Note a failed attempt; returns since when the endpoint has been failing (None: no webhook)."""
        Partner.objects(id=partner_id, webhook__exists=True, webhook__failing_since__exists=False).update_one(
            set__webhook__failing_since=at)
        webhook = (Partner.objects(id=partner_id).only("webhook").as_pymongo().first() or {}).get("webhook")
        return webhook.get("failing_since") if webhook else None

    def pause_endpoint(self, partner_id: str, failing_before: datetime, now: datetime, note: str,
                       event: Envelope) -> bool:
        """Pause an endpoint failing since `failing_before` or earlier, with a note and the event, once."""
        update = {"$set": {"webhook.paused_at": now}, "$inc": {"version": 1},
                  "$push": {**_note(now, "webhook_paused", note), **outbox_push(topics.HANDOVERS, event)}}
        if not Partner.objects(id=partner_id, webhook__paused_at__exists=False,
                               webhook__failing_since__lte=failing_before).update_one(__raw__=update):
            return False
        self.notify(Partner, partner_id)
        return True

    def resume_endpoint(self, partner_id: str, now: datetime, note: str, event: Envelope) -> int | None:
        """Unpause the endpoint (note and event) and make its whole backlog due now, in the order it was
        queued, with fresh retry schedules; returns how many messages wait. None when it was not paused."""
        update = {"$unset": {"webhook.paused_at": "", "webhook.failing_since": ""}, "$inc": {"version": 1},
                  "$push": {**_note(now, "webhook_resumed", note), **outbox_push(topics.HANDOVERS, event)}}
        if not Partner.objects(id=partner_id, webhook__paused_at__exists=True).update_one(__raw__=update):
            return None
        self.notify(Partner, partner_id)
        return self._due_now(WebhookMessage.objects(partner_id=partner_id, state="pending"), now)

    def queue_partner_event(self, partner_id: str, event: Envelope) -> bool:
        if not Partner.objects(id=partner_id).update_one(__raw__={"$inc": {"version": 1},
                                                                  "$push": outbox_push(topics.HANDOVERS, event)}):
            return False
        self.notify(Partner, partner_id)
        return True

    def replay_failed(self, partner_id: str, now: datetime) -> int:
        """Every failed message of the partner pending again, due now, with a fresh retry schedule."""
        return self._due_now(WebhookMessage.objects(partner_id=partner_id, state="failed"), now)

    def _due_now(self, messages, now: datetime) -> int:
        ids = list(messages.order_by("id").scalar("id"))
        if not ids:
            return 0
        WebhookMessage.objects(id__in=ids).update(set__state="pending", set__failures=0, set__next_attempt_at=now)
        partner_of = dict(WebhookMessage.objects(id__in=ids).scalar("id", "partner_id"))
        for message_id in ids:  # equal due times: the queue orders them by id, i.e. as they were queued
            self._schedule(message_id, now, partner_of[message_id])
        return len(ids)

    def claim_message(self, message_id: str, now: datetime, until: datetime) -> dict | None:
        """Hide a due message from other replicas until `until` and return it; None when it is not due
        (claimed elsewhere, or no longer pending: then its queue entry goes)."""
        claimed = WebhookMessage.objects(id=message_id, state="pending", next_attempt_at__lte=now).modify(
            new=True, set__next_attempt_at=until)
        if claimed is None:
            if WebhookMessage.objects(id=message_id, state="pending").as_pymongo().first() is None:
                DueWebhook.objects(id=message_id, due_at__lte=now).delete()
            return None
        DueWebhook.objects(id=message_id).update_one(upsert=True, set__due_at=until,
                                                     set__partner_id=claimed.partner_id)
        return claimed.to_mongo().to_dict()

    def record_attempt(self, delivery: dict, failures: int) -> None:
        """Log one attempt and leave its message in the state the attempt decided (`delivery["state"]`)."""
        WebhookDelivery(id=delivery["_id"], **{k: v for k, v in delivery.items() if k != "_id"}).save(
            force_insert=True)
        message_id, state = delivery["message_id"], delivery["state"]
        WebhookMessage.objects(id=message_id).update_one(__raw__=_set({
            "state": state, "attempts": delivery["attempt"], "failures": failures,
            "next_attempt_at": delivery["next_attempt_at"], "last_error": delivery["error"]}))
        self._schedule(message_id, delivery["next_attempt_at"] if state == "pending" else None,
                       delivery["partner_id"])

    def deliveries_page(self, partner_id: str, message_id: str | None, limit: int, cursor: str | None) -> dict:
        query = WebhookDelivery.objects(partner_id=partner_id)
        if message_id:
            query = query.filter(message_id=message_id)
        return page(query, limit, cursor, delivery_to_dict)

    def replay_message(self, partner_id: str, message_id: str, now: datetime) -> dict | None:
        """Make the message pending again, due now, with a fresh retry schedule."""
        if not WebhookMessage.objects(id=message_id, partner_id=partner_id).update_one(
                set__state="pending", set__failures=0, set__next_attempt_at=now):
            return None
        self._schedule(message_id, now, partner_id)
        return WebhookMessage.objects(id=message_id).as_pymongo().first()

    def _schedule(self, message_id: str, due_at: datetime | None, partner_id: str) -> None:
        if due_at is None:
            DueWebhook.objects(id=message_id).delete()
        else:
            DueWebhook.objects(id=message_id).update_one(upsert=True, set__due_at=due_at, set__partner_id=partner_id)


def _note(now: datetime, kind: str, text: str) -> dict:
    """The raw `$push` clause that adds a note to a partner organisation, keeping the newest NOTES_KEPT."""
    return {"notes": {"$each": [{"at": now, "kind": kind, "text": text}], "$slice": -NOTES_KEPT}}


def _present(doc: dict, names: Iterable[str]) -> dict:
    """The named fields that hold a value (mongoengine stores no None)."""
    return {name: doc[name] for name in names if doc.get(name) is not None}


def _set(changes: dict) -> dict:
    """A raw update that sets `changes`: None removes the field (as mongoengine stores it), days become
    midnight UTC (raw updates bypass the fields' conversion)."""
    values = {k: to_datetime(v) if type(v) is date else v for k, v in changes.items()}  # noqa: E721
    update = {}
    if any(v is not None for v in values.values()):
        update["$set"] = {k: v for k, v in values.items() if v is not None}
    if any(v is None for v in values.values()):
        update["$unset"] = {k: "" for k, v in values.items() if v is None}
    return update


# --- stored shape -> API shape ----------------------------------------------------------------------

def partner_to_dict(doc: dict) -> dict:
    out = {k: v for k, v in doc.items()
           if k not in ("_id", "webhook", "schema_version", "version", *BOOKKEEPING)}  # the secret stays here
    out["id"] = doc["_id"]
    return out


def handover_to_dict(doc: dict) -> dict:
    out = {name: doc.get(name) for name in HANDOVER_FIELDS}
    out["id"] = doc["_id"]
    for name in DATE_FIELDS:
        out[name] = to_date(doc.get(name))
    return out


def credential_to_dict(doc: dict) -> dict:
    return {"client_id": doc["_id"], "partner_id": doc["partner_id"], "created_at": doc["created_at"],
            "revoked_at": doc.get("revoked_at")}


def message_to_dict(doc: dict) -> dict:
    """A webhook message as the API shows it (the body is not repeated)."""
    return {"webhook_id": doc["_id"], "event_type": doc["event_type"], "handover_id": doc["handover_id"],
            "returnee_id": doc["returnee_id"], "state": doc["state"], "attempts": doc["attempts"],
            "next_attempt_at": doc.get("next_attempt_at")}


def delivery_to_dict(doc: dict) -> dict:
    """A delivery attempt as the API shows it: the message id is the `webhook_id`."""
    return {"id": doc["_id"], "webhook_id": doc["message_id"],
            **{k: doc.get(k) for k in ("event_type", "handover_id", "returnee_id", "attempt", "status_code",
                                       "error", "error_kind", "duration_ms", "attempted_at", "next_attempt_at", "state")}}
