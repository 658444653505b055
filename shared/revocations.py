"""Ending a partner's tokens before they expire (issue 22, item 3).

A partner's access token lives up to 15 minutes and every service verifies it on its own, offline. When an
administrator revokes a credential, deactivates an organisation or a person, partners records the revocation
and sends `partner.access_revoked.v1`; every service that accepts partner tokens keeps the revocations in its
own store (`RevocationRecord`) and its verifier refuses a token of that subject or organisation issued at or
before the revocation (`TokenVerifier(revoked=Revocations.ended)`): 401 "token revoked".

How fast: in the process that recorded it, at once; in the service's other processes within
`REVOCATION_REFRESH_SECONDS` (1 s: each process reloads the live revocations, a handful of small documents,
at most that often and only when a partner's token comes); in another service once its consumer applied the
event (normally well under a second with the relay and the consumer running) plus that refresh. A revocation is
forgotten when no token it could end is still valid (the longest lifetime plus the verifier's leeway).

Times are the wall clock the tokens' `iat` and `exp` are written in (`time.time`), not a service's business clock.
"""
from __future__ import annotations

import threading
import time
from datetime import datetime, timedelta, timezone
from typing import Callable, Iterable

from shared.auth import Principal
from shared.documents import SCHEMA_VERSION
from shared.dates import aware

LONGEST_TOKEN_SECONDS = 900  # TokenIssuer's ceiling
LEEWAY_SECONDS = 60  # beyond the verifier's 30 s leeway


def subject_key(subject: str) -> str:
    return f"sub:{subject}"


def organisation_key(organisation: str) -> str:
    return f"org:{organisation}"


class Revocations:
    """The live revocations of one service's store, as of at most `refresh_seconds` ago (or this process's own)."""

    def __init__(self, document_class, refresh_seconds: float = 1.0, clock: Callable[[], float] = time.time):
        self.documents = document_class
        self.refresh_seconds = refresh_seconds
        self._clock = clock
        self._lock = threading.Lock()
        self._revoked: dict[str, float] = {}  # key -> when (epoch seconds)
        self._loaded_at = float("-inf")

    def now(self) -> datetime:
        return datetime.fromtimestamp(self._clock(), timezone.utc)

    def revoke(self, keys: Iterable[str], at: datetime | None = None) -> datetime:
        """End every token of `keys` issued at or before `at` (default now); returns `at`. Idempotent: the
        latest revocation of a key wins."""
        at = at or self.now()
        at = aware(at)
        until = at + timedelta(seconds=LONGEST_TOKEN_SECONDS + LEEWAY_SECONDS)
        for key in keys:
            self.documents.objects(id=key).update_one(upsert=True, __raw__={
                "$max": {"revoked_at": at, "until": until}, "$setOnInsert": {"schema_version": SCHEMA_VERSION}})
            with self._lock:
                self._revoked[key] = max(self._revoked.get(key, float("-inf")), at.timestamp())
        self.documents.objects(until__lt=self.now()).delete()  # what can no longer end a token
        return at

    def _current(self) -> dict[str, float]:
        now = self._clock()
        if now - self._loaded_at >= self.refresh_seconds:
            live = {doc.id: _epoch(doc.revoked_at) for doc in self.documents.objects(until__gte=self.now())}
            with self._lock:
                for key, at in self._revoked.items():  # this process's own, even if not read back yet
                    if at + LONGEST_TOKEN_SECONDS + LEEWAY_SECONDS >= now:
                        live[key] = max(live.get(key, float("-inf")), at)
                self._revoked, self._loaded_at = live, now
        return self._revoked

    def ended(self, principal: Principal) -> bool:
        """Whether the token of `principal` was revoked (only partners' tokens are)."""
        if not principal.is_partner:
            return False
        revoked = self._current()
        keys = [subject_key(principal.sub)] + ([organisation_key(principal.org)] if principal.org else [])
        return any(principal.issued_at <= revoked.get(key, float("-inf")) for key in keys)


def _epoch(value: datetime) -> float:
    return aware(value).timestamp()
