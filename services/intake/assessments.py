"""The judgement before return (docs/casefile.md): at the decision moments of seed 000 (after the intake, after
the first conversations, after the action plan, at the end) the consultant assesses the five domains on the
1-5 scale and rubric the partners score check-ins with after return (monitoring's `GET /v1/vocabularies/domains`
serves it; intake does not copy it), the identity and travel documents, the safety situation, and writes the
judgement on the return.

The judgement is sealed with the returnee's personal key (shared.sealing), as notes are; erasure deletes the
assessments and shreds the key. Each assessment goes to monitoring as `returnee.assessed.v1` with its codes and
scores only (no free text), so the outcome tables can compare before and after return.
"""
from __future__ import annotations

from abc import ABC, abstractmethod

from ulid import ULID

from services.intake.events import RETURNEE_ASSESSED
from services.intake.handlers.common import Deps, get_returnee, new_event, store_change
from shared import sealing
from shared.errors import Conflict, Invalid
from shared.texts import Text

ASSESSMENT = "asm_"
ATTEMPTS = 3  # the returnee's outbox write, when another request changed the returnee meanwhile


class AbstractAssessmentRepository(ABC):
    """The port of the assessments' storage (assessments_repository.py is the mongoengine implementation)."""

    @abstractmethod
    def add(self, assessment: dict) -> None:
        """Store a new assessment (`judgement` sealed)."""

    @abstractmethod
    def all_of(self, returnee_id: str) -> list[dict]:
        """Every stored assessment of the returnee, in the order they were assessed (then recorded)."""

    @abstractmethod
    def delete_all_of(self, returnee_id: str) -> int:
        """Erasure: delete every assessment of the returnee; returns how many."""


def add_assessment(deps: Deps, returnee_id: str, data: dict, author: str) -> dict:
    """Record an assessment and tell monitoring its scores (one event in the returnee's outbox)."""
    returnee = get_returnee(deps, returnee_id)
    day = data["assessed_on"]
    if day > deps.clock.today():
        raise Invalid("Implausible assessment date.", errors={"assessed_on": Text("Must not be in the future.")})
    if day < returnee["registered_on"]:
        raise Invalid("Implausible assessment date.", errors={"assessed_on": Text(
            "Must not be before the registration ({registered_on}).",
            registered_on=returnee["registered_on"].isoformat())})
    key = deps.repo.personal_key(returnee_id, sealing.new_key)
    scores = {domain: score for domain, score in data["scores"].items() if score is not None}
    stored = {"id": ASSESSMENT + str(ULID()), "returnee_id": returnee_id, "assessed_on": day,
              "moment": data["moment"], "scores": scores, "documents": data["documents"], "safety": data["safety"],
              "judgement": sealing.seal(key, returnee_id, {"text": data["judgement"]}) if data.get("judgement") else None,
              "assessed_by": author, "recorded_at": deps.clock.now()}
    deps.assessments.add(stored)
    event = new_event(deps, RETURNEE_ASSESSED, returnee_id, assessment_id=stored["id"], assessed_on=day.isoformat(),
                      moment=stored["moment"], scores=scores, documents=stored["documents"], safety=stored["safety"])
    for _ in range(ATTEMPTS):
        try:
            store_change(deps, returnee, {}, [event])
            break
        except Conflict:
            returnee = get_returnee(deps, returnee_id)
    else:
        raise Conflict("The returnee kept changing; the assessment is stored, monitoring hears of it later.")
    return shown(stored, key)


def list_assessments(deps: Deps, returnee_id: str) -> list[dict]:
    get_returnee(deps, returnee_id)
    key = deps.repo.existing_personal_key(returnee_id)
    return [shown(a, key) for a in deps.assessments.all_of(returnee_id)]


def latest_before_return(assessments: list[dict]) -> dict | None:
    """The assessment the returnee left with: the last one assessed (the progress report and pages show it
    beside the check-ins after return)."""
    return assessments[-1] if assessments else None


def shown(assessment: dict, key: str | None) -> dict:
    """A stored assessment as the API answers it: the judgement opened."""
    out = {name: assessment.get(name) for name in ("id", "returnee_id", "assessed_on", "moment", "scores",
                                                   "documents", "safety", "assessed_by", "recorded_at")}
    sealed = assessment.get("judgement")
    out["judgement"] = sealing.unseal(key, sealed)["text"] if sealed and key else None
    return out


def export_assessments(deps: Deps, returnee_id: str) -> list[dict]:
    """Every assessment of the returnee with its judgement, for the subject access export."""
    key = deps.repo.existing_personal_key(returnee_id)
    return [shown(a, key) for a in deps.assessments.all_of(returnee_id)] if key else []
