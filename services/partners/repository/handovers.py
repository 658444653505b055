"""Handovers: the offer to a partner, its answer and what follows, each change with its outbox events."""
from __future__ import annotations

from abc import ABC, abstractmethod
from datetime import datetime
from typing import Iterable

from mongoengine import NotUniqueError, Q

from services.partners.documents import Handover, WebhookMessage
from services.partners.repository.common import present, set_changes
from services.partners.shapes import BOOKKEEPING, HANDOVER_FIELDS, handover_to_dict, message_to_dict
from shared import topics
from shared.embedded_lookup import index_values
from shared.events import Envelope
from shared.mail.outbox import mail_push
from shared.outbox import outbox_entry, outbox_push
from shared.store import apply_once, page

# what a copy holds about the person: removed on erasure and when retention ends
COPY_OF_PERSON = {"personal": None, "personal_sealed": None, "profile_sealed": None, "reintegration_plan": {},
                  "perspective_plan": None,
                  "region": None, "languages": [], "household": {}, "vulnerabilities": [], "shared": []}

# the embedded store answers a page of one returnee's (or several) handovers, or of the waiting offers, from a
# lookup of those fields, as MongoDB from its indexes (documents.Handover); bootstrap imports this before any store
index_values("handovers", "returnee_id")
index_values("handovers", "status")


class AbstractHandovers(ABC):
    @abstractmethod
    def get_handover(self, handover_id: str, partner_id: str | None = None) -> dict | None: ...
    @abstractmethod
    def handovers_page(self, filters: dict, limit: int, cursor: str | None, newest_first: bool = False) -> dict: ...
    @abstractmethod
    def add_handover(self, handover: dict, events: Iterable[Envelope], webhook: dict | None,
                     event_id: str, mails: Iterable[dict] = ()) -> bool: ...
    @abstractmethod
    def transition(self, handover_id: str, expected: str, changes: dict, events: Iterable[Envelope]) -> bool: ...
    @abstractmethod
    def apply_event(self, handover_id: str, event_id: str, changes: dict | None = None,
                    webhook: dict | None = None, statuses: Iterable[str] | None = None,
                    mails: Iterable[dict] = ()) -> bool: ...
    @abstractmethod
    def handovers_of(self, returnee_id: str, statuses: Iterable[str] | None = None,
                     partner_id: str | None = None) -> list[dict]: ...
    @abstractmethod
    def offers_to_warn(self, offered_before: datetime) -> list[dict]: ...
    @abstractmethod
    def warn_expiry(self, handover_id: str, now: datetime, mails: Iterable[dict]) -> bool: ...
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


class Handovers(AbstractHandovers):
    """Needs `notify` and the webhook hints (`_lock`, `_webhook_hints`), which PartnersRepository sets."""

    # --- handovers -------------------------------------------------------------------------------
    def get_handover(self, handover_id: str, partner_id: str | None = None) -> dict | None:
        """A handover; with `partner_id`, only if it belongs to that organisation."""
        query = Handover.objects(id=handover_id)
        if partner_id is not None:
            query = query.filter(partner_id=partner_id)
        return query.exclude(*BOOKKEEPING).as_pymongo().first()

    def handovers_page(self, filters: dict, limit: int, cursor: str | None, newest_first: bool = False) -> dict:
        """`filters`: any of `status`, `returnee_id` (each one value or a list), `partner_id`; oldest first unless
        `newest_first`."""
        selector = {(f"{k}__in" if isinstance(filters[k], (list, tuple)) else k): filters[k]
                    for k in ("status", "returnee_id", "partner_id") if filters.get(k)}
        return page(Handover.objects(**selector).exclude(*BOOKKEEPING), limit, cursor, handover_to_dict, newest_first)

    def add_handover(self, handover: dict, events: Iterable[Envelope], webhook: dict | None, event_id: str,
                     mails: Iterable[dict] = ()) -> bool:
        """Insert a new handover with its events, webhook and mails, marked as the effect of `event_id`.
        False when it exists already (a redelivered request)."""
        events = list(events)
        fields = present(handover, HANDOVER_FIELDS + ("personal_sealed", "profile_sealed", "coarse_region"))
        document = Handover(id=handover["_id"], **fields, seen_events=[event_id],
                            outbox=[outbox_entry(topics.HANDOVERS, e) for e in events],
                            webhook_outbox=[webhook] if webhook else [], mail_outbox=list(mails))
        try:
            document.save(force_insert=True)
        except NotUniqueError:
            return False
        self._written(handover["_id"], events, webhook)
        return True

    def transition(self, handover_id: str, expected: str, changes: dict, events: Iterable[Envelope]) -> bool:
        """Compare-and-set on status: the state change and its outbox events in one update."""
        events = list(events)
        update = {**set_changes(changes), "$inc": {"version": 1}, "$push": outbox_push(topics.HANDOVERS, *events)}
        if not Handover.objects(id=handover_id, status=expected).update_one(__raw__=update):
            return False
        self._written(handover_id, events, None)
        return True

    def apply_event(self, handover_id: str, event_id: str, changes: dict | None = None,
                    webhook: dict | None = None, statuses: Iterable[str] | None = None,
                    mails: Iterable[dict] = ()) -> bool:
        """Apply a consumed event's changes (and queue its webhook) once, in one write; with `statuses`,
        only while the handover is in one of them. False when applied before or when nothing matches."""
        query = Handover.objects(id=handover_id)
        if statuses is not None:
            query = query.filter(status__in=list(statuses))
        update = {**set_changes(changes or {}), "$inc": {"version": 1}}
        if webhook:
            update["$push"] = {"webhook_outbox": webhook}
        mails = list(mails)
        if mails:
            update.setdefault("$push", {}).update(mail_push(*mails))
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

    def offers_to_warn(self, offered_before: datetime) -> list[dict]:
        """Offers still unanswered since before `offered_before` whose people were not told yet."""
        return list(Handover.objects(status="offered", offered_at__lte=offered_before, expiry_warned_at=None)
                    .exclude(*BOOKKEEPING).as_pymongo())

    def warn_expiry(self, handover_id: str, now: datetime, mails: Iterable[dict]) -> bool:
        """Mark the offer as warned and queue its mails in one write (once: False when warned before)."""
        update = {"$set": {"expiry_warned_at": now}, "$push": mail_push(*mails)}
        return Handover.objects(id=handover_id, status="offered", expiry_warned_at=None).update_one(__raw__=update) == 1

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
        return query.update_one(__raw__=set_changes(changes)) == 1

    def erase_returnee(self, returnee_id: str) -> None:
        """Delete the personal data and free text of every copy (repeatable: a redelivery changes nothing)."""
        Handover.objects(returnee_id=returnee_id).update(__raw__=set_changes({**COPY_OF_PERSON, "erased": True}))
        Handover.objects(returnee_id=returnee_id, decline__reason__exists=True).update(set__decline__detail="")

    def delete_expired_copies(self, ended_before: datetime, now: datetime) -> int:
        ended = Q(monitoring_ended_at__lte=ended_before) | Q(status__in=("declined", "expired", "withdrawn"),
                                                             answered_at__lte=ended_before)
        return Handover.objects(ended & Q(copy_deleted_at=None)).update(__raw__=set_changes({
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

