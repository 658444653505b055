"""shared/document_dicts.py for the dicts that keep days as `date`s (intake's returnees, partners' handovers):
days are written as midnight UTC at any depth, and read back as `date`s wherever the document declares one."""
from __future__ import annotations

from datetime import date, datetime, timezone

from mongoengine import DateField, DateTimeField, Document, EmbeddedDocument, EmbeddedDocumentField, ListField, StringField

from shared.document_dicts import stored_days, with_days

MIDNIGHT = datetime(2026, 3, 1, tzinfo=timezone.utc)


class Step(EmbeddedDocument):
    started_on = DateField()
    recorded_at = DateTimeField()


class Exit(EmbeddedDocument):
    exited_on = DateField()


class Person(Document):
    id = StringField(primary_key=True)
    born_on = DateField()
    exit = EmbeddedDocumentField(Exit)
    steps = ListField(EmbeddedDocumentField(Step))
    meta = {"db_alias": "days_test"}


def test_days_are_stored_as_midnight_utc_at_any_depth_and_instants_stay():
    at = datetime(2026, 3, 1, 9, 30, tzinfo=timezone.utc)
    stored = stored_days({"born_on": date(2026, 3, 1), "exit": {"exited_on": date(2026, 3, 1)},
                          "steps": [{"started_on": date(2026, 3, 1), "recorded_at": at}], "name": "x", "gone": None})
    assert stored == {"born_on": MIDNIGHT, "exit": {"exited_on": MIDNIGHT},
                      "steps": [{"started_on": MIDNIGHT, "recorded_at": at}], "name": "x", "gone": None}


def test_declared_days_read_back_as_dates_and_the_rest_as_stored():
    naive = datetime(2026, 3, 1)  # as BSON gives a stored day back
    raw = {"_id": "p1", "born_on": naive, "exit": {"exited_on": naive}, "steps": [{"started_on": naive,
           "recorded_at": naive}], "undeclared": naive, "missing_day": None}
    read = with_days(Person, raw)
    assert read == {"_id": "p1", "born_on": date(2026, 3, 1), "exit": {"exited_on": date(2026, 3, 1)},
                    "steps": [{"started_on": date(2026, 3, 1), "recorded_at": naive}], "undeclared": naive,
                    "missing_day": None}
    assert raw["born_on"] is naive  # the stored dict is not changed
