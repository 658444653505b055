"""The delivery loop: queued webhook messages to partners' endpoints, one endpoint never holding up another.

A handover change that a partner should hear about queues a message in the handover document's
`webhook_outbox`, in the same write as the change. The worker's periodic tick (`WebhookRelay.tick`)
moves queued messages into `webhook_messages` and hands the due ones to a bounded thread pool, one
run per partner endpoint: a run attempts that endpoint's due messages one after the other, oldest
first, so order holds per endpoint while a hanging endpoint only ever holds its own run. A lease per
endpoint (`webhook_leases`) keeps that true across worker replicas.

2xx means delivered; anything else is retried on the `BACKOFF_SECONDS` schedule, counted from the
end of the attempt, and then given up (`failed`). An endpoint failing for `pause_after` is paused:
its messages keep queueing, nothing is sent, the partner gets a note and `partner.webhook_paused.v1`
goes to monitoring's worklist, until an administrator resumes it. Every attempt is a row in
`webhook_deliveries`.
"""
from __future__ import annotations

import logging
import os
import socket
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import datetime, timedelta

from ulid import ULID

from services.partners.events import WEBHOOK_PAUSED as PAUSED, build_event
from services.partners.webhooks.messages import signing_secrets
from services.partners.webhooks.sender import TIMEOUT_SECONDS, AbstractPartnerNotifier, Outcome

log = logging.getLogger(__name__)

BACKOFF_SECONDS = (5, 30, 120, 600, 3600, 21600)  # waits after each failure; one more failure gives up
CLAIM_SECONDS = 60  # an attempt in progress hides its message from other worker replicas this long
LEASE_SECONDS = CLAIM_SECONDS  # a run holds its endpoint this long, renewed before each attempt


class WebhookRelay:
    """Moves queued messages out of the handovers and delivers the due ones, with backoff.

    Handovers that queued a webhook in this process are looked up by id; a full sweep for the
    others (written before a restart or by another replica) runs every `sweep_seconds`."""

    def __init__(self, repo, clock, notifier: AbstractPartnerNotifier, batch: int = 100, sweep_seconds: float = 0.0,
                 workers: int = 8, pause_after: timedelta | None = timedelta(hours=24)):
        self.repo = repo
        self.clock = clock
        self.notifier = notifier
        self.batch = batch
        self.sweep_seconds = sweep_seconds
        self.pause_after = pause_after  # None or zero: never pause
        self.owner = f"{socket.gethostname()}:{os.getpid()}:{ULID()}"
        self._last_sweep = float("-inf")
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="webhook")
        self._runs: dict[str, Future | None] = {}  # partner id -> its run in this process
        self._lock = threading.Lock()

    def tick(self, wait: bool = False) -> int:
        """One round of the loop: collect queued messages, start a run for every endpoint with due messages
        and none running. Returns the runs started; with `wait`, waits for them and returns attempts made."""
        self.collect()
        runs = self.start_due()
        if not wait:
            return len(runs)
        return sum(run.result() for run in runs)

    def collect(self, sweep: bool | None = None) -> int:
        """Turn queued entries into pending messages (idempotent by id), pulling them from their handover."""
        if sweep is None:
            sweep = time.monotonic() - self._last_sweep >= self.sweep_seconds
        if sweep:
            self._last_sweep = time.monotonic()
        return sum(self.repo.enqueue_webhook(handover_id, entry, self.clock.now())
                   for handover_id, entry in self.repo.queued_webhooks(sweep, self.batch))

    def start_due(self) -> list[Future]:
        """Hand each endpoint's due messages to the pool, unless that endpoint is running or paused."""
        with self._lock:
            running = set(self._runs)
        due = self.repo.due_messages(self.clock.now(), self.batch, running | set(self.repo.paused_partners()))
        per_partner: dict[str, list[str]] = {}
        for message_id, partner_id in due:
            per_partner.setdefault(partner_id, []).append(message_id)
        runs = []
        for partner_id, message_ids in per_partner.items():
            with self._lock:
                if partner_id in self._runs:
                    continue
                self._runs[partner_id] = None  # before submitting: a run that ends at once removes it
            run = self._pool.submit(self._run, partner_id, message_ids)
            runs.append(run)
        return runs

    def busy(self) -> set[str]:
        """The partners whose endpoint a run of this process is delivering to now."""
        with self._lock:
            return set(self._runs)

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)

    def _run(self, partner_id: str, message_ids: list[str]) -> int:
        """Attempt one endpoint's due messages in order; stop at the first failure (the rest stay due)."""
        attempts = 0
        try:
            for message_id in message_ids:
                now = self.clock.now()
                if not self.repo.lease_endpoint(partner_id, self.owner, now, now + timedelta(seconds=LEASE_SECONDS
                                                                                           + TIMEOUT_SECONDS)):
                    break  # another replica delivers to this endpoint now
                outcome = self._attempt(message_id)
                if outcome is None:
                    continue
                attempts += 1
                if not outcome.delivered:
                    break
        except Exception:  # noqa: BLE001 - a run that fails leaves its messages due for the next round
            log.exception("webhook run for %s failed", partner_id)
        finally:
            self.repo.release_endpoint(partner_id, self.owner)
            with self._lock:
                self._runs.pop(partner_id, None)
        return attempts

    def _attempt(self, message_id: str) -> Outcome | None:
        now = self.clock.now()
        # claim first, so that two worker replicas never post the same attempt
        msg = self.repo.claim_message(message_id, now, now + timedelta(seconds=CLAIM_SECONDS))
        if msg is None:
            return None
        webhook = (self.repo.get_partner(msg["partner_id"]) or {}).get("webhook")
        if webhook and webhook.get("paused_at"):
            return None  # paused since the round began: the claim runs out, resuming makes it due
        if webhook:
            outcome = self.notifier.send(webhook["url"], signing_secrets(webhook, now), msg["_id"],
                                         int(now.timestamp()), msg["body"])
        else:  # removed since the message was queued: give up now; a replay can send it once there is one
            outcome = Outcome(None, "no webhook configured", 0.0, "no_webhook")
        ended = self.clock.now()  # the wait before a retry starts when the attempt is over
        failures = 0 if outcome.delivered else msg["failures"] + 1
        if outcome.delivered:
            state, next_at = "delivered", None
        elif webhook and failures <= len(BACKOFF_SECONDS):
            state, next_at = "pending", ended + timedelta(seconds=BACKOFF_SECONDS[failures - 1])
        else:
            state, next_at = "failed", None
        self.repo.record_attempt({
            "_id": f"dlv_{ULID()}", "partner_id": msg["partner_id"], "message_id": msg["_id"],
            "event_type": msg["event_type"], "handover_id": msg["handover_id"], "returnee_id": msg["returnee_id"],
            "attempt": msg["attempts"] + 1, "status_code": outcome.status_code, "error": outcome.error,
            "error_kind": outcome.error_kind,
            "duration_ms": outcome.duration_ms, "attempted_at": now, "next_attempt_at": next_at, "state": state},
            failures)
        if outcome.delivered:
            self.repo.endpoint_delivered(msg["partner_id"])
        elif webhook:
            self._failed(msg["partner_id"], ended, outcome)
        return outcome

    def _failed(self, partner_id: str, at: datetime, outcome: Outcome) -> None:
        """Note the failure; pause the endpoint once it has failed for `pause_after`."""
        failing_since = self.repo.endpoint_failed(partner_id, at)
        if not self.pause_after or failing_since is None:
            return
        if at - failing_since < self.pause_after:
            return
        hours = self.pause_after.total_seconds() / 3600
        note = (f"Webhook paused: every delivery failed for {hours:g} hours (last: {outcome.error}). "
                "Messages keep queueing; resume it once the endpoint works again.")
        event = build_event(PAUSED, partner_id, {
            "partner_id": partner_id, "paused_at": at.isoformat(), "failing_since": failing_since.isoformat(),
            "last_error": outcome.error}, at)
        if self.repo.pause_endpoint(partner_id, at - self.pause_after, at, note, event):
            log.warning("webhook of %s paused after failing since %s", partner_id, failing_since)
