"""The country insights' store, the relay their publications wake, and the repository under test."""
from __future__ import annotations

import pytest

from services.monitoring.documents import ALIAS
from services.monitoring.insights_repository import InsightsRepository
from shared import store
from tests.unit.monitoring.insights.world import K, WokenRelay


@pytest.fixture
def connect(settings_for):
    store.connect(settings_for("monitoring"), ALIAS)


@pytest.fixture
def relay():
    return WokenRelay()


@pytest.fixture
def repo(connect, relay):
    return InsightsRepository(K, notify=relay.notify)
