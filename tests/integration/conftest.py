"""Integration tests run against a real Kafka-protocol broker (Tansu) started here on a free port."""
from __future__ import annotations

import pytest
from ulid import ULID

from shared.embedded_broker import EmbeddedBroker


@pytest.fixture(scope="session")
def broker():
    running = EmbeddedBroker().start()
    yield running
    running.stop()


@pytest.fixture
def own_broker():
    """A broker of this test's own, for tests that restart it."""
    running = EmbeddedBroker().start()
    yield running
    running.stop()


@pytest.fixture
def unique() -> str:
    return str(ULID()).lower()
