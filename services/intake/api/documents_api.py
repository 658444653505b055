"""The case file's documents: consultants and administrators only (never project leads, whose pages are
pseudonymous, nor partners). Every call, the list and each download too, is in the audit log by person.

An upload is multipart (`file`, `kind`, `title`, `expires_on`); what the file is comes from its first bytes
(PDF, JPEG, PNG: else 415), at most `DOCUMENT_MAX_MB` (10) MB (else 413), each refusal with its `errors` code.
"""
from __future__ import annotations

from flask import Response, request
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import ValidationError
from werkzeug.exceptions import RequestEntityTooLarge

from services.intake import documents_files as files
from services.intake import sharing
from services.intake.api.common import WRITERS, _deps
from services.intake.vocabulary import DOCUMENT_KINDS
from services.intake.schemas.documents_schemas import DocumentFormSchema, DocumentOutSchema, DocumentQuerySchema
from shared.errors import Invalid
from shared.fields import NOT_BLANK_PATTERN
from shared.http import PROBLEM, Problem, audit_resource, page_of, principal, require, runtime
from shared.http.openapi import BINARY
from shared.http.problems import ProblemSchema, flatten_errors
from shared.texts import Text

documents_blp = Blueprint("documents", __name__, url_prefix="/v1/returnees",
                          description="The case file's documents: scans and photos (PDF, JPEG, PNG)")

FORM_OVERHEAD = 64 * 1024  # the multipart framing and the other fields beside the file


def _limit() -> int:
    return runtime().extras["service"].config.document_max_bytes


def _too_large() -> Problem:
    megabytes = _limit() // (1024 * 1024)
    return Problem(413, Text("A document may be at most {size} MB.", size=megabytes),
                   errors={"file": Text("At most {size} MB.", size=megabytes)})


@documents_blp.before_request
def _refuse_large_bodies():
    if request.method == "POST":
        request.max_content_length = _limit() + FORM_OVERHEAD
        if (request.content_length or 0) > request.max_content_length:
            raise _too_large()


UPLOAD = {"required": True, "content": {"multipart/form-data": {"schema": {
    "type": "object", "required": ["file", "kind", "title"], "additionalProperties": False,
    "properties": {"file": {**BINARY, "description": "a PDF, JPEG or PNG, judged by its bytes (at most 10 MB by "
                                                     "default, DOCUMENT_MAX_MB)"},
                   "kind": {"type": "string", "enum": list(DOCUMENT_KINDS)},
                   "title": {"type": "string", "minLength": 1, "maxLength": 200, "pattern": NOT_BLANK_PATTERN},
                   "expires_on": {"type": "string", "format": "date",
                                  "description": "only for the kinds id and travel_document"}}}}}}


def _form() -> tuple[dict, bytes]:
    try:
        upload, form = request.files.get("file"), request.form
    except RequestEntityTooLarge:
        raise _too_large() from None
    try:
        data = DocumentFormSchema().load(form.to_dict())
    except ValidationError as refused:
        errors = flatten_errors(refused.messages)
        if upload is None:
            errors["file"] = "Missing data for required field."
        raise Invalid("The request has invalid fields.", errors=errors) from None
    if upload is None:
        raise Invalid("The request has invalid fields.", errors={"file": "Missing data for required field."})
    body = upload.read(_limit() + 1)
    if len(body) > _limit():
        raise _too_large()
    return data, body


@documents_blp.route("/<returnee_id>/documents")
class Documents(MethodView):
    @documents_blp.arguments(DocumentQuerySchema, location="query")
    @documents_blp.alt_response(200, schema=page_of(DocumentOutSchema), success=True)
    @require(*WRITERS)
    def get(self, args, returnee_id):
        """The client's documents, newest first, a page at a time (their metadata; the bytes at `.../content`)."""
        page = files.list_documents(_deps(), returnee_id, args["cursor"], args["limit"])
        return {"items": DocumentOutSchema().dump(page["items"], many=True), "next_cursor": page["next_cursor"]}

    @documents_blp.doc(requestBody=UPLOAD)
    @documents_blp.response(201, DocumentOutSchema)
    @documents_blp.alt_response(415, schema=ProblemSchema, content_type=PROBLEM,
                                description="not a PDF, JPEG or PNG by its first bytes (whatever its name)")
    @require(*WRITERS)
    def post(self, returnee_id):
        """Upload a scan or photo to the case file (`uploaded_by` is the caller); stored encrypted with the
        returnee's key."""
        data, body = _form()
        content_type = files.sniffed_type(body)
        if content_type is None:
            raise Problem(415, Text("A document must be a PDF, JPEG or PNG file."), errors={"file": Text("Only a PDF, JPEG or PNG file.")})
        document = files.add_document(_deps(), returnee_id, data, body, content_type, principal().sub)
        audit_resource(document["id"], returnee_id=returnee_id)
        return document


@documents_blp.route("/<returnee_id>/documents/<document_id>")
class DocumentById(MethodView):
    @documents_blp.response(200, DocumentOutSchema)
    @require(*WRITERS)
    def get(self, returnee_id, document_id):
        """One document's metadata (its bytes at `.../content`)."""
        audit_resource(document_id, returnee_id=returnee_id)
        return files.get_document(_deps(), returnee_id, document_id)

    @documents_blp.response(204)
    @require(*WRITERS)
    def delete(self, returnee_id, document_id):
        """Delete a document and its file (a shared one is unshared: the partner's copy goes too)."""
        audit_resource(document_id, returnee_id=returnee_id)
        sharing.delete_document(_deps(), returnee_id, document_id)
        return "", 204


@documents_blp.route("/<returnee_id>/documents/<document_id>/content")
@documents_blp.doc(responses={200: {"description": "the bytes as uploaded (the Content-Type says which kind)",
                                    "content": {kind: {"schema": BINARY} for kind in files.CONTENT_TYPES}}})
@require(*WRITERS)
def document_content(returnee_id, document_id):
    """Download a document, byte for byte, as an attachment."""
    audit_resource(document_id, returnee_id=returnee_id)
    document, body = files.document_content(_deps(), returnee_id, document_id)
    return Response(body, mimetype=document["content_type"], headers={
        "Content-Disposition": f'attachment; filename="{files.file_name(document)}"'})
