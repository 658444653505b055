"""Receipts (proof of payment) for support delivered: a photo or a PDF a field worker or coordinator attaches to
one support line of a check-in sent, through monitoring's receipts API with the person's token, and opens
again from the case page. Online only: the file goes at once, never into the device's queue (the page says so).

Monitoring judges the file by its bytes (PDF, JPEG, PNG) and keeps at most RECEIPT_MAX_BYTES; the portal
refuses an empty or too large file before sending it, and writes monitoring's refusals (413, 415) in the
page's language on the case page, at the line.
"""
from __future__ import annotations

from urllib.parse import quote

from flask import Blueprint, Response, abort, redirect, request, url_for
from flask_babel import lazy_gettext as _l

from services.portal.clients import ApiError
from services.portal.views.cases import case_page, handover_of
from services.portal.views.common import portal

bp = Blueprint("receipts", __name__)
RECEIPT_MAX_BYTES = 2_000_000  # monitoring's limit (services/monitoring/api/money.py)
UPLOAD_LIMIT = 3 * 1024 * 1024  # what this route reads: a larger file is refused by the page, not by the server
ROUTE = "/cases/<returnee_id>/checkins/<checkin_id>/support/<int:index>/receipt"
REFUSALS = {
    "empty": _l("Choose a photo or a PDF file first."),
    "size": _l("This file is too large: a receipt may be at most 2 MB. Take the photo again at a lower "
               "resolution, or scan fewer pages."),
    "type": _l("This file is not a photo (JPEG, PNG) or a PDF: choose the receipt's photo or scan."),
    "gone": _l("This support line is no longer there; reload the case."),
}


def _line_path(returnee_id: str, checkin_id: str, index: int) -> str:
    """The receipts API's path of one support line, after checking the case and line are the person's."""
    handover = handover_of(returnee_id)
    case = portal().monitoring.case(returnee_id) if handover["status"] == "arrived" else None
    checkin = next((c for c in (case or {}).get("checkins", []) if c["id"] == checkin_id), None)
    if checkin is None or not 0 <= index < len(checkin.get("support_delivered") or []):
        abort(404)
    return f"/v1/cases/{quote(returnee_id, safe='')}/checkins/{quote(checkin_id, safe='')}/support/{index}/receipt"


@bp.route(ROUTE, methods=["POST"])
def upload(returnee_id: str, checkin_id: str, index: int):
    path = _line_path(returnee_id, checkin_id, index)
    sent = request.files.get("receipt")
    content = sent.read(RECEIPT_MAX_BYTES + 1) if sent else b""
    refusal = "empty" if not content else "size" if len(content) > RECEIPT_MAX_BYTES else None
    if refusal is None:
        try:
            portal().monitoring.put_receipt(path, content)
        except ApiError as refused:
            refusal = {413: "size", 415: "type", 404: "gone"}.get(refused.status)
            if refusal is None:
                raise
    if refusal is not None:
        return case_page(returnee_id, error=str(REFUSALS[refusal]), status=422,
                         refused_line=f"{checkin_id}:{index}")
    return redirect(url_for("cases.case", returnee_id=returnee_id, done="receipt", _anchor=f"line-{checkin_id}-{index}"))


@bp.route(ROUTE)
def download(returnee_id: str, checkin_id: str, index: int):
    found = portal().monitoring.receipt(_line_path(returnee_id, checkin_id, index))
    if found is None:
        abort(404)
    kind, content = found
    extension = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}.get(kind.split(";")[0], "bin")
    return Response(content, mimetype=kind.split(";")[0], headers={
        "Content-Disposition": f'inline; filename="receipt-{index + 1}.{extension}"',
        "X-Content-Type-Options": "nosniff"})
