"""The judgements before return as monitoring keeps them: one document per returnee, the last assessment intake
sent (`returnee.assessed.v1`), in a collection of its own (the assessment comes before any case exists). Which
one is the last is the domain's rule (`domain.comparison.supersedes`); this module only reads and writes.
"""
from __future__ import annotations

from services.monitoring.documents import BeforeReturn
from shared.dates import day_start
from shared.documents import SCHEMA_VERSION


class BeforeReturnRepository:
    def get(self, returnee_id: str) -> dict | None:
        """The assessment kept for the returnee ({assessment_id, assessed_on (ISO day)}), or None."""
        doc = BeforeReturn._get_collection().find_one({"_id": returnee_id}, {"assessment_id": 1, "assessed_on": 1})
        return doc and {"assessment_id": doc["assessment_id"], "assessed_on": doc["assessed_on"].date().isoformat()}

    def put(self, data: dict) -> None:
        """Keep `data` (a read `returnee.assessed.v1`) as the returnee's assessment, in place of the one kept."""
        BeforeReturn._get_collection().replace_one({"_id": data["returnee_id"]}, {
            "_id": data["returnee_id"], "assessment_id": data["assessment_id"],
            "assessed_on": day_start(data["assessed_on"]), "moment": data["moment"], "scores": dict(data["scores"]),
            "documents": data.get("documents"), "safety": data.get("safety"), "schema_version": SCHEMA_VERSION},
            upsert=True)

    def all(self) -> dict[str, dict]:
        """returnee id -> {moment, assessed_on (ISO day), scores} of every returnee assessed."""
        return {doc["_id"]: {"moment": doc["moment"], "assessed_on": doc["assessed_on"].date().isoformat(),
                             "scores": doc.get("scores") or {}}
                for doc in BeforeReturn._get_collection().find({})}
