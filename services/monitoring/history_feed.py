"""What a check-in's write leaves to do, beside the requests (the insights feed's thread, linger and batches).

- **Keys**: each Idempotency-Key a case recorded with its answer is copied to the service's key store
  (`IdempotencyStore.keep`), where a retry finds it by the key alone once the case's short list of
  recent keys has moved on, and where a key used again for another returnee is refused (422).
- **History**: a case that can move `domain.history.MOVE_BATCH` check-ins moves them to its history
  records (`CaseRepository.move_history`, one conditional write of the case); when the case changed
  meanwhile it is tried again.

Nothing is lost when the process stops with work still held: a case holds its check-ins until they are
moved and its recent keys until newer ones push them out, and the repair at start (`repair_keys` in the
composition root) copies the keys every case still holds. What the copy cannot give is a refusal of a key
reused for another returnee before the first use was copied (a few milliseconds, the linger).
"""
from __future__ import annotations

import logging
from typing import Callable

from services.monitoring.insights_feed import InsightsFeed

log = logging.getLogger(__name__)


class HistoryFeed(InsightsFeed):
    thread_name = "history-feed"

    def __init__(self, keep_keys: Callable[[list[dict]], object], move: Callable[[str], bool], linger: float = 0.02,
                 batch: int = 100):
        super().__init__(self._follow, linger, batch)
        self.keep_keys = keep_keys  # IdempotencyStore.keep
        self.move = move  # CaseRepository.move_history

    def key_recorded(self, entry: dict) -> None:
        """A case recorded a key: `{id, fingerprint, status, body, at}`."""
        self.changed({"_id": f"key {entry['id']}", "key": entry})

    def case_grew(self, returnee_id: str) -> None:
        """A case can move check-ins to its history."""
        self.changed({"_id": f"case {returnee_id}", "move": returnee_id})

    def _follow(self, items: list[dict]) -> None:
        keys = [item["key"] for item in items if "key" in item]
        try:
            if keys:
                self.keep_keys(keys)
        except Exception:  # noqa: BLE001 - the cases still hold their recent keys; the repair copies them
            log.exception("history feed: %d keys not copied", len(keys))
        for item in items:
            if "move" in item:
                try:
                    if not self.move(item["move"]):
                        self.case_grew(item["move"])  # written meanwhile: again, from the case as it is now
                except Exception:  # noqa: BLE001 - the case keeps its check-ins; its next write tries again
                    log.exception("history feed: case %s not moved", item["move"])
