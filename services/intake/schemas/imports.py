"""The caseload import as asked and answered: the template's format, the upload's dry run, the report, the run."""
from __future__ import annotations

from marshmallow import fields, validate

from services.intake.schemas.days import EVENT_DAY, plausible_event
from services.intake.vocabulary import IMPORT_OUTCOMES, IMPORT_STATUSES
from shared.fields import StrictSchema, one_of
from shared.http.openapi import AnswerSchema


class TemplateQuerySchema(StrictSchema):
    format = fields.String(load_default="csv", validate=validate.OneOf(("csv", "xlsx")))


class ImportQuerySchema(StrictSchema):
    dry_run = fields.Boolean(load_default=False, metadata={
        "description": "true: answer what the import would do and write nothing"})
    go_live_on = fields.Date(load_default=None, validate=plausible_event, metadata={
        "pattern": EVENT_DAY["pattern"], "description": "the day the organisation started with Homeward, for every row with an arrival (a row's "
                       "own go_live_on column wins): slots due before it without a check-in are 'before "
                       "Homeward', with no alert; not in the future"})


class ImportErrorSchema(AnswerSchema):
    row = fields.Integer(required=True, metadata={"description": "the row's number in the file (1: the headings)"})
    column = fields.String(required=True, metadata={"description": "the column's heading (a field path)"})
    message = fields.String(required=True, metadata={"description": "in the language Accept-Language asks for"})


class ImportRowSchema(AnswerSchema):
    row = fields.Integer(required=True)
    client_ref = fields.String(allow_none=True)
    outcome = fields.String(required=True, validate=one_of(IMPORT_OUTCOMES))
    returnee_id = fields.String(allow_none=True, metadata={"description": "created, or matched on client_ref"})
    columns = fields.List(fields.String(), metadata={"description": "changed: the columns that differ from what is "
                                                                    "stored (not overwritten)"})
    returned = fields.Dict(keys=fields.String(), values=fields.String(), metadata={
        "description": "a client who already returned: departed_on, arrived_on, go_live_on as offered to the "
                       "partner with the case; recorded when it accepts (docs/import.md)"})


class ImportReportSchema(AnswerSchema):
    dry_run = fields.Boolean(required=True)
    total = fields.Integer(required=True, metadata={"description": "rows read (empty lines not counted)"})
    created = fields.Integer(required=True, metadata={"description": "new clients (on a dry run: that would be)"})
    unchanged = fields.Integer(required=True, metadata={"description": "known by client_ref, as stored"})
    changed = fields.Integer(required=True, metadata={"description": "known by client_ref, different: reported, "
                                                                     "not written"})
    refused = fields.Integer(required=True)
    done = fields.Integer(required=True)
    rows = fields.List(fields.Nested(ImportRowSchema), required=True)
    errors = fields.List(fields.Nested(ImportErrorSchema), required=True)


class ImportRunSchema(AnswerSchema):
    id = fields.String(required=True)
    status = fields.String(required=True, validate=one_of(IMPORT_STATUSES))
    total = fields.Integer(required=True)
    done = fields.Integer(required=True, metadata={"description": "rows written or passed so far"})
    report = fields.Nested(ImportReportSchema, allow_none=True, metadata={"description": "when finished"})
    created_at = fields.DateTime()
    updated_at = fields.DateTime()
