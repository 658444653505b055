"""The returnee page's documents (Documenten): upload a scan or photo with its kind and title, download it back
as it was, delete it after a confirmation. Consultants and administrators only: a project lead's page shows no
documents, and these pages answer project leads 403. Intake checks the file (its type from its bytes, its size)."""
from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from services.web import forms
from services.web.clients import ApiError
from services.web.security import roles, web
from services.web.views.returnee_page import WRITERS, detail_context

bp = Blueprint("documents", __name__, url_prefix="/returnees")
FIELDS = ("kind", "title", "expires_on")
PASSED_ON = ("Content-Type", "Content-Disposition", "Content-Length")


@bp.route("/<returnee_id>/documents", methods=["POST"])
@roles(*WRITERS)
def upload(returnee_id):
    sent = request.files.get("file")
    fields = {name: request.form.get(name, "").strip() for name in FIELDS}
    try:
        if not sent or not sent.filename:
            raise ApiError(422, {"errors": {"file": "required"}, "error_codes": {"file": "required"}})
        web().intake.upload_document(returnee_id, sent.read(), sent.filename, fields, str(get_locale() or "nl"))
    except ApiError as error:
        if error.status not in (413, 415, 422):
            raise
        context = detail_context(returnee_id)
        context.update(document_errors=forms.field_errors(error), document_form=fields,
                       problem=_("The document was not kept: see the message at the field."))
        return render_template("returnees/detail.html", **context), error.status
    flash(_("The document was kept in the case file."))
    return redirect(url_for("returnees.detail", returnee_id=returnee_id) + "#documenten")


@bp.route("/<returnee_id>/documents/<document_id>")
@roles(*WRITERS)
def download(returnee_id, document_id):
    """The document as uploaded, byte for byte, as an attachment."""
    answer = web().intake.document_content(returnee_id, document_id)
    headers = {name: answer.headers[name] for name in PASSED_ON if name in answer.headers}
    return Response(answer.content, headers=headers)


@bp.route("/<returnee_id>/documents/<document_id>/delete", methods=["GET", "POST"])
@roles(*WRITERS)
def delete(returnee_id, document_id):
    """Deleting a document, after a confirmation that names it."""
    returnee = web().intake.returnee(returnee_id)
    document = web().intake.document(returnee_id, document_id)
    if request.method == "GET":
        return render_template("returnees/document_delete.html", r=returnee, document=document)
    web().intake.delete_document(returnee_id, document_id)
    flash(_("The document was deleted."))
    return redirect(url_for("returnees.detail", returnee_id=returnee_id) + "#documenten")
