"""Slow guessing of client secrets at the token endpoint, without letting a stranger lock a partner out.

The old rule (30 attempts per client id and minute, from anyone) let anybody who knew a client id
keep the real partner from getting tokens. Now only failed attempts count, and they count twice:

- per (client id, source address): a few free failures, then each further attempt waits twice as
  long as the one before (1 s, 2 s, 4 s, ... up to 15 minutes). A guesser from one address gets
  about 18 guesses an hour; a partner who mistyped its secret waits seconds, and a success resets it.
- per client id (all addresses together): at most `CLIENT_FAILURES` failures in `CLIENT_WINDOW`
  seconds; beyond that, addresses this client has not obtained a token from recently are refused
  until the window has room again. Addresses it has (the partner's own systems) carry on, so a
  stranger spread over many addresses slows only other strangers.

A refused attempt is refused before the secret is checked, so a 429 says nothing about the secret.

The same class slows guessing of people's passwords (the password grant, keyed by user name) and of
invitation codes, with `spread_limit=False`: a person signs in from phones on changing networks, so
there is no "own address" to keep working, and a limit over all addresses would let a stranger lock
the person out (issue 22). Per (user name, address) the right password is refused only where that
address itself guessed wrong; from anywhere else it is never refused.
State lives in this process's memory (bounded); with several replicas each keeps its own, and a
gateway in front can add a shared limit.
"""
from __future__ import annotations

import math
import threading
from collections import OrderedDict, deque
from dataclasses import dataclass, field

FREE_FAILURES = 5  # per client id and address; the attempt after the fifth failure waits
FIRST_DELAY, LONGEST_DELAY = 1.0, 900.0  # seconds: doubled per further failure, capped
CLIENT_FAILURES, CLIENT_WINDOW = 100, 600.0  # per client id over all addresses
KNOWN_FOR = 30 * 86_400.0  # an address that obtained a token is the partner's own for this long
KNOWN_PER_CLIENT = 32  # addresses remembered per client id
MAX_ENTRIES = 50_000  # pairs and client ids remembered: the oldest are forgotten first


@dataclass
class _Pair:
    failures: int = 0
    not_before: float = 0.0


@dataclass
class _Client:
    failures: deque = field(default_factory=deque)  # times of recent failures, oldest first
    known: OrderedDict = field(default_factory=OrderedDict)  # address -> time of its last success


class TokenThrottle:
    def __init__(self, clock, spread_limit: bool = True):
        self.clock = clock
        self.spread_limit = spread_limit  # False: per (key, address) only, no limit over all addresses
        self._pairs: OrderedDict[tuple[str, str], _Pair] = OrderedDict()
        self._clients: OrderedDict[str, _Client] = OrderedDict()
        self._lock = threading.Lock()

    def _now(self) -> float:
        return self.clock.now().timestamp()

    def wait(self, client_id: str, source: str) -> int | None:
        """Seconds before `source` may try a secret for `client_id` again; None when it may now."""
        now = self._now()
        with self._lock:
            pair = self._pairs.get((client_id, source))
            waits = [pair.not_before - now] if pair else []
            client = self._clients.get(client_id) if self.spread_limit else None
            if client is not None and not self._known(client, source, now):
                recent = self._recent(client, now)
                if len(recent) >= CLIENT_FAILURES:
                    waits.append(recent[0] + CLIENT_WINDOW - now)
        longest = max(waits, default=0.0)
        return math.ceil(longest) if longest > 0 else None

    def failed(self, client_id: str, source: str) -> None:
        """A wrong secret or an unknown client id from `source`."""
        now = self._now()
        with self._lock:
            pair = self._touch(self._pairs, (client_id, source), _Pair)
            pair.failures += 1
            beyond = pair.failures - FREE_FAILURES  # 0 after the last free one: the next attempt waits
            if beyond >= 0:
                pair.not_before = now + min(FIRST_DELAY * 2 ** beyond, LONGEST_DELAY)
            if not self.spread_limit:
                return
            recent = self._recent(self._touch(self._clients, client_id, _Client), now)
            recent.append(now)
            while len(recent) > CLIENT_FAILURES:
                recent.popleft()

    def succeeded(self, client_id: str, source: str) -> None:
        """The right secret from `source`: its count starts again and the address is the partner's own."""
        now = self._now()
        with self._lock:
            self._pairs.pop((client_id, source), None)
            if not self.spread_limit:
                return
            known = self._touch(self._clients, client_id, _Client).known
            known[source] = now
            known.move_to_end(source)
            while len(known) > KNOWN_PER_CLIENT:
                known.popitem(last=False)

    @staticmethod
    def _known(client: _Client, source: str, now: float) -> bool:
        seen = client.known.get(source)
        return seen is not None and now - seen < KNOWN_FOR

    @staticmethod
    def _recent(client: _Client, now: float) -> deque:
        while client.failures and client.failures[0] <= now - CLIENT_WINDOW:
            client.failures.popleft()
        return client.failures

    @staticmethod
    def _touch(entries: OrderedDict, key, make):
        entry = entries.get(key)
        if entry is None:
            entry = entries[key] = make()
            while len(entries) > MAX_ENTRIES:
                entries.popitem(last=False)
        entries.move_to_end(key)
        return entry
