"""The audit log: who read or wrote which case data, written off the request path, kept for a while.

A request only appends its entry to an in-process queue; a writer thread stores queued entries in
batches, so an audited read costs no store write while the client waits. Entries older than
`AUDIT_RETENTION_DAYS` are removed by `prune`, a periodic job, so the log is bounded by retention,
not by traffic. Reading the log flushes the queue first, so an administrator sees every request
that has been answered.
"""
from __future__ import annotations

import logging
import threading
from collections import deque
from datetime import datetime, timedelta, timezone
from typing import Callable

from shared.store import page

log = logging.getLogger(__name__)


class AuditLog:
    def __init__(self, document_class, retention_days: int, batch: int = 500):
        self.documents = document_class
        self.retention = timedelta(days=retention_days)
        self.batch = batch
        self._queue: deque[dict] = deque()  # append and popleft are thread-safe
        self._wake = threading.Event()
        self._flushing = threading.Lock()
        self._writer: threading.Thread | None = None
        self._stop = threading.Event()

    def record(self, **entry) -> None:
        """Queue one entry (`id`, `at`, `who`, `role`, `org`, `method`, `path`, `resource_id`, ...)."""
        self._queue.append(entry)
        self._wake.set()

    def pending(self) -> int:
        return len(self._queue)

    def flush(self) -> int:
        """Store every queued entry; on a store error the entries go back to the queue."""
        stored = 0
        with self._flushing:
            while self._queue:
                entries = [self._queue.popleft() for _ in range(min(self.batch, len(self._queue)))]
                try:
                    self.documents.objects.insert([self.documents(**e) for e in entries], load_bulk=False)
                except Exception:
                    self._queue.extendleft(reversed(entries))
                    raise
                stored += len(entries)
        return stored

    def start(self) -> None:
        """Start the writer thread once (inside `create_app()`, never at import)."""
        if self._writer is None:
            self._writer = threading.Thread(target=self._run, name="audit-writer", daemon=True)
            self._writer.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.wait(1.0)
            self._wake.clear()
            try:
                self.flush()
            except Exception:  # noqa: BLE001 - kept in the queue, tried again on the next wake
                log.exception("audit log write failed; retrying")
                self._stop.wait(1.0)

    def close(self) -> None:
        self._stop.set()
        self._wake.set()
        try:
            self.flush()
        except Exception:  # noqa: BLE001
            log.exception("audit log: %d entries could not be stored at shutdown", len(self._queue))

    def prune(self, now: datetime | None = None) -> int:
        """Remove entries older than the retention (the periodic job); returns how many."""
        now = now or datetime.now(timezone.utc)
        return self.documents.objects(at__lt=now - self.retention).delete()

    def page(self, limit: int, cursor: str | None, to_dict: Callable[[dict], dict] | None = None, **filters) -> dict:
        self.flush()
        return page(self.documents.objects(**filters), limit, cursor, to_dict or audit_row)

    def about(self, returnee_id: str, limit: int = 1000) -> list[dict]:
        """The newest `limit` entries concerning one returnee, oldest first (for a subject access export)."""
        self.flush()
        newest = self.documents.objects(returnee_id=returnee_id).order_by("-id").limit(limit).as_pymongo()
        return [audit_row(doc) for doc in reversed(list(newest))]


def audit_row(doc: dict) -> dict:
    """A stored entry as `GET /v1/audit` and the subject exports show it."""
    return {"id": doc["_id"], "at": doc["at"].isoformat(), "who": doc["who"], "role": doc["role"],
            "org": doc.get("org"), "method": doc["method"], "path": doc["path"],
            "resource_id": doc.get("resource_id"), "returnee_id": doc.get("returnee_id"), "status": doc["status"],
            "request_id": doc.get("request_id")}
