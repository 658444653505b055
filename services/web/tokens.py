"""The short-lived staff JWTs the web service signs for the APIs, and the key set that verifies them.

The services trust this key set through `JWT_JWKS_URLS` (web's `/.well-known/jwks.json`).
"""
from __future__ import annotations

import threading
import time

from shared.auth import TokenIssuer, jwks, load_private_key


SUBJECT_PREFIX = "web:"


def staff_subject(username: str) -> str:
    """The `sub` of a staff member's tokens: what the APIs record (intake's `consultant`)."""
    return SUBJECT_PREFIX + username


def staff_name(subject: str | None) -> str:
    """Who a recorded `sub` is, as the pages show it: the user name of this web app's staff."""
    return (subject or "").removeprefix(SUBJECT_PREFIX)


class StaffTokens:
    """Issues a token per user and role, reused until a minute before it expires."""

    def __init__(self, key_file: str, issuer: str, ttl_seconds: int, create_dev_key: bool, clock=time.time):
        self._key = load_private_key(key_file, create_dev_key=create_dev_key)
        self._issuer = TokenIssuer(self._key, issuer, ttl_seconds=ttl_seconds, clock=clock)
        self._clock = clock
        self._cache: dict[tuple[str, str], tuple[str, float]] = {}
        self._lock = threading.Lock()

    def for_user(self, username: str, role: str, claims=None) -> str:
        """`claims()` (when given) gives the need-to-know claims (`offices`, `caseload`), read only when a token is signed."""
        now = self._clock()
        with self._lock:
            cached = self._cache.get((username, role))
            if cached and cached[1] - now > 60:
                return cached[0]
            token, lifetime = self._issuer.issue(staff_subject(username), role, **(claims() if claims else {}))
            self._cache[(username, role)] = (token, now + lifetime)
            return token

    def forget(self, username: str) -> None:
        """Sign the person's next token afresh (their access changed)."""
        with self._lock:
            for key in [key for key in self._cache if key[0] == username]:
                del self._cache[key]

    def jwks(self) -> dict:
        return jwks([self._key.public_key()])
