"""What several monitoring resources use: the service of the current app and the staff roles."""
from __future__ import annotations

from services.monitoring.bootstrap import MonitoringService
from shared.http import runtime

STAFF = ("consultant", "project_lead", "admin")


def _service() -> MonitoringService:
    return runtime().extras["service"]
