"""Monitoring's use cases: follow handovers and arrivals, record check-ins, judge slots, act on alerts.

One module per part: `writes.py` (Deps, and `mutate`: one read, one conditional write, then the
insights and history follow), `events_in.py` (the consumed events), `checkins.py` (recording a check-in
with its Idempotency-Key), `alerts.py` (alerts, the scheduler, rescoring). Each change to a case is a
named function there; every use case is importable from here, and HANDLERS maps each consumed event type
to its handler.
"""
from __future__ import annotations

from services.monitoring.events import (ACCESS_REVOKED, HANDOVER_ACCEPTED, HANDOVER_DECLINED, HANDOVER_EXPIRED,
                                        HANDOVER_REQUESTED, RETURNEE_ARRIVED, RETURNEE_DEPARTED, RETURNEE_ERASED,
                                        RETURNEE_ASSESSED, RETURNEE_EXITED, RETURNEE_UPDATED)
from services.monitoring.handlers.writes import (Deps, mutate, MAX_WRITE_ATTEMPTS)
from services.monitoring.handlers.events_in import (note_handover_requested, note_handover_answered, note_departure,
                                                    start_monitoring, follow_update, anonymise, close_for_exit,
                                                    note_access_revoked, watch_for_answer, record_answer,
                                                    record_departure, plan_check_ins, apply_update, blank_free_text,
                                                    close_before_arrival, note_assessment)
from services.monitoring.handlers.checkins import (visible_case, Claim, Answer, record_checkin, add_checkin, storable,
                                                   CASE_NOT_KNOWN_YET, RETRY_NOT_YET)
from services.monitoring.handlers.alerts import (act_on_alert, alert_view, judge_due_cases, rescore_all, act, judge,
                                                 rescore)

__all__ = ["HANDLERS", "Deps", "mutate", "MAX_WRITE_ATTEMPTS", "note_handover_requested", "note_handover_answered",
           "note_departure", "start_monitoring", "follow_update", "anonymise", "close_for_exit",
           "note_access_revoked", "watch_for_answer", "record_answer", "record_departure", "plan_check_ins",
           "apply_update", "blank_free_text", "close_before_arrival", "note_assessment", "visible_case", "Claim", "Answer",
           "record_checkin", "add_checkin", "storable", "CASE_NOT_KNOWN_YET", "RETRY_NOT_YET", "act_on_alert",
           "alert_view", "judge_due_cases", "rescore_all", "act", "judge", "rescore"]

HANDLERS = {
    RETURNEE_UPDATED: follow_update,
    HANDOVER_REQUESTED: note_handover_requested,
    HANDOVER_ACCEPTED: note_handover_answered,
    HANDOVER_DECLINED: note_handover_answered,
    HANDOVER_EXPIRED: note_handover_answered,
    RETURNEE_DEPARTED: note_departure,
    RETURNEE_ARRIVED: start_monitoring,
    RETURNEE_ERASED: anonymise,
    RETURNEE_EXITED: close_for_exit,
    ACCESS_REVOKED: note_access_revoked,
    RETURNEE_ASSESSED: note_assessment,
}

