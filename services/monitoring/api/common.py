"""What several monitoring resources use: the service of the current app, the staff roles, and what project
leads never see."""
from __future__ import annotations

from services.monitoring.bootstrap import MonitoringService
from shared.http import principal, runtime
from shared.redaction import without

STAFF = ("consultant", "project_lead", "admin")
# What a person wrote in a check-in or on an alert: project leads see aggregates and pseudonymous ids only
# (PRIVACY.md), so their cases and alerts come without it (tests/unit/test_routes_protected.py walks every route)
CHECKIN_FREE_TEXT = ("notes", "reason", "support_delivered.*.description")
ALERT_FREE_TEXT = ("acknowledged_note", "resolution")
CASE_FREE_TEXT = (*(f"checkins.*.{f}" for f in CHECKIN_FREE_TEXT), *(f"slots.*.checkin.{f}" for f in CHECKIN_FREE_TEXT),
                  *(f"alerts.*.{f}" for f in ALERT_FREE_TEXT))


def for_caller(answer, free_text: tuple[str, ...]):
    """The answer as the caller may see it: a project lead's without the fields `free_text` names."""
    return without(answer, free_text) if principal().role == "project_lead" else answer


def _service() -> MonitoringService:
    return runtime().extras["service"]
