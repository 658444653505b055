"""The services' code lists on a page (`GET /v1/vocabularies[/{name}]`, see `shared.http.vocabularies`): a
copy per process, asked again with `If-None-Match` at most every `recheck` seconds (a 304 keeps the copy),
and the label of a code in the page's language.

Nothing here knows an app or its API client: each app passes how it fetches a document.
"""
from __future__ import annotations

import threading
import time


class HeldCopies:
    """Documents kept per key. `fetch(key, etag)` answers (etag, document), or (etag, None) when the service
    answered 304 Not Modified to the `etag` of the copy held. When it raises one of `failures`, the copy held
    is used (and asked for again `recheck` seconds later), or the error goes on when there is none."""

    def __init__(self, fetch, recheck: float = 300.0, failures: tuple = (Exception,), monotonic=time.monotonic):
        self.fetch, self.recheck, self.failures, self.monotonic = fetch, recheck, failures, monotonic
        self._held: dict = {}  # key -> (etag, document, checked)
        self._lock = threading.Lock()

    def get(self, key) -> dict:
        with self._lock:
            held = self._held.get(key)
        if held and self.monotonic() - held[2] < self.recheck:
            return held[1]
        try:
            etag, document = self.fetch(key, held[0] if held else None)
        except self.failures:
            if not held:
                raise
            etag, document = held[0], held[1]
        if document is None:
            if not held:
                raise LookupError(f"{key}: answered 'not modified' while no copy is held")
            document = held[1]
        with self._lock:
            self._held[key] = (etag or "", document, self.monotonic())
        return document

    def clear(self) -> None:
        """Forget every copy: the next `get` of each key fetches it anew."""
        with self._lock:
            self._held.clear()


def label_text(labels: dict, locale: str, fallback: str) -> str:
    """A code's label in `locale` (or in its language: "nl" for "nl_BE"); `fallback` when there is none."""
    language = str(locale).replace("-", "_").split("_")[0]
    return labels.get(str(locale)) or labels.get(language) or fallback
