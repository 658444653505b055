"""The notes' persistence (services/intake/notes.py): the `notes` collection, the only module querying it."""
from __future__ import annotations

from services.intake.documents import Note
from services.intake.notes import AbstractNoteRepository
from shared.document_dicts import stored_days, with_days


def _from_document(doc: dict) -> dict:
    out = {name: value for name, value in with_days(Note, doc).items() if name not in ("_id", "schema_version")}
    out["id"] = doc["_id"]
    out.setdefault("with", [])
    out.setdefault("versions", [])
    return out


class NoteRepository(AbstractNoteRepository):
    def add(self, note: dict) -> None:
        stored = stored_days({name: value for name, value in note.items() if name != "id"})
        Note._get_collection().insert_one({"_id": note["id"], **stored, "schema_version": 1})

    def get(self, returnee_id: str, note_id: str) -> dict | None:
        doc = Note.objects(id=note_id, returnee_id=returnee_id).as_pymongo().first()
        return _from_document(doc) if doc else None

    def page(self, returnee_id: str, words: list[str], cursor: str | None, limit: int) -> dict:
        query: dict = {"returnee_id": returnee_id}
        if words:
            query["words"] = {"$all": words}
        if cursor:
            query["_id"] = {"$lt": cursor}
        docs = list(Note.objects(__raw__=query).order_by("-id").limit(limit + 1).as_pymongo())
        more = len(docs) > limit
        docs = docs[:limit]
        return {"items": [_from_document(d) for d in docs], "next_cursor": docs[-1]["_id"] if more and docs else None}

    def correct(self, note: dict, changes: dict, earlier: dict) -> dict | None:
        update = {"$set": stored_days(changes), "$push": {"versions": earlier}}
        query = Note.objects(id=note["id"], returnee_id=note["returnee_id"], version=note["version"])
        if not query.update_one(__raw__=update):
            return None
        return self.get(note["returnee_id"], note["id"])

    def all_of(self, returnee_id: str) -> list[dict]:
        return [_from_document(d) for d in Note.objects(returnee_id=returnee_id).order_by("id").as_pymongo()]

    def delete_all_of(self, returnee_id: str) -> int:
        return Note.objects(returnee_id=returnee_id).delete()
