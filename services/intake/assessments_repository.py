"""The assessments' persistence (services/intake/assessments.py): the `assessments` collection, its only reader."""
from __future__ import annotations

from mongoengine import DateField, DateTimeField, DictField, Document, IntField, StringField

from services.intake.assessments import AbstractAssessmentRepository
from services.intake.documents import ALIAS
from services.intake.vocabulary import ASSESSMENT_MOMENTS, DOCUMENT_STATUSES, SAFETY_SITUATIONS
from shared.document_dicts import stored_days, with_days
from shared.documents import SCHEMA_VERSION

ASSESSMENT_INDEXES = [("returnee_id", "assessed_on", "id")]


class Assessment(Document):
    """A judgement before return, in a collection of its own: scores, documents and safety in clear (codes),
    the judgement sealed with the returnee's personal key. Erasure deletes them and shreds the key."""

    id = StringField(primary_key=True)  # "asm_" + ULID
    returnee_id = StringField(required=True)
    assessed_on = DateField(required=True)
    moment = StringField(required=True, choices=ASSESSMENT_MOMENTS)
    scores = DictField()  # domain -> 1..5 (monitoring's rubric)
    documents = StringField(required=True, choices=DOCUMENT_STATUSES)
    safety = StringField(required=True, choices=SAFETY_SITUATIONS)
    judgement = DictField(null=True)  # sealed (shared.sealing)
    assessed_by = StringField(required=True, max_length=200)
    recorded_at = DateTimeField(required=True)
    schema_version = IntField(default=SCHEMA_VERSION)
    meta = {"db_alias": ALIAS, "collection": "assessments", "indexes": ASSESSMENT_INDEXES}


def _from_document(doc: dict) -> dict:
    out = {name: value for name, value in with_days(Assessment, doc).items() if name not in ("_id", "schema_version")}
    out["id"] = doc["_id"]
    return out


class AssessmentRepository(AbstractAssessmentRepository):
    def add(self, assessment: dict) -> None:
        stored = stored_days({name: value for name, value in assessment.items() if name != "id"})
        Assessment._get_collection().insert_one({"_id": assessment["id"], **stored, "schema_version": 1})

    def all_of(self, returnee_id: str) -> list[dict]:
        docs = Assessment.objects(returnee_id=returnee_id).order_by("assessed_on", "id").as_pymongo()
        return [_from_document(d) for d in docs]

    def delete_all_of(self, returnee_id: str) -> int:
        return Assessment.objects(returnee_id=returnee_id).delete()
