"""Sharing a note or document with the partner holding the case (consultants and administrators; 409 when no
partner holds it), unsharing it, and the bytes of a shared document for the partners service only. Every call is
in the audit log by person, under the item's id with the returnee's (a share is its own path: `.../share`)."""
from __future__ import annotations

from flask import Response
from flask.views import MethodView
from flask_smorest import Blueprint

from services.intake import documents_files as files
from services.intake import sharing
from services.intake.api.common import WRITERS, _deps
from services.intake.schemas.documents_schemas import SharedContentQuerySchema, ShareSchema
from shared.http import audit_resource, principal, require
from shared.http.openapi import BINARY

sharing_blp = Blueprint("sharing", __name__, url_prefix="/v1/returnees",
                        description="Sharing one note or document with the partner holding the case")


@sharing_blp.route("/<returnee_id>/notes/<note_id>/share")
class NoteShare(MethodView):
    @sharing_blp.response(200, ShareSchema)
    @sharing_blp.alt_response(409, response="CONFLICT")
    @require(*WRITERS)
    def post(self, returnee_id, note_id):
        """Share the note (its current text) with the partner holding the case; sealed on its way."""
        audit_resource(note_id, returnee_id=returnee_id)
        return sharing.share_note(_deps(), returnee_id, note_id, principal().sub)

    @sharing_blp.response(204)
    @sharing_blp.alt_response(409, response="CONFLICT")
    @require(*WRITERS)
    def delete(self, returnee_id, note_id):
        """Stop sharing the note: the partner's copy is removed."""
        audit_resource(note_id, returnee_id=returnee_id)
        sharing.unshare(_deps(), returnee_id, note_id, "note")
        return "", 204


@sharing_blp.route("/<returnee_id>/documents/<document_id>/share")
class DocumentShare(MethodView):
    @sharing_blp.response(200, ShareSchema)
    @sharing_blp.alt_response(409, response="CONFLICT")
    @require(*WRITERS)
    def post(self, returnee_id, document_id):
        """Share the document with the partner holding the case: its metadata sealed on Kafka, its bytes fetched
        from intake by the partners service."""
        audit_resource(document_id, returnee_id=returnee_id)
        return sharing.share_document(_deps(), returnee_id, document_id, principal().sub)

    @sharing_blp.response(204)
    @sharing_blp.alt_response(409, response="CONFLICT")
    @require(*WRITERS)
    def delete(self, returnee_id, document_id):
        """Stop sharing the document: the partner's copy is removed."""
        audit_resource(document_id, returnee_id=returnee_id)
        sharing.unshare(_deps(), returnee_id, document_id, "document")
        return "", 204


@sharing_blp.route("/<returnee_id>/documents/<document_id>/shared-content")
@sharing_blp.arguments(SharedContentQuerySchema, location="query")
@sharing_blp.doc(responses={200: {"description": "the bytes as uploaded, for the partners service only",
                                  "content": {kind: {"schema": BINARY} for kind in files.CONTENT_TYPES}}})
@require("service")
def shared_content(args, returnee_id, document_id):
    """A shared document's bytes, for the partners service and the partner it is shared with (else 404)."""
    audit_resource(document_id, returnee_id=returnee_id)
    document, body = sharing.shared_content(_deps(), returnee_id, document_id, args["partner_id"], principal().sub)
    return Response(body, mimetype=document["content_type"], headers={
        "Content-Disposition": f'attachment; filename="{files.file_name(document)}"'})
