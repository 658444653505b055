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


@pytest.fixture
def clock():
    return ManualClock(datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc))


@pytest.fixture
def publisher():
    return RecordingPublisher()


@pytest.fixture
def build(settings_for, clock, publisher):
    """build(ServiceClass) -> service on an in-memory store with a recording publisher, no loops."""

    def make(service_class, name: str, **kwargs):
        if name == "partners":
            kwargs.setdefault("key_source", FakeKeySource())  # no calls to a real intake
        return service_class(settings_for(name), clock=clock, publisher=publisher, **kwargs)

    return make


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
