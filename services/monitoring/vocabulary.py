"""The code lists monitoring accepts, declared once: the schemas, the stored documents and the rules use these
tuples, and `GET /v1/vocabularies` serves them with their labels from translations/<lang>/LC_MESSAGES/messages.po,
the domains with the scoring rubric: what each score from 1 to 5 means, per domain.

Adding a code: add it here, give it a label in the three catalogues (`make translations`, then translate),
and teach the rules in domain/ what it means. The domains and the support types are the network's lists
(shared/vocabulary.py, labelled in shared/translations); a new domain also needs its rubric texts here (five
per language) and a place in the scoring scheme's dimensions (domain/scoring.py). See docs/vocabularies.md.
"""
from __future__ import annotations

from pathlib import Path

from services.monitoring.domain.scoring import CURRENT
from shared.vocabulary import COUNTRIES, DOMAINS, SUPPORT_TYPES, Rubric, Vocabulary

__all__ = ["BEFORE_AFTER_GROUPINGS", "ALERT_STATUSES", "ALERT_TYPES", "CASE_STATES", "CONTACT_MODES", "DOMAINS", "GROUPINGS", "SUPPORT_GROUPINGS", "OUTCOMES",
           "RETURNEE_STATUSES", "RUBRICS", "SCORES", "SLOT_STATUSES", "SUPPORT_TYPES", "VOCABULARY"]

SCORES = (1, 2, 3, 4, 5)
CONTACT_MODES = ("in_person", "phone", "video", "message", "via_family")
RETURNEE_STATUSES = ("in_country", "re_migrated", "unreachable", "deceased")  # a check-in's `status`
SLOT_STATUSES = ("scheduled", "due", "overdue", "missed", "completed", "before_homeward")
ALERT_TYPES = ("checkin_overdue", "lost_contact", "critical_domain", "index_drop", "safety_concern",
               "re_migrated", "deceased", "arrival_not_confirmed", "handover_unanswered")
ALERT_STATUSES = ("open", "acknowledged", "resolved")
CASE_STATES = ("awaiting_arrival", "active", "completed", "closed")
OUTCOMES = ("completed", "re_migrated", "deceased", "exited")  # how a case ended; exited: left before departing
SUPPORT_GROUPINGS = ("client", "partner", "country", "funding_source", "period")  # of the support report
GROUPINGS = ("country", "partner", "cohort", "vulnerability", "office", "office_region", "returnee")  # of outcomes
BEFORE_AFTER_GROUPINGS = tuple(g for g in GROUPINGS if g != "returnee")  # aggregates only: never one person's change

# What the scores mean, per scoring scheme version: a scheme that changes what a score means gets its own
# rubric texts (msgctxt "rubric <version>" in the catalogues); one that only reweighs domains reuses them.
RUBRICS = {CURRENT: Rubric(CURRENT, SCORES)}

VOCABULARY = Vocabulary("monitoring", Path(__file__).parent / "translations", {
    "contact_modes": CONTACT_MODES,
    "checkin_statuses": RETURNEE_STATUSES,
    "slot_statuses": SLOT_STATUSES,
    "alert_types": ALERT_TYPES,
    "alert_statuses": ALERT_STATUSES,
    "case_states": CASE_STATES,
    "case_outcomes": OUTCOMES,
    "outcome_groupings": GROUPINGS,
    "before_after_groupings": BEFORE_AFTER_GROUPINGS,
    "support_report_groupings": SUPPORT_GROUPINGS,
}, references=(COUNTRIES, "domains", "support_types"),  # scored in a check-in, delivered: the network's lists
   rubrics={"domains": RUBRICS[CURRENT]})  # what each score of a domain means: monitoring's own catalogue
