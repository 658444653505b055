"""A case file's document as uploaded (the multipart form's fields beside `file`) and as answered."""
from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate, validates_schema

from services.intake.documents_files import CONTENT_TYPES, EXPIRING_KINDS
from services.intake.vocabulary import DOCUMENT_KINDS
from shared.fields import NonBlank, StrictSchema, one_of
from shared.http import PageQuerySchema

TITLE_MAX = 200


class DocumentFormSchema(StrictSchema):
    kind = fields.String(required=True, validate=one_of(DOCUMENT_KINDS))
    title = NonBlank(required=True, validate=validate.Length(min=1, max=TITLE_MAX))
    expires_on = fields.Date(load_default=None, metadata={
        "description": f"when the document expires: only for the kinds {', '.join(EXPIRING_KINDS)}"})

    @validates_schema
    def _expiry_of_an_identity_document(self, data, **_):
        if data.get("expires_on") and data["kind"] not in EXPIRING_KINDS:
            raise ma.ValidationError("Only for an ID or travel document.", "expires_on")


class SharedMarkSchema(StrictSchema):
    """That a listed note or document is shared with the partner holding the case, and since when."""
    partner_id = fields.String(required=True)
    shared_at = fields.DateTime(required=True)


SHARED = {"dump_only": True, "allow_none": True, "metadata": {
    "description": "in the lists: the partner it is shared with and since when, or null when not shared"}}


class DocumentOutSchema(StrictSchema):
    id = fields.String(required=True)
    returnee_id = fields.String(required=True)
    kind = fields.String(required=True, validate=one_of(DOCUMENT_KINDS))
    title = fields.String(required=True)
    content_type = fields.String(required=True, metadata={
        "description": f"what the bytes are, read from them: {', '.join(CONTENT_TYPES)}"})
    size = fields.Integer(required=True, metadata={"description": "bytes, as uploaded"})
    sha256 = fields.String(required=True, metadata={"description": "of the bytes as uploaded (hex)"})
    uploaded_at = fields.DateTime(required=True)
    uploaded_by = fields.String(required=True, metadata={"description": "the token's subject who uploaded it"})
    expires_on = fields.Date(allow_none=True)
    shared = fields.Nested(SharedMarkSchema, **SHARED)


class DocumentQuerySchema(PageQuerySchema):
    pass


class ShareSchema(StrictSchema):
    """A note or document shared with the partner holding the case."""
    item_id = fields.String(required=True)
    type = fields.String(required=True, validate=one_of(("note", "document")))
    partner_id = fields.String(required=True)
    handover_id = fields.String(required=True)
    shared_at = fields.DateTime(required=True)
    shared_by = fields.String(required=True, metadata={"description": "the token's subject who shared it"})


class SharedContentQuerySchema(StrictSchema):
    partner_id = fields.String(required=True, metadata={"description": "the partner asking through the partners service"})
