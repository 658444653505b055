"""Unit tests need no network: apps run without their background loops, on an in-memory store."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from shared.clock import ManualClock
from shared.kafka import Publisher


class RecordingPublisher(Publisher):
    """A publisher that records instead of talking to a broker."""

    def __init__(self):
        super().__init__("unused:0", "test")
        self.sent = []

    def publish_many(self, messages, on_acked=lambda index: None):
        for index, message in enumerate(messages):
            self.sent.append(tuple(message))
            on_acked(index)

    def connected(self) -> bool:
        return False


@pytest.fixture(autouse=True)
def no_connections_off_this_host(monkeypatch):
    """Unit tests never reach the network: an HTTP connection to anything but the loopback fails at once
    (tests fake outbound HTTP with `responses`, which answers before a connection is made)."""
    import ipaddress

    import urllib3.util.connection

    real = urllib3.util.connection.create_connection

    def guarded(address, *args, **kwargs):
        host = address[0]
        try:
            loopback = ipaddress.ip_address(host).is_loopback
        except ValueError:
            loopback = host == "localhost"
        if not loopback:
            raise OSError(f"unit tests do not connect to {host}")
        return real(address, *args, **kwargs)

    monkeypatch.setattr(urllib3.util.connection, "create_connection", guarded)


@pytest.fixture
def clock():
    return ManualClock(datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc))


@pytest.fixture
def publisher():
    return RecordingPublisher()


@pytest.fixture
def build(settings_for, clock, publisher):
    """build(ServiceClass) -> service on an in-memory store with a recording publisher, no loops."""

    built = []

    def make(service_class, name: str, **kwargs):
        if name == "partners":
            kwargs.setdefault("key_source", FakeKeySource())  # no calls to a real intake
            kwargs.setdefault("resolver", FakeResolver())  # no DNS: names resolve as the test says
        built.append(service_class(settings_for(name), clock=clock, publisher=publisher, **kwargs))
        return built[-1]

    yield make
    for service in built:  # the feeds' and the audit log's threads finish in this test's store, not the next one's
        for name in ("history_feed", "insights_feed", "audit"):
            feed = getattr(service, name, None)
            if feed is not None:
                feed.close()


from services.partners.keys import AbstractKeySource, KeyUnavailable  # noqa: E402


class FakeKeySource(AbstractKeySource):
    """Intake's key custody, in memory: `keys[returnee_id]`; `down` makes every call fail."""

    def __init__(self):
        self.keys = {}
        self.down = False

    def key_for(self, returnee_id):
        if self.down:
            raise KeyUnavailable("intake is down")
        return self.keys.get(returnee_id)


from services.partners.targets import AbstractResolver, Unresolvable  # noqa: E402

PUBLIC_ADDRESS = "93.184.215.14"  # a global unicast address; `responses` intercepts before any connection


class FakeResolver(AbstractResolver):
    """DNS in memory: `names[host]` lists its addresses; any `*.example` name resolves to a public address."""

    def __init__(self, names: dict | None = None):
        self.names = dict(names or {})
        self.lookups = []

    def addresses(self, host, port):
        import ipaddress

        self.lookups.append(host)
        if host in self.names:
            found = self.names[host]
            return [ipaddress.ip_address(a) for a in (found() if callable(found) else found)]
        if host.endswith(".example"):
            return [ipaddress.ip_address(PUBLIC_ADDRESS)]
        raise Unresolvable(f"{host} does not resolve (test resolver)")


@pytest.fixture
def hash_checks(monkeypatch):
    """Counts scrypt computations (a password or secret hashed or checked): the timing tests compare these
    counts, not wall time. `hash_checks()` is the count so far; `hash_checks.reset()` starts again."""
    import hashlib

    real, seen = hashlib.scrypt, []

    def counting(*args, **kwargs):
        seen.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(hashlib, "scrypt", counting)
    count = lambda: len(seen)  # noqa: E731
    count.reset = seen.clear
    return count
