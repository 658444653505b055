"""Retention at intake: returnees whose case ended are anonymised RETENTION_DAYS later; counts stay."""
from __future__ import annotations

from services.intake.bootstrap import IntakeService
from services.intake.documents import Returnee
from services.intake.handlers import register_returnee


def test_a_returnee_whose_case_ended_is_anonymised_after_the_retention_and_still_counted(build, clock):
    service = build(IntakeService, "intake")
    ended = register_returnee(service.deps, {"given_name": "Yonas", "family_name": "T", "country_of_return": "ET",
                                             "reintegration_plan": {"goals": {"health": "HIV treatment"}}})
    running = register_returnee(service.deps, {"given_name": "Amina", "family_name": "O", "country_of_return": "NG"})
    Returnee.objects(id=ended["id"]).update_one(set__status="closed",
                                                push__history={"status": "closed", "at": clock.now()})
    clock.advance(days=service.retention_days - 1)
    assert service.anonymise_ended() == 0 and service.repo.get(ended["id"])["given_name"] == "Yonas"
    clock.advance(days=2)
    assert service.anonymise_ended() == 1
    assert service.repo.get(ended["id"]) is None and service.repo.get(running["id"]) is not None
    tombstone = Returnee.objects(id=ended["id"]).as_pymongo().first()
    assert "given_name" not in tombstone and "reintegration_plan" not in tombstone
    assert tombstone["outbox"][-1]["type"] == "returnee.erased.v1"
    assert len(service.repo.report_facts()) == 2  # the quarterly report still counts both
    assert service.anonymise_ended() == 0


def test_import_runs_are_removed_after_their_retention_and_the_worker_runs_that_job(build, clock):
    from services.intake.import_repository import RUN_RETENTION_DAYS, ImportRepository
    service = build(IntakeService, "intake")
    runs = ImportRepository()
    runs.start("imp_old", "admin", 3, clock.now())
    runs.finish("imp_old", "finished", {"done": 3, "rows": [{"row": 2, "client_ref": "VVS-1"}]}, clock.now())
    clock.advance(days=RUN_RETENTION_DAYS - 1)
    runs.start("imp_new", "admin", 1, clock.now())
    assert service.remove_import_runs() == 0 and runs.run("imp_old") is not None
    clock.advance(days=2)
    assert service.remove_import_runs() == 1
    assert runs.run("imp_old") is None and runs.run("imp_new") is not None
    assert "import-runs" in [job[0] for job in service.background.periodic]
