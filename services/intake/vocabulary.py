"""The code lists intake accepts, declared once: the schemas, the stored documents and the rules use these
tuples, and `GET /v1/vocabularies` serves them with their labels from translations/<lang>/LC_MESSAGES/messages.po.

Adding a code: add it here, give it a label in the three catalogues (`make translations`, then translate),
and teach the rules in domain.py / handlers.py what it means. The support types, the domains, the plan's goal
actors and statuses, the vulnerabilities and the handover statuses are the network's lists (shared/vocabulary.py,
labelled in shared/translations): intake serves and accepts them as they are there. See docs/vocabularies.md.
"""
from __future__ import annotations

from pathlib import Path

from shared.vocabulary import (COUNTRIES, DOMAINS, GOAL_ACTORS, GOAL_STATUSES, HANDOVER_STATUSES, LANGUAGES,
                               SUPPORT_TYPES, VULNERABILITIES, Vocabulary)

__all__ = ["DOMAINS", "EXIT_REASONS", "FUNDING_SOURCES", "GENDERS", "HANDOVER_STATUSES", "STATUSES", "SUPPORT_TYPES",
           "TRAJECTORIES", "VOCABULARY", "VULNERABILITIES", "FUTURE_ORIENTATION", "RETURN_GUIDANCE", "NOTE_KINDS",
           "NOTE_WITH", "NOTE_MODES", "DOCUMENT_KINDS", "IMPORT_OUTCOMES", "IMPORT_STATUSES", "ASSESSMENT_MOMENTS",
           "DOCUMENT_STATUSES", "SAFETY_SITUATIONS", "GOAL_ACTORS",
           "GOAL_STATUSES", "TASK_KINDS", "TASK_STATES", "PLAN_CHANGES"]

GENDERS = ("female", "male", "other", "unknown")
STATUSES = ("registered", "handover_requested", "handover_declined", "handover_accepted", "departed",
            "arrived", "monitoring_completed", "closed", "exited")
# The two trajectories of the programme (000_..., 3.1 and 3.3): counselling about the future before any
# decision, and guidance of a client who decided to return. Only return guidance leads to a handover.
FUTURE_ORIENTATION, RETURN_GUIDANCE = "future_orientation", "return_guidance"
TRAJECTORIES = (FUTURE_ORIENTATION, RETURN_GUIDANCE)
# Why a case ends without return (the outflows of 000_...'s "Kwartaalrapportage", plus the two it leaves out), and
# the endings of guidance in 001_... (case management): not cooperating, the agreed term of 1.5 years expired,
# the goals set achieved
EXIT_REASONS = ("other_return_organisation", "irregular", "lso", "residence_permit", "not_cooperating", "term_expired",
                "goals_achieved", "other")
# who pays a planned support line (RIAT's budget lines): the Return and Emigration Assistance programme, the
# Dutch return-support fund, the NGO's own budget, the EU's Asylum, Migration and Integration Fund, another fund
FUNDING_SOURCES = ("rean", "hrt", "own_budget", "amif", "other_fund")
# the case file's conversation notes (gespreksverslagen, docs/casefile.md): what it was, with whom, how
NOTE_KINDS = ("conversation", "contact")
NOTE_WITH = ("client", "partner", "lawyer", "doctor", "other")
NOTE_MODES = ("in_person", "phone", "video")
# the case file's documents (docs/casefile.md): what a scan or photo is
DOCUMENT_KINDS = ("id", "travel_document", "signed_consent", "medical", "other")
# the perspective plan's goals (docs/casefile.md): who does what is needed, and where the goal stands
# the consultant's worklist (services/intake/tasks.py): what falls due
TASK_KINDS = ("plan_evaluation", "future_orientation_year", "guidance_term", "how_next", "goal_deadline", "document_expiry")
TASK_STATES = ("open", "postponed", "done")
PLAN_CHANGES = ("added", "changed", "removed")  # what a version of the plan did to a goal
IMPORT_OUTCOMES = ("created", "unchanged", "changed", "refused")  # what the caseload import did with a row
IMPORT_STATUSES = ("running", "finished", "failed")  # an import run
# the judgement before return (assessments.py): seed 000's decision moments, the identity and travel documents,
# the safety situation in the country of return; the domains' 1-5 scale and rubric are monitoring's
ASSESSMENT_MOMENTS = ("after_intake", "after_first_conversations", "after_action_plan", "at_end")
DOCUMENT_STATUSES = ("complete", "applied_for", "incomplete", "missing")
SAFETY_SITUATIONS = ("safe", "some_risks", "serious_risks", "unknown")

VOCABULARY = Vocabulary("intake", Path(__file__).parent / "translations", {
    "genders": GENDERS,
    "returnee_statuses": STATUSES,
    "trajectories": TRAJECTORIES,
    "exit_reasons": EXIT_REASONS,
    "note_kinds": NOTE_KINDS,
    "note_with": NOTE_WITH,
    "note_modes": NOTE_MODES,
    "document_kinds": DOCUMENT_KINDS,
    "import_outcomes": IMPORT_OUTCOMES,
    "import_statuses": IMPORT_STATUSES,
    "funding_sources": FUNDING_SOURCES,
    "assessment_moments": ASSESSMENT_MOMENTS,
    "document_statuses": DOCUMENT_STATUSES,
    "safety_situations": SAFETY_SITUATIONS,
    "task_kinds": TASK_KINDS,
    "task_states": TASK_STATES,
    "plan_changes": PLAN_CHANGES,
}, references=(COUNTRIES, LANGUAGES, "support_types", "domains", "goal_actors", "goal_statuses",
               "vulnerabilities", "handover_statuses"))  # the plan's support and goals, what is handed over and
# how the handover stands
