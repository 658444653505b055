"""The notes and documents a consultant shared with the partner on a handover: the partner reads them (its own
handovers only: another's answers 404) and downloads a shared document, which the partners service fetches from
intake at that moment (the bytes are kept at intake only). Every read is in the audit log by person, under the
item's id with the returnee's."""
from __future__ import annotations

from flask import Response
from flask_smorest import Blueprint

from services.partners import handlers
from services.partners.api.common import _deps
from services.partners.shared_items import SharedItemsSchema
from shared.http import PROBLEM, audit_resource, principal, require
from shared.http.openapi import BINARY
from shared.http.problems import ProblemSchema

shared_blp = Blueprint("shared", __name__, url_prefix="/v1/handovers",
                       description="Notes and documents the consultant shared with the partner")
DOCUMENT_TYPES = ("application/pdf", "image/jpeg", "image/png")


@shared_blp.route("/<handover_id>/shared")
@shared_blp.alt_response(200, schema=SharedItemsSchema, success=True)
@require("partner")
def shared_items(handover_id):
    """The notes and documents shared on this handover, newest first (a document's bytes at its `content`)."""
    deps = _deps()
    handover = handlers.own_handover(deps, principal(), handover_id)
    audit_resource(handover_id, returnee_id=handover["returnee_id"])
    return SharedItemsSchema().dump({"items": handlers.shared_items(deps, handover)})


@shared_blp.route("/<handover_id>/shared/<item_id>/content")
@shared_blp.doc(responses={200: {"description": "the document's bytes as uploaded, fetched from intake",
                                 "content": {kind: {"schema": BINARY} for kind in DOCUMENT_TYPES}}})
@shared_blp.alt_response(503, schema=ProblemSchema, content_type=PROBLEM,
                         description="intake could not be asked for the bytes now (Retry-After)")
@require("partner")
def shared_content(handover_id, item_id):
    """Download a shared document, byte for byte, as an attachment."""
    deps = _deps()
    handover = handlers.own_handover(deps, principal(), handover_id)
    audit_resource(item_id, returnee_id=handover["returnee_id"])
    item, content_type, body = handlers.shared_document(deps, handover, item_id)
    extension = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}.get(content_type, "bin")
    return Response(body, mimetype=content_type, headers={
        "Content-Disposition": f'attachment; filename="{item["id"]}.{extension}"'})
