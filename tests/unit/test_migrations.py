"""Stored data evolves by versioned steps that can be counted, run, stopped and run again."""
from __future__ import annotations

import pytest
from mongoengine import StringField

from shared import store
from shared.documents import Aggregate
from shared.migrations import Migration, migrate, pending

ALIAS = "migrations"


class Note(Aggregate):
    id = StringField(primary_key=True)
    text = StringField()
    title = StringField()
    meta = {"db_alias": ALIAS, "collection": "notes", "strict": False}


STEPS = [Migration(Note, 0, 1, lambda doc: {}, "mark documents from before schema versions"),
         Migration(Note, 1, 2, lambda doc: {"title": (doc.get("text") or "").split(".")[0]}, "title from text")]


@pytest.fixture(autouse=True)
def notes(settings_for):
    store.connect(settings_for("migrations"), ALIAS)
    raw = Note._get_collection()
    raw.insert_many([{"_id": "old", "text": "Lives with family. Works."},
                     {"_id": "v1", "text": "Has a shop. Fine.", "schema_version": 1},
                     {"_id": "new", "text": "Current.", "title": "Current", "schema_version": 2}])


class TestMigrations:
    def test_a_dry_run_counts_and_changes_nothing(self):
        assert [n for _, n in migrate(STEPS, dry_run=True)] == [1, 1]
        assert Note._get_collection().find_one({"_id": "old"}).get("schema_version") is None

    def test_every_document_reaches_the_current_version_through_each_step(self):
        migrate(STEPS)
        docs = {d["_id"]: d for d in Note.objects.as_pymongo()}
        assert {d["schema_version"] for d in docs.values()} == {2}
        assert docs["old"]["title"] == "Lives with family" and docs["v1"]["title"] == "Has a shop"
        assert docs["new"]["title"] == "Current"

    def test_running_again_changes_nothing(self):
        migrate(STEPS)
        assert [n for _, n in migrate(STEPS)] == [0, 0]
        assert [n for _, n in pending(STEPS)] == [0, 0]


@pytest.mark.parametrize("service", ["intake", "partners"])
def test_each_service_brings_documents_from_before_schema_versions_to_version_1(service, settings_for):
    import importlib

    module = importlib.import_module(f"services.{service}.migrations")
    documents = importlib.import_module(f"services.{service}.documents")
    store.connect(settings_for(service), documents.ALIAS)
    step = module.MIGRATIONS[0]
    step.document._get_collection().insert_one({"_id": "legacy"})
    assert [n for _, n in pending([step])] == [1]
    migrate(module.MIGRATIONS)
    assert step.document._get_collection().find_one({"_id": "legacy"})["schema_version"] == \
        step.document.schema_version.default  # and on through the document's later steps


def test_stored_returnees_get_the_search_field_and_erased_ones_none(settings_for):
    from services.intake.documents import ALIAS, Returnee
    from services.intake.migrations import MIGRATIONS

    store.connect(settings_for("intake"), ALIAS)
    Returnee._get_collection().insert_many([
        {"_id": "rtn_old", "given_name": "Chiamaka", "family_name": "Ọ̀kàfọ́r-Eze", "client_ref": "VWN 12",
         "schema_version": 1},
        {"_id": "rtn_gone", "erased": True, "schema_version": 1}])
    migrate(MIGRATIONS)
    stored = {d["_id"]: d for d in Returnee._get_collection().find()}
    assert stored["rtn_old"]["search"] == ["chiamaka", "eze", "okafor", "okafor-eze", "vwn12"]
    assert stored["rtn_gone"]["search"] == [] and {d["schema_version"] for d in stored.values()} == {2}


def test_the_command_refuses_nothing_and_changes_nothing_on_the_embedded_store(capsys):
    from services.intake.migrations import MIGRATIONS
    from shared.migrations import main

    assert main("intake", "intake", MIGRATIONS, ["--dry-run"]) == 0
    assert "nothing to migrate" in capsys.readouterr().out


def test_a_monitoring_case_stored_with_iso_strings_reads_back_as_a_new_case(settings_for):
    from services.monitoring.documents import ALIAS, Case
    from services.monitoring.migrations import MIGRATIONS

    store.connect(settings_for("monitoring"), ALIAS)
    Case._get_collection().insert_one({
        "_id": "rtn_legacy", "returnee_id": "rtn_legacy", "country": "NG", "partner_id": "prt_1",
        "state": "active", "arrived_on": "2026-01-10", "next_check_on": "2026-02-10",
        "slots": [{"slot": 1, "due_on": "2026-02-10", "status": "scheduled"}], "checkins": [], "alerts": []})
    migrate(MIGRATIONS)
    stored = Case._get_collection().find_one({"_id": "rtn_legacy"})
    assert stored["schema_version"] == 2
    assert stored["arrived_on"].year == 2026 and stored["slots"][0]["due_on"].month == 2
