"""A conversation or contact note as written, corrected, listed and answered (services/intake/notes.py)."""
from __future__ import annotations

from marshmallow import fields, validate

from services.intake.schemas.days import EVENT_DAY, plausible_event, unique
from services.intake.schemas.documents_schemas import SHARED, SharedMarkSchema
from services.intake.vocabulary import NOTE_KINDS, NOTE_MODES, NOTE_WITH
from shared.fields import NonBlank, StrictSchema, one_of
from shared.http import PageQuerySchema

TEXT_MAX = 20_000


class NoteSchema(StrictSchema):
    text = NonBlank(required=True, validate=validate.Length(min=1, max=TEXT_MAX))
    kind = fields.String(required=True, validate=one_of(NOTE_KINDS))
    with_ = fields.List(fields.String(validate=one_of(NOTE_WITH)), data_key="with", attribute="with",
                        load_default=list, validate=unique, metadata={"uniqueItems": True})
    mode = fields.String(required=True, validate=one_of(NOTE_MODES))
    interpreter = fields.Boolean(load_default=False)
    contact_on = fields.Date(required=True, validate=plausible_event, metadata=EVENT_DAY)


class NotePatchSchema(NoteSchema):
    """A correction: any of the note's fields; the note gets a new version."""


class NoteVersionSchema(StrictSchema):
    version = fields.Integer(required=True)
    text = fields.String(required=True)
    written_by = fields.String(required=True)
    written_at = fields.DateTime(required=True)


class NoteOutSchema(NoteSchema):
    id = fields.String(required=True)
    returnee_id = fields.String(required=True)
    written_by = fields.String(required=True, metadata={"description": "the token's subject who wrote it"})
    written_at = fields.DateTime(required=True)
    version = fields.Integer(required=True, metadata={"description": "1, then one more for each correction"})
    corrected_by = fields.String(allow_none=True)
    corrected_at = fields.DateTime(allow_none=True)
    versions = fields.List(fields.Nested(NoteVersionSchema), metadata={
        "description": "the earlier versions, oldest first: only for the note's author and administrators"})
    shared = fields.Nested(SharedMarkSchema, **SHARED)


class NoteQuerySchema(PageQuerySchema):
    q = fields.String(validate=validate.Length(max=200), metadata={
        "description": "words the note holds (whole words, case and accents ignored)"})
