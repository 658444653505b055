"""The webhook queue, the endpoints' state (failing, paused, leased) and the delivery log."""
from __future__ import annotations

from abc import ABC, abstractmethod
from datetime import datetime
from typing import Iterable

from mongoengine import NotUniqueError

from services.partners.documents import DueWebhook, Handover, Partner, WebhookDelivery, WebhookLease, WebhookMessage
from services.partners.repository.common import note_push, set_changes
from services.partners.shapes import delivery_to_dict
from shared import topics
from shared.events import Envelope
from shared.outbox import outbox_push
from shared.store import page

QUEUED = {"webhook_outbox.0": {"$exists": True}}


class AbstractWebhookQueue(ABC):
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
    def deliveries_page(self, partner_id: str, message_id: str | None, limit: int, cursor: str | None,
                        newest_first: bool = False) -> dict: ...
    @abstractmethod
    def replay_message(self, partner_id: str, message_id: str, now: datetime) -> dict | None: ...



class WebhookQueue(AbstractWebhookQueue):
    """Needs `notify` and the webhook hints (`_lock`, `_webhook_hints`), which PartnersRepository sets."""

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
                  "$push": {**note_push(now, "webhook_paused", note), **outbox_push(topics.HANDOVERS, event)}}
        if not Partner.objects(id=partner_id, webhook__paused_at__exists=False,
                               webhook__failing_since__lte=failing_before).update_one(__raw__=update):
            return False
        self.notify(Partner, partner_id)
        return True

    def resume_endpoint(self, partner_id: str, now: datetime, note: str, event: Envelope) -> int | None:
        """Unpause the endpoint (note and event) and make its whole backlog due now, in the order it was
        queued, with fresh retry schedules; returns how many messages wait. None when it was not paused."""
        update = {"$unset": {"webhook.paused_at": "", "webhook.failing_since": ""}, "$inc": {"version": 1},
                  "$push": {**note_push(now, "webhook_resumed", note), **outbox_push(topics.HANDOVERS, event)}}
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
        WebhookMessage.objects(id=message_id).update_one(__raw__=set_changes({
            "state": state, "attempts": delivery["attempt"], "failures": failures,
            "next_attempt_at": delivery["next_attempt_at"], "last_error": delivery["error"]}))
        self._schedule(message_id, delivery["next_attempt_at"] if state == "pending" else None,
                       delivery["partner_id"])

    def deliveries_page(self, partner_id: str, message_id: str | None, limit: int, cursor: str | None,
                        newest_first: bool = False) -> dict:
        query = WebhookDelivery.objects(partner_id=partner_id)
        if message_id:
            query = query.filter(message_id=message_id)
        return page(query, limit, cursor, delivery_to_dict, newest_first)

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

