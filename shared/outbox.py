"""The transactional outbox, one document at a time.

A state change and the events it causes are written in one document update:
`{"$set": {...state...}, "$push": outbox_push(events)}`. The relay publishes each pending event and
pulls it from the document only after the broker acknowledged it, so Kafka being down never fails
an HTTP request and never loses an event (it may publish one twice; consumers are idempotent).
"""
from __future__ import annotations

import logging
import threading

from shared.events import CONTENT_TYPE, Envelope
from shared.kafka import PublishError, Publisher

log = logging.getLogger(__name__)


HEADERS = [("content-type", CONTENT_TYPE.encode())]


def outbox_entry(topic: str, event: Envelope) -> dict:
    return {"id": event.id, "topic": topic, "key": event.subject, "type": event.type,
            "value": event.to_bytes().decode()}


def outbox_push(topic: str, *events: Envelope) -> dict:
    """The `$push` clause that adds events to a document's outbox."""
    return {"outbox": {"$each": [outbox_entry(topic, e) for e in events]}}


class OutboxRelay:
    """Publishes pending outbox entries of the given collections, oldest document first."""

    def __init__(self, collections, publisher: Publisher, batch: int = 100):
        self.collections = list(collections)
        self.publisher = publisher
        self.batch = batch
        self.published = 0

    def backlog(self) -> int:
        return sum(c.count_documents({"outbox.0": {"$exists": True}}) for c in self.collections)

    def run_once(self) -> int:
        """Publish what is pending, pipelined; an event leaves its document only after its ack, and the
        first failure stops the round (the idempotent producer keeps order per partition)."""
        sent = 0
        for collection in self.collections:
            pending = [(doc["_id"], entry) for doc in
                       collection.find({"outbox.0": {"$exists": True}}, {"outbox": 1}).limit(self.batch)
                       for entry in doc["outbox"]]
            if not pending:
                continue

            def acked(index: int, collection=collection, pending=pending) -> None:
                doc_id, entry = pending[index]
                collection.update_one({"_id": doc_id}, {"$pull": {"outbox": {"id": entry["id"]}}})
                self.published += 1

            before = self.published
            try:
                self.publisher.publish_many(
                    [(e["topic"], e["key"], e["value"].encode(), HEADERS) for _, e in pending], acked)
            finally:
                sent += self.published - before
        return sent

    def run(self, stop: threading.Event, interval: float) -> None:
        while not stop.is_set():
            try:
                self.run_once()
            except PublishError as exc:
                log.warning("outbox relay: %s; retrying", exc)
                stop.wait(min(5.0, interval * 5))
            except Exception:  # noqa: BLE001 - the relay must survive store hiccups too
                log.exception("outbox relay failed; retrying")
                stop.wait(min(5.0, interval * 5))
            stop.wait(interval)
