"""Partners' use cases: organisations and credentials, tokens, and the handover lifecycle, one module
per part (`organisations.py`, `handovers.py`, `intake_events.py`; `common.py` holds `Deps`). Every use
case is importable from here, and HANDLERS maps each consumed event type to its handler.

Handlers raise domain errors (`shared.errors`); the HTTP layer maps them to problem responses.
"""
from __future__ import annotations

from services.partners.events import (ALERT_RAISED, CONSENT_CHANGED, HANDOVER_REQUESTED, ITEM_SHARED, ITEM_UNSHARED,
                                      MONITORING_COMPLETED, REMINDER_DUE,
                                      RETURNEE_DEPARTED, RETURNEE_ERASED, RETURNEE_EXITED, RETURNEE_UPDATED)
from services.partners.handlers.common import NO_PARTNER, Deps, InvalidClient
from services.partners.handlers.organisations import (register_partner, get_partner, list_partners, update_partner,
                                                      list_credentials, issue_credentials, revoke_credentials,
                                                      revoke_all_credentials, exchange_token)
from services.partners.handlers.handovers import (list_handovers, own_handover, alternatives, accept_handover,
                                                  decline_handover, confirm_arrival, expire_stale_offers,
                                                  warn_expiring_offers)
from services.partners.handlers.shared_items import drop_shared_item, keep_shared_item, shared_document, shared_items
from services.partners.handlers.intake_events import (offer_handover, open_sealed_personal, record_departure,
                                                      update_copy, remind_partner, tell_checkin_overdue,
                                                      apply_consent_change,
                                                      withdraw_for_exit, erase_returnee, note_monitoring_ended)

__all__ = ["HANDLERS", "NO_PARTNER", "Deps", "InvalidClient", "register_partner", "get_partner", "list_partners",
           "update_partner", "list_credentials", "issue_credentials", "revoke_credentials", "revoke_all_credentials",
           "exchange_token", "list_handovers", "own_handover", "alternatives", "accept_handover", "decline_handover",
           "confirm_arrival", "expire_stale_offers", "offer_handover", "open_sealed_personal", "record_departure",
           "update_copy", "remind_partner", "apply_consent_change", "withdraw_for_exit", "erase_returnee",
           "note_monitoring_ended", "tell_checkin_overdue", "warn_expiring_offers", "keep_shared_item", "drop_shared_item",
           "shared_items", "shared_document"]

HANDLERS = {
    MONITORING_COMPLETED: note_monitoring_ended,
    RETURNEE_UPDATED: update_copy,
    REMINDER_DUE: remind_partner,
    ALERT_RAISED: tell_checkin_overdue,
    HANDOVER_REQUESTED: offer_handover,
    RETURNEE_DEPARTED: record_departure,
    CONSENT_CHANGED: apply_consent_change,
    RETURNEE_ERASED: erase_returnee,
    RETURNEE_EXITED: withdraw_for_exit,
    ITEM_SHARED: keep_shared_item,
    ITEM_UNSHARED: drop_shared_item,
}
