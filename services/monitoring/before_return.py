"""The judgement before return as monitoring keeps it: the last assessment intake sent for a returnee
(`returnee.assessed.v1`: moment, day, the five domains' scores on the rubric check-ins use, the documents' and
safety's codes; never the judgement's text), in a collection of its own (the assessment comes before any case
exists), so the outcome tables can compare the scores before return with those after it (domain/comparison.py).

The newest assessment wins (by its day, then its id): a redelivered or late event changes nothing. Erasure keeps
the scores, as it keeps a check-in's (no free text, a pseudonymous id), like the other outcome figures.
"""
from __future__ import annotations

from marshmallow import fields
from mongoengine import DateTimeField, DictField, Document, IntField, StringField

from services.monitoring.documents import ALIAS
from shared.dates import day_start
from shared.documents import SCHEMA_VERSION
from shared.events import Envelope
from shared.fields import ReaderSchema
from shared.kafka import read_event


class AssessedSchema(ReaderSchema):
    returnee_id = fields.String(required=True)
    assessment_id = fields.String(required=True)
    assessed_on = fields.Date(required=True)
    moment = fields.String(required=True)
    scores = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True)
    documents = fields.String(load_default=None, allow_none=True)
    safety = fields.String(load_default=None, allow_none=True)


class BeforeReturn(Document):
    """One returnee's last assessment before return (`_id` = the returnee id)."""

    id = StringField(primary_key=True)
    assessment_id = StringField(required=True)
    assessed_on = DateTimeField(required=True)  # midnight UTC of the day
    moment = StringField(required=True)  # intake's vocabulary `assessment_moments`
    scores = DictField()  # domain -> 1..5
    documents = StringField()
    safety = StringField()
    schema_version = IntField(default=SCHEMA_VERSION)
    meta = {"db_alias": ALIAS, "collection": "before_return"}


class BeforeReturnRepository:
    def record(self, data: dict) -> bool:
        """Keep `data` unless a newer assessment of the returnee is kept; True when it was stored."""
        day = day_start(data["assessed_on"])
        fields_ = {"assessment_id": data["assessment_id"], "assessed_on": day, "moment": data["moment"],
                   "scores": dict(data["scores"]), "documents": data.get("documents"), "safety": data.get("safety"),
                   "schema_version": SCHEMA_VERSION}
        collection = BeforeReturn._get_collection()
        kept = collection.find_one({"_id": data["returnee_id"]})
        if kept and (kept["assessed_on"].replace(tzinfo=None), kept["assessment_id"]) >= \
                (day.replace(tzinfo=None), data["assessment_id"]):
            return False
        collection.replace_one({"_id": data["returnee_id"]}, {"_id": data["returnee_id"], **fields_}, upsert=True)
        return True

    def all(self) -> dict[str, dict]:
        """returnee id -> {moment, assessed_on (ISO day), scores} of every returnee assessed."""
        return {doc["_id"]: {"moment": doc["moment"], "assessed_on": doc["assessed_on"].date().isoformat(),
                             "scores": doc.get("scores") or {}}
                for doc in BeforeReturn._get_collection().find({})}


def note_assessment(deps, envelope: Envelope) -> None:
    """An assessment before return at intake: the newest is kept for the comparison."""
    BeforeReturnRepository().record(read_event(AssessedSchema, envelope))
