"""The transactional outbox, one document at a time.

A state change and the events it causes are written in one document update:
`{"$set": {...state...}, "$push": outbox_push(topic, *events)}`. The relay publishes each pending
event and pulls it from the document only after the broker acknowledged it, so Kafka being down
never fails an HTTP request and never loses an event (it may publish one twice; consumers are
idempotent).

Finding pending events: a repository that wrote events calls `notify(document_class, id)`, which
wakes the relay for just that document. A full sweep (`outbox.0` exists) runs every
`sweep_seconds` for events written by another process or before a restart; against MongoDB the
sweep is an indexed query and runs every round, in the embedded store (which scans) it runs
rarely, so the relay's cost does not grow with the number of stored documents.

A woken relay lingers `linger` seconds (RELAY_LINGER_SECONDS) before its round, so that the events
of requests arriving together go out as one batch: one query, one produce request, one update per
document, instead of one each per request.
"""
from __future__ import annotations

import logging
import threading
import time

from ulid import ULID

from shared.events import CONTENT_TYPE, Envelope
from shared.kafka import PublishError, Publisher

log = logging.getLogger(__name__)

HEADERS = [("content-type", CONTENT_TYPE.encode())]
PENDING = {"outbox.0": {"$exists": True}}


def outbox_entry(topic: str, event: Envelope) -> dict:
    return {"id": event.id, "topic": topic, "key": event.subject, "type": event.type,
            "value": event.to_bytes().decode()}


def outbox_push(topic: str, *events: Envelope) -> dict:
    """The raw `$push` clause that adds events to a document's outbox."""
    return {"outbox": {"$each": [outbox_entry(topic, e) for e in events]}}


class OutboxRelay:
    """Publishes pending outbox entries of the given document classes."""

    def __init__(self, document_classes, publisher: Publisher, batch: int = 100, sweep_seconds: float = 0.0):
        self.documents = {cls.__name__: cls for cls in document_classes}
        self.publisher = publisher
        self.batch = batch
        self.sweep_seconds = sweep_seconds
        self.published = 0
        self._hints: dict[str, set] = {name: set() for name in self.documents}
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._last_sweep = float("-inf")
        self._busy = False

    def notify(self, document_class, doc_id) -> None:
        """A document got new outbox events: publish them on the relay's next round, at once."""
        with self._lock:
            self._hints.setdefault(document_class.__name__, set()).add(doc_id)
        self._wake.set()

    def idle(self) -> bool:
        """No hinted document waiting and no round running: what this process wrote has been
        published (for tests and benchmarks; other processes' events are the sweep's)."""
        with self._lock:
            return not self._busy and not any(self._hints.values())

    def backlog(self) -> int:
        """Documents with events stored but not yet published (for probes and scrapes, not hot paths)."""
        return sum(cls.objects(__raw__=PENDING).count() for cls in self.documents.values())

    def oldest_age(self) -> float | None:
        """Seconds the oldest waiting event has waited (None when nothing waits; for probes and scrapes).

        A document's outbox is in the order its events were written, and an event's id is a ULID made when
        the event was (wall-clock milliseconds, whatever the service's clock says): the smallest first id
        of the waiting documents is the oldest waiting event."""
        firsts = [{"$project": {"first": {"$arrayElemAt": ["$outbox.id", 0]}}},
                  {"$group": {"_id": None, "oldest": {"$min": "$first"}}}]
        oldest = [row["oldest"] for cls in self.documents.values()
                  for row in cls.objects(__raw__=PENDING).aggregate(firsts) if row.get("oldest")]
        if not oldest:
            return None
        try:
            made = ULID.from_str(min(oldest)).timestamp
        except ValueError:  # an id that is not a ULID says nothing about its age
            return None
        return max(0.0, time.time() - made)

    def _pending(self, cls, sweep: bool) -> list:
        with self._lock:  # at most a batch of hinted documents per round; the rest wait for the next
            hinted = sorted(self._hints.get(cls.__name__, ()))
            ids, self._hints[cls.__name__] = hinted[:self.batch], set(hinted[self.batch:])
        if sweep:
            query = cls.objects(__raw__=PENDING)
        elif ids:
            query = cls.objects(id__in=list(ids), __raw__=PENDING)
        else:
            return []
        return [(doc["_id"], entry) for doc in query.only("outbox").limit(self.batch).as_pymongo()
                for entry in doc.get("outbox", [])]

    def run_once(self, sweep: bool | None = None) -> int:
        """Publish what is pending, pipelined; an event leaves its document only after its ack, and the
        first failure stops the round (the idempotent producer keeps order per partition)."""
        if sweep is None:
            sweep = time.monotonic() - self._last_sweep >= self.sweep_seconds
        if sweep:
            self._last_sweep = time.monotonic()
        with self._lock:
            self._busy = True
        try:
            return self._round(sweep)
        finally:
            with self._lock:
                self._busy = False

    def _round(self, sweep: bool) -> int:
        sent = 0
        for cls in self.documents.values():
            pending = self._pending(cls, sweep)
            if not pending:
                continue

            done: dict[str, list] = {}

            def acked(index: int, pending=pending, done=done) -> None:
                doc_id, entry = pending[index]
                done.setdefault(doc_id, []).append(entry["id"])

            try:
                self.publisher.publish_many(
                    [(e["topic"], e["key"], e["value"].encode(), HEADERS) for _, e in pending], acked)
            except Exception:
                for doc_id, _ in pending:  # try these documents again next round
                    self.notify(cls, doc_id)
                raise
            finally:  # what the broker acknowledged leaves its document, also when a later event failed
                for doc_id, ids in done.items():
                    cls.objects(id=doc_id).update_one(__raw__={"$pull": {"outbox": {"id": {"$in": ids}}}})
                    self.published += len(ids)
                    sent += len(ids)
            if len(pending) >= self.batch or self._hints.get(cls.__name__):
                self._wake.set()  # more may be waiting
        return sent

    def run(self, stop: threading.Event, interval: float, linger: float = 0.0) -> None:
        while not stop.is_set():
            try:
                self.run_once()
            except PublishError as exc:
                log.warning("outbox relay: %s; retrying", exc)
                stop.wait(min(5.0, interval * 5))
            except Exception:  # noqa: BLE001 - the relay must survive store hiccups too
                log.exception("outbox relay failed; retrying")
                stop.wait(min(5.0, interval * 5))
            if self._wake.wait(interval) and linger > 0:
                stop.wait(linger)  # let the events of requests arriving together join this round
            self._wake.clear()
