"""Slow guessing of secrets (client secrets, passwords, invitation codes) without letting a stranger lock
the owner out: the one throttle of the partners token endpoint, the partners' invitations and the staff
sign-in of the web app (issue 22).

Only failed attempts count, and they count twice:

- per (key, source address), the key being a client id or a user name: a few free failures, then
  each further attempt waits twice as long as the one before (1 s, 2 s, 4 s, ... up to 15 minutes).
  A guesser from one address gets about 18 guesses an hour; a person who mistyped waits seconds, and
  a success resets it. The right secret is refused only where that address itself guessed wrong.
- per key over all addresses (`spread`: at most so many failures in so many seconds, or None): beyond
  that, addresses that have not succeeded for this key recently are refused until the window has room
  again. Addresses that have (the partner's own systems, the desk a person signs in at) carry on, so a
  stranger spread over many addresses slows only other strangers. The caller may say whether an
  address is known (`wait(..., known=True)`, from what it stores); otherwise the throttle remembers the
  addresses that succeeded, in memory.

A refused attempt is refused before the secret is checked, so a 429 says nothing about the secret, and
an unknown key is counted like a known one, so it says nothing about which keys exist either.
State lives in this process's memory (bounded); with several processes each keeps its own, and a
gateway in front can add a shared limit.
"""
from __future__ import annotations

import math
import threading
from collections import OrderedDict, deque
from dataclasses import dataclass, field

FREE_FAILURES = 5  # per key and address; the attempt after the fifth failure waits
FIRST_DELAY, LONGEST_DELAY = 1.0, 900.0  # seconds: doubled per further failure, capped
CLIENT_FAILURES, CLIENT_WINDOW = 100, 600.0  # the token endpoint's limit per client id over all addresses
KNOWN_FOR = 30 * 86_400.0  # an address that succeeded is the owner's own for this long
KNOWN_PER_KEY = 32  # addresses remembered per key
MAX_ENTRIES = 50_000  # pairs and keys remembered: the oldest are forgotten first


@dataclass
class _Pair:
    failures: int = 0
    not_before: float = 0.0


@dataclass
class _Key:
    failures: deque = field(default_factory=deque)  # times of recent failures, oldest first
    known: OrderedDict = field(default_factory=OrderedDict)  # address -> time of its last success


class GuessThrottle:
    def __init__(self, clock, free_failures: int = FREE_FAILURES,
                 spread: tuple[int, float] | None = (CLIENT_FAILURES, CLIENT_WINDOW)):
        self.clock = clock
        self.free_failures = free_failures
        self.spread = spread  # (failures, seconds) over all addresses per key; None: per (key, address) only
        self._pairs: OrderedDict[tuple[str, str], _Pair] = OrderedDict()
        self._keys: OrderedDict[str, _Key] = OrderedDict()
        self._lock = threading.Lock()

    def _now(self) -> float:
        return self.clock.now().timestamp()

    def wait(self, key: str, source: str, known: bool | None = None) -> int | None:
        """Seconds before `source` may try a secret for `key` again; None when it may now. `known`: whether
        `source` has succeeded for `key` before (None: as this throttle remembers)."""
        now = self._now()
        with self._lock:
            pair = self._pairs.get((key, source))
            waits = [pair.not_before - now] if pair else []
            entry = self._keys.get(key) if self.spread else None
            if entry is not None and not (self._known(entry, source, now) if known is None else known):
                limit, window = self.spread
                recent = self._recent(entry, now)
                if len(recent) >= limit:
                    waits.append(recent[-limit] + window - now)
        longest = max(waits, default=0.0)
        return math.ceil(longest) if longest > 0 else None

    def failed(self, key: str, source: str) -> None:
        """A wrong secret, or an unknown key, from `source`."""
        now = self._now()
        with self._lock:
            pair = self._touch(self._pairs, (key, source), _Pair)
            pair.failures += 1
            beyond = pair.failures - self.free_failures  # 0 after the last free one: the next attempt waits
            if beyond >= 0:
                pair.not_before = now + min(FIRST_DELAY * 2 ** beyond, LONGEST_DELAY)
            if not self.spread:
                return
            recent = self._recent(self._touch(self._keys, key, _Key), now)
            recent.append(now)
            while len(recent) > self.spread[0]:
                recent.popleft()

    def succeeded(self, key: str, source: str) -> None:
        """The right secret from `source`: its count starts again and the address is the owner's own."""
        now = self._now()
        with self._lock:
            self._pairs.pop((key, source), None)
            if not self.spread:
                return
            known = self._touch(self._keys, key, _Key).known
            known[source] = now
            known.move_to_end(source)
            while len(known) > KNOWN_PER_KEY:
                known.popitem(last=False)

    @staticmethod
    def _known(entry: _Key, source: str, now: float) -> bool:
        seen = entry.known.get(source)
        return seen is not None and now - seen < KNOWN_FOR

    def _recent(self, entry: _Key, now: float) -> deque:
        while entry.failures and entry.failures[0] <= now - self.spread[1]:
            entry.failures.popleft()
        return entry.failures

    @staticmethod
    def _touch(entries: OrderedDict, key, make):
        entry = entries.get(key)
        if entry is None:
            entry = entries[key] = make()
            while len(entries) > MAX_ENTRIES:
                entries.popitem(last=False)
        entries.move_to_end(key)
        return entry
