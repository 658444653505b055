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
