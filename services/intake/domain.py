"""Returnees: the status lifecycle and what counts as personal data (stdlib only, and the event type names)."""
from __future__ import annotations

# the code lists (statuses, trajectories, exit reasons, ...) are declared in vocabulary.py
from services.intake.events import (HANDOVER_ACCEPTED, HANDOVER_DECLINED, HANDOVER_EXPIRED, MONITORING_COMPLETED,
                                    RETURNEE_ARRIVED)
from services.intake.vocabulary import RETURN_GUIDANCE
from shared.redaction import without
from shared.texts import Text

# A returnee registered before trajectories existed (or without naming one) was registered to be handed over.
DEFAULT_TRAJECTORY = RETURN_GUIDANCE

# Personal data: shared with the partner only with consent, inside `personal`; never in other events.
PERSONAL_FIELDS = ("given_name", "family_name", "date_of_birth", "gender", "nationality", "contact")
# What partners and monitoring hold a copy of (besides `personal`): changes are sent on to them.
SHARED_FIELDS = ("region", "languages", "household", "vulnerabilities", "reintegration_plan", "planned_departure_date",
                 "office")
# Never leaves intake, and project leads never see it.
INTERNAL_FIELDS = ("client_ref",)
# Nor do project leads see free text a person wrote (which may hold anything: "HIV treatment") or the region as
# typed; they follow the programme through aggregates and pseudonymous ids (PRIVACY.md)
LEAD_HIDDEN = ("region", "reintegration_plan.goals", "reintegration_plan.planned_support.*.description", "exit.note",
               "handover.decline.detail")
# the same in the half-yearly progress report (`plan` and `decision` as services.intake.progress writes them)
LEAD_HIDDEN_IN_REPORT = ("plan.goals", "plan.planned_support.*.description", "decision.exit.note")

# from departure on, a case ends through monitoring's outcomes, never through an exit
AFTER_DEPARTURE = ("departed", "arrived", "monitoring_completed", "closed")
# the partner confirmed the arrival: a departure not recorded yet may still be (the consultant learns of it later)
AFTER_ARRIVAL = ("arrived", "monitoring_completed", "closed")

# what a consultant may do -> statuses it starts from
COMMANDS = {
    "request_handover": ("registered", "handover_declined"),
    "record_departure": ("handover_accepted", *AFTER_ARRIVAL),
    "withdraw_consent": ("handover_requested",),
    # an exit ends the case before departure; after it monitoring's outcomes apply
    "record_exit": ("registered", "handover_requested", "handover_declined", "handover_accepted"),
    # a decision (or going back on one) only while no partner holds or considers the case
    "change_trajectory": ("registered", "handover_declined"),
}

# partner/monitoring event -> (statuses it applies to, resulting status)
EVENT_TRANSITIONS = {
    HANDOVER_ACCEPTED: (("handover_requested",), "handover_accepted"),
    HANDOVER_DECLINED: (("handover_requested",), "handover_declined"),
    HANDOVER_EXPIRED: (("handover_requested",), "handover_declined"),
    RETURNEE_ARRIVED: (("handover_accepted", "departed"), "arrived"),
    MONITORING_COMPLETED: (("arrived",), "monitoring_completed"),
}


class StateConflict(Exception):
    """The returnee's status does not allow the command (HTTP 409)."""


def check_command(status: str, command: str) -> None:
    allowed = COMMANDS[command]
    if status not in allowed:
        raise StateConflict(Text("cannot {command} for a returnee who is {status} (allowed when {allowed})",
                                 command=command.replace("_", " "), status=status, allowed=" or ".join(allowed)))


def personal_part(returnee: dict) -> dict:
    return {name: returnee[name] for name in PERSONAL_FIELDS if returnee.get(name) is not None}


def pseudonymous(returnee: dict) -> dict:
    """The view for project leads: no names, no contact, no file number, no free text a person wrote and no
    region below the country (LEAD_HIDDEN)."""
    return without({k: v for k, v in returnee.items() if k not in PERSONAL_FIELDS + INTERNAL_FIELDS}, LEAD_HIDDEN)
