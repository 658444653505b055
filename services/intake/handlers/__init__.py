"""Intake's use cases, one module per part: returnees (register, correct, consent, erase, keys, progress), journey
(handover request, departure, trajectory, exit), organisations (the return organisations), events_in (following
partners' and monitoring's events); common.py holds `Deps` and the one way a change is stored. Every use case is
importable from here, and HANDLERS maps each consumed event type to its handler.
"""
from __future__ import annotations

from services.intake.handlers.common import Deps, get_returnee
from services.intake.handlers.returnees import (register_returnee, update_returnee, set_consent, progress_report,
                                                PERSONAL_AND_FREE_TEXT, erase_returnee, release_personal_key)
from services.intake.handlers.journey import request_handover, record_departure, change_trajectory, record_exit
from services.intake.handlers.organisations import (DEFAULT_ORGANISATIONS, slug, add_organisation,
                                                    set_organisation_active, seed_organisations)
from services.intake.handlers.events_in import follow_handover, follow_monitoring, keep_insights, HANDLERS

__all__ = ["Deps", "get_returnee", "register_returnee", "update_returnee", "set_consent",
           "progress_report", "PERSONAL_AND_FREE_TEXT", "erase_returnee", "release_personal_key", "request_handover",
           "record_departure", "change_trajectory", "record_exit", "DEFAULT_ORGANISATIONS", "slug",
           "add_organisation", "set_organisation_active", "seed_organisations", "follow_handover",
           "follow_monitoring", "keep_insights", "HANDLERS"]
