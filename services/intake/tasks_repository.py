"""The worklist's read model (services/intake/tasks.py): the `tasks` collection, the only module querying it.

A row is one derived task, keyed by its stable id, with the state a consultant gave it (done, postponed,
reassigned). `owner` (whom it is assigned to, else the returnee's consultant), `due` (the day postponed to, else
the derived one) and `open` (active and not done) are kept with every write so that the list is one indexed
query. A task the file no longer asks for stays, inactive, so that its state comes back with it."""
from __future__ import annotations

from datetime import date

from mongoengine import BooleanField, DateField, DateTimeField, DictField, Document, StringField

from services.intake.documents import ALIAS
from shared.document_dicts import stored_days, with_days

TASK_INDEXES = [("owner", "open", "due", "id"), ("open", "due", "id"), ("returnee_id",),
                ("office", "open", "due", "id"), ("consultant", "open", "due", "id")]  # need-to-know's clauses
DERIVED = ("returnee_id", "kind", "ref", "derived_due_on", "goal_id", "domain", "document_id")


class TaskRow(Document):
    id = StringField(primary_key=True)  # tasks.task_id: "tsk_" + a hash of returnee, kind and ref
    returnee_id = StringField(required=True)
    kind = StringField(required=True)
    ref = StringField(required=True)
    derived_due_on = DateField(required=True)
    goal_id = StringField(null=True)
    domain = StringField(null=True)
    document_id = StringField(null=True)
    consultant = StringField(null=True)
    office = StringField(null=True)  # the returnee's, for need-to-know (services.intake.access.visible_to)
    assigned_to = StringField(null=True)
    postponed_to = DateField(null=True)
    postpone_reason = DictField(null=True)  # sealed with the returnee's key
    postponed_by = StringField(null=True)
    done_at = DateTimeField(null=True)
    done_by = StringField(null=True)
    active = BooleanField(default=True)
    owner = StringField(null=True)
    due = DateField(required=True)
    open = BooleanField(default=True)
    meta = {"db_alias": ALIAS, "collection": "tasks", "indexes": TASK_INDEXES}


def _kept(row: dict) -> dict:
    """The computed fields of a row from what it holds."""
    return {"owner": row.get("assigned_to") or row.get("consultant"),
            "due": row.get("postponed_to") or row["derived_due_on"],
            "open": bool(row.get("active", True)) and not row.get("done_at")}


def _from_document(doc: dict) -> dict:
    out = {name: value for name, value in with_days(TaskRow, doc).items() if name != "_id"}
    out["id"] = doc["_id"]
    return out


class TaskRepository:
    def _collection(self):
        return TaskRow._get_collection()

    def sync(self, returnee_id: str, consultant: str | None, wanted: list[dict], office: str | None = None) -> None:
        """Store the derived tasks of a returnee (their state kept) and set the others inactive."""
        existing = {doc["_id"]: _from_document(doc) for doc in self._collection().find({"returnee_id": returnee_id})}
        for task in wanted:
            row = {**existing.pop(task["id"], {}), **{name: task[name] for name in DERIVED},
                   "consultant": consultant, "office": office, "active": True}
            row.pop("id", None)
            self._collection().replace_one({"_id": task["id"]}, stored_days({**row, **_kept(row)}), upsert=True)
        for task_id, row in existing.items():
            if row.get("active", True) or (row.get("consultant"), row.get("office")) != (consultant, office):
                row = {**row, "active": False, "consultant": consultant, "office": office}
                row.pop("id", None)
                self._collection().replace_one({"_id": task_id}, stored_days({**row, **_kept(row)}))

    def get(self, task_id: str) -> dict | None:
        doc = self._collection().find_one({"_id": task_id})
        return _from_document(doc) if doc else None

    def set_state(self, task_id: str, changes: dict) -> dict:
        row = {**self.get(task_id), **changes}
        row.pop("id")
        self._collection().replace_one({"_id": task_id}, stored_days({**row, **_kept(row)}))
        return self.get(task_id)

    def due(self, owner: str | None, until: date, limit: int, visible: dict | None = None) -> list[dict]:
        """Open tasks due by `until`, soonest first; `visible` (a raw filter) narrows them to what the caller reads."""
        query = {"open": True, "due": {"$lte": stored_days({"d": until})["d"]}}
        if owner:
            query = {"owner": owner, **query}
        if visible:
            query["$and"] = [visible]
        docs = self._collection().find(query).sort([("due", 1), ("_id", 1)]).limit(limit)
        return [_from_document(doc) for doc in docs]

    def all_of(self, returnee_id: str) -> list[dict]:
        return [_from_document(doc) for doc in self._collection().find({"returnee_id": returnee_id}).sort("_id", 1)]

    def returnees_with_rows(self, returnee_ids: list[str]) -> set[str]:
        """Which of these returnees have rows in the worklist (the back-fill derives the others')."""
        found = self._collection().find({"returnee_id": {"$in": list(returnee_ids)}}, {"returnee_id": 1})
        return {doc["returnee_id"] for doc in found}

    def delete_all_of(self, returnee_id: str) -> int:
        return self._collection().delete_many({"returnee_id": returnee_id}).deleted_count
