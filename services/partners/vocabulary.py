"""The code lists partners accepts, declared once: the schemas, the stored documents and the rules use these
tuples, and `GET /v1/vocabularies` serves them with their labels from translations/<lang>/LC_MESSAGES/messages.po.

Adding a code: add it here, give it a label in the three catalogues (`make translations`, then translate),
and teach the rules in domain.py / handlers.py what it means. The support types, the plan's goal actors and
statuses, the vulnerabilities and the handover statuses are the network's lists (shared/vocabulary.py, labelled
in shared/translations). See docs/vocabularies.md.
"""
from __future__ import annotations

from pathlib import Path

from shared.vocabulary import COUNTRIES, HANDOVER_STATUSES, LANGUAGES, SUPPORT_TYPES, VULNERABILITIES, Vocabulary

__all__ = ["DECLINE_REASONS", "HANDOVER_STATUSES", "MESSAGE_STATES", "PARTNER_USER_ROLES", "SUPPORT_TYPES",
           "VOCABULARY", "VULNERABILITIES"]

DECLINE_REASONS = ("no_capacity", "not_in_coverage_area", "services_not_offered", "other")
MESSAGE_STATES = ("pending", "delivered", "failed")  # of a webhook message: retried while pending
PARTNER_USER_ROLES = ("coordinator", "field_worker")  # a partner organisation's people

VOCABULARY = Vocabulary("partners", Path(__file__).parent / "translations", {
    "decline_reasons": DECLINE_REASONS,
    "message_states": MESSAGE_STATES,
    "partner_user_roles": PARTNER_USER_ROLES,
}, references=(COUNTRIES, LANGUAGES, "support_types", "goal_actors", "goal_statuses", "vulnerabilities",
               "handover_statuses"))  # what a partner offers, the fixed plan's goals it follows, what an offer
# tells of the returnee and where the handover stands
