"""Money beside the check-ins: the rate table an administrator keeps, and the receipts of support delivered.

A receipt is a photo (JPEG, PNG) or a PDF, sent as the request body with its Content-Type; what it is
is read from its first bytes, never from a name or the header alone (a renamed program is refused, 415),
and a receipt above RECEIPT_MAX_BYTES is refused (413). The file is kept in monitoring's own database
(GridFS) and comes back byte for byte to the partner who follows the client and to consultants and
administrators (project leads see figures, not papers that may bear a name).
"""
from __future__ import annotations

from flask import Response, request
from flask_smorest import Blueprint

from services.monitoring import handlers
from services.monitoring.api.common import _service
from services.monitoring.money_schemas import RateTableOutSchema, RateTableSchema, ReceiptSchema
from shared.http import PROBLEM, Problem, audit_resource, principal, require
from shared.http.openapi import BINARY
from shared.http.problems import ProblemSchema
from shared.texts import Text

RECEIPT_MAX_BYTES = 2_000_000  # under the 2 MiB every request may carry
SIGNATURES = (("application/pdf", b"%PDF-"), ("image/jpeg", b"\xff\xd8\xff"), ("image/png", b"\x89PNG\r\n\x1a\n"))
RECEIPT_TYPES = tuple(kind for kind, _ in SIGNATURES)

money_blp = Blueprint("money", __name__, description="The rate table and the receipts of support delivered")


def sniffed_type(body: bytes) -> str | None:
    """What the bytes are, by their signature: one of RECEIPT_TYPES, or None."""
    return next((kind for kind, magic in SIGNATURES if body.startswith(magic)), None)


@money_blp.route("/v1/currency-rates")
@money_blp.alt_response(200, schema=RateTableOutSchema, success=True)
@require("admin", "project_lead")
def get_rates():
    """The rate table: per currency, how many units one euro buys from which day on (the support report's)."""
    return _table()


def _table() -> dict:
    repo = _service().rates
    at, by = repo.stamp()
    return RateTableOutSchema().dump({"rates": repo.all(), "updated_at": at, "updated_by": by})


@money_blp.route("/v1/currency-rates", methods=["PUT"])
@money_blp.arguments(RateTableSchema)
@money_blp.alt_response(200, schema=RateTableOutSchema, success=True)
@require("admin")
def put_rates(data):
    """Replace the rate table (administrators; audited like every write)."""
    service = _service()
    audit_resource("currency_rates")  # what GET /v1/audit?resource_id= finds
    service.rates.replace(data["rates"], service.clock.now(), principal().sub)
    return _table()


def _support_line(returnee_id: str, checkin_id: str, index: str) -> tuple[dict, int]:
    """The case and the line's position, if the caller may see the case and the check-in has that line."""
    case = handlers.visible_case(_service().deps, principal(), returnee_id, whole=True)
    checkin = next((c for c in case["checkins"] if c["id"] == checkin_id), None)
    position = int(index) if index.isascii() and index.isdigit() and len(index) < 4 else -1
    if checkin is None or not 0 <= position < len(checkin.get("support_delivered") or []):
        raise Problem(404, "No such support line.")
    return case, position


RECEIPT_PATH = "/v1/cases/<returnee_id>/checkins/<checkin_id>/support/<index>/receipt"  # index: 0, 1, ...
RECEIPT_BODY = {"required": True, "description": "the file (a PDF, JPEG or PNG, judged by its bytes whatever "
                                                 "the Content-Type says)",
                "content": {"application/octet-stream": {"schema": BINARY}}}


@money_blp.route(RECEIPT_PATH, methods=["PUT"])
@money_blp.doc(requestBody=RECEIPT_BODY)
@money_blp.alt_response(201, schema=ReceiptSchema, success=True)
@money_blp.alt_response(415, schema=ProblemSchema, content_type=PROBLEM,
                        description="not a PDF, JPEG or PNG by its first bytes (whatever its name or header)")
@require("partner", "admin")
def put_receipt(returnee_id, checkin_id, index):
    """Upload the receipt of one support line of a check-in (the partner who follows the client; an administrator
    on its behalf)."""
    audit_resource(returnee_id)
    case, index = _support_line(returnee_id, checkin_id, index)
    body = request.get_data(cache=False)
    if len(body) > RECEIPT_MAX_BYTES:
        raise Problem(413, Text("A receipt may be at most {size} MB.", size=RECEIPT_MAX_BYTES // 1_000_000))
    kind = sniffed_type(body)
    if kind is None:
        raise Problem(415, Text("A receipt must be a PDF, JPEG or PNG file."))
    service = _service()
    stored = service.receipts.put({"returnee_id": returnee_id, "partner_id": case.get("partner_id"),
                                   "checkin_id": checkin_id, "index": index, "content_type": kind,
                                   "uploaded_at": service.clock.now(), "uploaded_by": principal().sub}, body)
    return ReceiptSchema().dump(stored), 201


@money_blp.route(RECEIPT_PATH)
@money_blp.doc(responses={200: {"description": "the receipt as uploaded (its Content-Type says which kind)",
                                "content": {kind: {"schema": BINARY} for kind in RECEIPT_TYPES}}})
@require("partner", "consultant", "admin")
def get_receipt(returnee_id, checkin_id, index):
    """Download the receipt of one support line, byte for byte."""
    audit_resource(returnee_id)
    _, index = _support_line(returnee_id, checkin_id, index)
    found = _service().receipts.get(returnee_id, checkin_id, index)
    if found is None:
        raise Problem(404, "No receipt for this support line.")
    meta, body = found
    return Response(body, mimetype=meta["content_type"], headers={
        "Content-Disposition": f'attachment; filename="receipt-{checkin_id}-{index}.{meta["content_type"].split("/")[1]}"'})
