"""The documents' persistence (services/intake/documents_files.py): the `case_documents` collection and its
GridFS bucket `case_files` (mongoengine's FileField), the only module querying them."""
from __future__ import annotations

from mongoengine import DateField, DateTimeField, DictField, Document, FileField, IntField, StringField

from services.intake.documents import ALIAS
from services.intake.documents_files import AbstractDocumentRepository
from services.intake.vocabulary import DOCUMENT_KINDS
from shared.document_dicts import with_days
from shared.documents import SCHEMA_VERSION

FILES = "case_files"  # the GridFS bucket: case_files.files and case_files.chunks


class CaseDocument(Document):
    """A document of the case file: its metadata (the title sealed with the returnee's key) and its file in
    GridFS, encrypted with that key. Erasure deletes both and shreds the key."""

    id = StringField(primary_key=True)  # "doc_" + ULID
    returnee_id = StringField(required=True)
    kind = StringField(required=True, choices=DOCUMENT_KINDS)
    title = DictField(required=True)  # sealed (shared.sealing)
    content_type = StringField(required=True)
    size = IntField(required=True)
    sha256 = StringField(required=True)
    uploaded_at = DateTimeField(required=True)
    uploaded_by = StringField(required=True, max_length=200)
    expires_on = DateField(null=True)
    file = FileField(db_alias=ALIAS, collection_name=FILES)
    schema_version = IntField(default=SCHEMA_VERSION)
    meta = {"db_alias": ALIAS, "collection": "case_documents", "indexes": [("returnee_id", "-id")]}


FIELDS = ("returnee_id", "kind", "title", "content_type", "size", "sha256", "uploaded_at", "uploaded_by", "expires_on")


def _from_document(doc: dict) -> dict:
    out = {name: value for name, value in with_days(CaseDocument, doc).items() if name in FIELDS}
    out["id"] = doc["_id"]
    return out


class DocumentRepository(AbstractDocumentRepository):
    def add(self, document: dict, encrypted: bytes) -> None:
        doc = CaseDocument(id=document["id"], **{name: document[name] for name in FIELDS})
        doc.file.put(encrypted, content_type="application/octet-stream")
        doc.save(force_insert=True)

    def get(self, returnee_id: str, document_id: str) -> dict | None:
        doc = CaseDocument.objects(id=document_id, returnee_id=returnee_id).exclude("file").as_pymongo().first()
        return _from_document(doc) if doc else None

    def content(self, returnee_id: str, document_id: str) -> bytes | None:
        doc = CaseDocument.objects(id=document_id, returnee_id=returnee_id).first()
        return doc.file.read() if doc is not None and doc.file else None

    def page(self, returnee_id: str, cursor: str | None, limit: int) -> dict:
        query: dict = {"returnee_id": returnee_id}
        if cursor:
            query["_id"] = {"$lt": cursor}
        docs = list(CaseDocument.objects(__raw__=query).exclude("file").order_by("-id").limit(limit + 1).as_pymongo())
        more = len(docs) > limit
        docs = docs[:limit]
        return {"items": [_from_document(d) for d in docs], "next_cursor": docs[-1]["_id"] if more and docs else None}

    def delete(self, returnee_id: str, document_id: str) -> bool:
        doc = CaseDocument.objects(id=document_id, returnee_id=returnee_id).first()
        if doc is None:
            return False
        doc.file.delete()
        doc.delete()
        return True

    def all_of(self, returnee_id: str) -> list[dict]:
        return [_from_document(d) for d in
                CaseDocument.objects(returnee_id=returnee_id).exclude("file").order_by("id").as_pymongo()]

    def delete_all_of(self, returnee_id: str) -> int:
        docs = list(CaseDocument.objects(returnee_id=returnee_id))
        for doc in docs:
            doc.file.delete()
            doc.delete()
        return len(docs)
