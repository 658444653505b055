"""The notes and documents a consultant shared with the partner holding the case (issue 20): what intake sends
(`returnee.item_shared.v1`, `returnee.item_unshared.v1`, read tolerantly), what the partners API answers, and
where a shared document's bytes come from. They never travel on Kafka nor are kept here: the partners API
fetches them from intake (`GET /v1/returnees/{id}/documents/{doc_id}/shared-content`, with partners' own service
token, for the partner the document is shared with) when the partner downloads it. See docs/casefile.md.
"""
from __future__ import annotations

from abc import ABC, abstractmethod
from urllib.parse import urlencode

from marshmallow import fields

from shared.fields import ReaderSchema, StrictSchema, one_of
from shared.service_calls import ServiceUnreachable, get_as_service

ITEM_TYPES = ("note", "document")


class ItemUnsharedSchema(ReaderSchema):
    returnee_id = fields.String(required=True)
    item_id = fields.String(required=True)
    handover_id = fields.String(required=True)
    partner_id = fields.String(required=True)


class ItemSharedSchema(ItemUnsharedSchema):
    item_type = fields.String(required=True)
    shared_at = fields.DateTime(required=True)
    content = fields.Dict(required=True)  # sealed with the returnee's key


class SharedItemSchema(StrictSchema):
    """A note (`text`, `kind`, `contact_on`, `mode`) or a document (`title`, `kind`, `content_type`, `size`, and
    `content`: where its bytes are downloaded) shared with the partner; the other fields are null."""
    id = fields.String(required=True)
    type = fields.String(required=True, validate=one_of(ITEM_TYPES))
    shared_at = fields.DateTime(required=True)
    readable = fields.Boolean(required=True, metadata={
        "description": "false while intake could not be asked for the key that opens it (try again later)"})
    kind = fields.String(allow_none=True, metadata={"description": "a note's kind (conversation, contact) or a "
                                                                   "document's (id, travel_document, ...)"})
    text = fields.String(allow_none=True)
    contact_on = fields.Date(allow_none=True)
    mode = fields.String(allow_none=True)
    title = fields.String(allow_none=True)
    content_type = fields.String(allow_none=True)
    size = fields.Integer(allow_none=True)
    content = fields.String(allow_none=True, metadata={"description": "a document's download path"})


class SharedItemsSchema(StrictSchema):
    items = fields.List(fields.Nested(SharedItemSchema), required=True)


class FileUnavailable(Exception):
    """Intake could not be asked for the bytes now."""


class AbstractSharedFiles(ABC):
    @abstractmethod
    def content(self, returnee_id: str, document_id: str, partner_id: str) -> tuple[str, bytes] | None:
        """(content type, bytes) of a document shared with the partner, None when it is not (or no longer)."""


class IntakeSharedFiles(AbstractSharedFiles):
    def __init__(self, intake_url: str, issuer, timeout: float = 20.0):
        self.intake_url = intake_url.rstrip("/")
        self.issuer = issuer
        self.timeout = timeout

    def content(self, returnee_id: str, document_id: str, partner_id: str) -> tuple[str, bytes] | None:
        url = (f"{self.intake_url}/v1/returnees/{returnee_id}/documents/{document_id}/shared-content?"
               + urlencode({"partner_id": partner_id}))
        try:
            response = get_as_service(self.issuer, "partners", url, self.timeout)
        except ServiceUnreachable as exc:
            raise FileUnavailable(str(exc)) from exc
        if response.status_code == 404:
            return None
        if response.status_code != 200:
            raise FileUnavailable(f"intake answered {response.status_code}")
        return response.headers.get("Content-Type", "application/octet-stream"), response.content
