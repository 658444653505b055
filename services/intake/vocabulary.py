"""The code lists intake accepts, declared once: the schemas, the stored documents and the rules use these
tuples, and `GET /v1/vocabularies` serves them with their labels from translations/<lang>/LC_MESSAGES/messages.po.

Adding a code: add it here, give it a label in the three catalogues (`make translations`, then translate),
and teach the rules in domain.py / handlers.py what it means. See the README, "Vocabularies".
"""
from __future__ import annotations

from pathlib import Path

from shared.vocabulary import COUNTRIES, LANGUAGES, Vocabulary

GENDERS = ("female", "male", "other", "unknown")
VULNERABILITIES = ("medical", "chronic_illness", "mental_health", "trafficking_victim", "unaccompanied_minor",
                   "lgbt", "elderly_without_network", "single_parent", "low_literacy")
SUPPORT_TYPES = ("housing", "medical", "business", "education", "psychosocial", "family_tracing",
                 "documents", "cash")
DOMAINS = ("economic", "housing", "social", "health", "resilience")  # of the plan's goals (monitoring scores them)
STATUSES = ("registered", "handover_requested", "handover_declined", "handover_accepted", "departed",
            "arrived", "monitoring_completed", "closed", "exited")
# The two trajectories of the programme (000_..., 3.1 and 3.3): counselling about the future before any
# decision, and guidance of a client who decided to return. Only return guidance leads to a handover.
FUTURE_ORIENTATION, RETURN_GUIDANCE = "future_orientation", "return_guidance"
TRAJECTORIES = (FUTURE_ORIENTATION, RETURN_GUIDANCE)
# Why a case ends without return (the outflows of 000_...'s "Kwartaalrapportage", plus the two it leaves out).
EXIT_REASONS = ("other_return_organisation", "irregular", "lso", "residence_permit", "other")
# intake's copy of the handover a partner answers (partners owns the lifecycle)
HANDOVER_STATUSES = ("offered", "accepted", "declined", "expired", "withdrawn", "arrived")

VOCABULARY = Vocabulary("intake", Path(__file__).parent / "translations", {
    "genders": GENDERS,
    "vulnerabilities": VULNERABILITIES,
    "support_types": SUPPORT_TYPES,
    "domains": DOMAINS,
    "returnee_statuses": STATUSES,
    "trajectories": TRAJECTORIES,
    "exit_reasons": EXIT_REASONS,
    "handover_statuses": HANDOVER_STATUSES,
}, references=(COUNTRIES, LANGUAGES))
