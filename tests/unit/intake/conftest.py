"""Intake's HTTP tests share one app: intake on an in-memory store, with a consultant's headers."""
from __future__ import annotations

import pytest

from services.intake.api import create_app
from services.intake import offices
from services.intake.bootstrap import IntakeService
from tests.unit.intake.caseload import build_caseload


@pytest.fixture
def intake(build, auth):
    """(test client, service, consultant headers); the unit tests' clock stands at 2026-03-02. The consultant
    works for every office (need-to-know: tests/unit/intake/test_access.py narrows it)."""
    service = build(IntakeService, "intake")
    return create_app(service=service).test_client(), service, auth("consultant", offices=tuple(offices.offices()))


@pytest.fixture
def caseload(intake, clock):
    """Registered on 2 March 2026: amsterdam (west) FO, decides 2 March; haarlem (west) FO, to IOM 2 March;
    utrecht (midden) RG; one without office. On 1 April the amsterdam client is handed over."""
    return build_caseload(intake, clock)
