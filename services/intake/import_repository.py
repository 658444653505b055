"""The caseload import's persistence: the returnees a file's client references name, and the import runs."""
from __future__ import annotations

from datetime import datetime, timedelta

from services.intake.documents import ImportRun, Returnee
from services.intake.repository import _visible, from_document
from shared.embedded_lookup import index_values


RUN_RETENTION_DAYS = 30  # an import run's report is removed this long after its last write (PRIVACY.md)
# the embedded store answers by_client_refs' `$in` from a lookup of client_ref, as MongoDB from its index
# (documents.RETURNEE_INDEXES); bootstrap imports this module before any store is made
index_values("returnees", "client_ref")


class ImportRepository:
    def by_client_refs(self, refs: list[str]) -> dict[str, dict]:
        """{client_ref: returnee} of the returnees not erased registered under these references (the first
        registered when several share one)."""
        found: dict[str, dict] = {}
        for doc in _visible(Returnee.objects(client_ref__in=list(refs))).order_by("created_at"):
            found.setdefault(doc["client_ref"], from_document(doc))
        return found

    def start(self, run_id: str, owner: str, total: int, at: datetime) -> None:
        ImportRun(id=run_id, owner=owner, status="running", total=total, done=0, created_at=at, updated_at=at).save()

    def progress(self, run_id: str, done: int, at: datetime) -> None:
        ImportRun.objects(id=run_id).update_one(set__done=done, set__updated_at=at)

    def finish(self, run_id: str, status: str, report: dict, at: datetime) -> None:
        ImportRun.objects(id=run_id).update_one(set__status=status, set__report=report, set__updated_at=at,
                                                set__done=report.get("done", 0))

    def run(self, run_id: str) -> dict | None:
        doc = ImportRun.objects(id=run_id).as_pymongo().first()
        if doc is None:
            return None
        return {"id": doc["_id"], **{k: v for k, v in doc.items() if k not in ("_id", "schema_version")}}

    def remove_before(self, moment: datetime) -> int:
        """Delete the import runs last written before `moment`; how many."""
        return ImportRun.objects(updated_at__lt=moment).delete()

    def remove_expired(self, now: datetime, days: int = RUN_RETENTION_DAYS) -> int:
        """The housekeeping of the intake worker: the runs older than their retention removed."""
        return self.remove_before(now - timedelta(days=days))
