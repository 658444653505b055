"""The case file's documents (issue 20, item 2): a scan or photo uploaded, listed, downloaded byte for byte, deleted.

What a file is comes from its first bytes (PDF, JPEG, PNG), never from its name or Content-Type. The bytes are
encrypted (Fernet) with the returnee's personal key before they reach GridFS, and the title is sealed with it,
so that erasure, which shreds the key and deletes the files and their chunks, leaves nothing of them readable.
See docs/casefile.md ("Documents").
"""
from __future__ import annotations

import hashlib
from abc import ABC, abstractmethod

from cryptography.fernet import Fernet
from ulid import ULID

from services.intake.handlers.common import Deps, get_returnee
from shared import sealing
from shared.errors import NotFound

DOCUMENT = "doc_"
SIGNATURES = (("application/pdf", b"%PDF-"), ("image/jpeg", b"\xff\xd8\xff"), ("image/png", b"\x89PNG\r\n\x1a\n"))
CONTENT_TYPES = tuple(kind for kind, _ in SIGNATURES)
EXTENSIONS = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}
EXPIRING_KINDS = ("id", "travel_document")  # the kinds that carry an expiry date


class AbstractDocumentRepository(ABC):
    """The port of the documents' storage (documents_repository.py: mongoengine and GridFS)."""

    @abstractmethod
    def add(self, document: dict, encrypted: bytes) -> None:
        """Store a new document's metadata and its encrypted bytes."""

    @abstractmethod
    def get(self, returnee_id: str, document_id: str) -> dict | None:
        """One document's stored metadata, or None."""

    @abstractmethod
    def content(self, returnee_id: str, document_id: str) -> bytes | None:
        """One document's encrypted bytes, or None."""

    @abstractmethod
    def page(self, returnee_id: str, cursor: str | None, limit: int) -> dict:
        """`{items, next_cursor}` of the returnee's documents, newest first."""

    @abstractmethod
    def delete(self, returnee_id: str, document_id: str) -> bool:
        """Delete one document and its file; False when there was none."""

    @abstractmethod
    def all_of(self, returnee_id: str) -> list[dict]:
        """Every document of the returnee, oldest first (the subject access export)."""

    @abstractmethod
    def delete_all_of(self, returnee_id: str) -> int:
        """Erasure: delete every document of the returnee with its GridFS file and chunks; returns how many."""


def sniffed_type(body: bytes) -> str | None:
    """What the bytes are by their signature: one of CONTENT_TYPES, or None."""
    return next((kind for kind, magic in SIGNATURES if body.startswith(magic)), None)


def _key(deps: Deps, returnee_id: str) -> str:
    return deps.repo.personal_key(returnee_id, sealing.new_key)


def add_document(deps: Deps, returnee_id: str, data: dict, body: bytes, content_type: str, author: str) -> dict:
    get_returnee(deps, returnee_id)
    key = _key(deps, returnee_id)
    stored = {"id": DOCUMENT + str(ULID()), "returnee_id": returnee_id, "kind": data["kind"],
              "title": sealing.seal(key, returnee_id, {"title": data["title"]}), "content_type": content_type,
              "size": len(body), "sha256": hashlib.sha256(body).hexdigest(), "uploaded_at": deps.clock.now(),
              "uploaded_by": author, "expires_on": data.get("expires_on")}
    deps.documents.add(stored, Fernet(key.encode()).encrypt(body))
    if deps.after_write is not None:
        deps.after_write(returnee_id)  # an expiry date is a task on the worklist (services/intake/tasks.py)
    return shown(stored, key)


def list_documents(deps: Deps, returnee_id: str, cursor: str | None, limit: int) -> dict:
    shares = get_returnee(deps, returnee_id).get("shared") or {}  # item id -> with whom, since when (sharing.py)
    key = _key(deps, returnee_id)
    page = deps.documents.page(returnee_id, cursor, limit)
    return {"items": [{**shown(d, key), "shared": shares.get(d["id"])} for d in page["items"]],
            "next_cursor": page["next_cursor"]}


def get_document(deps: Deps, returnee_id: str, document_id: str) -> dict:
    get_returnee(deps, returnee_id)
    stored = deps.documents.get(returnee_id, document_id)
    if stored is None:
        raise NotFound("No such document.")
    return shown(stored, _key(deps, returnee_id))


def document_content(deps: Deps, returnee_id: str, document_id: str) -> tuple[dict, bytes]:
    """The document's metadata and its bytes as uploaded (decrypted with the returnee's key)."""
    document = get_document(deps, returnee_id, document_id)
    encrypted = deps.documents.content(returnee_id, document_id)
    if encrypted is None:
        raise NotFound("No such document.")
    return document, Fernet(_key(deps, returnee_id).encode()).decrypt(encrypted)


def delete_document(deps: Deps, returnee_id: str, document_id: str) -> None:
    get_returnee(deps, returnee_id)
    if not deps.documents.delete(returnee_id, document_id):
        raise NotFound("No such document.")
    if deps.after_write is not None:
        deps.after_write(returnee_id)


def shown(document: dict, key: str) -> dict:
    """A stored document as the API answers it: the title opened."""
    out = {name: document.get(name) for name in ("id", "returnee_id", "kind", "content_type", "size", "sha256",
                                                 "uploaded_at", "uploaded_by", "expires_on")}
    out["title"] = sealing.unseal(key, document["title"])["title"]
    return out


def file_name(document: dict) -> str:
    return f"{document['id']}.{EXTENSIONS[document['content_type']]}"


def export_documents(deps: Deps, returnee_id: str) -> list[dict]:
    """Every document's metadata for the subject access export, each with the path its bytes are downloaded at."""
    key = deps.repo.existing_personal_key(returnee_id)
    if key is None:
        return []
    return [{**shown(d, key), "content": f"/v1/returnees/{returnee_id}/documents/{d['id']}/content"}
            for d in deps.documents.all_of(returnee_id)]
