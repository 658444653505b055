"""Intake's HTTP tests share one app: intake on an in-memory store, with a consultant's headers."""
from __future__ import annotations

import pytest

from services.intake.api import create_app
from services.intake.bootstrap import IntakeService


@pytest.fixture
def intake(build, auth):
    """(test client, service, consultant headers); the unit tests' clock stands at 2026-03-02."""
    service = build(IntakeService, "intake")
    return create_app(service=service).test_client(), service, auth("consultant")
