"""The returnee page's conversations (gespreksverslagen): write a note, search them, read one with its earlier
versions (its author and administrators) and correct it. Consultants and administrators only: a project
lead's page shows no notes, and these pages answer project leads 403."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from services.web import forms
from services.web.clients import ApiError
from services.web.security import roles, web
from services.web.views.returnee_page import WRITERS, act, may_correct

bp = Blueprint("notes", __name__, url_prefix="/returnees")
FIELDS = ("text", "kind", "mode", "contact_on")


def note_body(form) -> dict:
    """The note form as the API's body: `with` the boxes ticked, `interpreter` a box."""
    body = {name: form.get(name, "").strip() or None for name in FIELDS}
    body["with"] = form.getlist("with")
    body["interpreter"] = form.get("interpreter") == "1"
    return body


@bp.route("/<returnee_id>/notes", methods=["POST"])
@roles(*WRITERS)
def add(returnee_id):
    body = note_body(request.form)
    return act(returnee_id, lambda: web().intake.add_note(returnee_id, body), _("The conversation was recorded."),
               field_names={"with.0": "with"}, refused=lambda status, context: _(
                   "The conversation could not be saved: see the messages at the fields.") if status == 422 else None)


@bp.route("/<returnee_id>/notes/<note_id>", methods=["GET", "POST"])
@roles(*WRITERS)
def note(returnee_id, note_id):
    """One note, its earlier versions for its author and administrators, and the correction form."""
    errors, status = {}, 200
    if request.method == "POST":
        try:
            web().intake.correct_note(returnee_id, note_id, {"text": request.form.get("text", "").strip()})
        except ApiError as error:
            if error.status not in (403, 409, 422):
                raise
            errors, status = forms.field_errors(error) or {"text": _("This could not be saved.")}, error.status
        else:
            flash(_("The correction was saved; the earlier text is kept."))
            return redirect(url_for("notes.note", returnee_id=returnee_id, note_id=note_id))
    shown = web().intake.note(returnee_id, note_id)
    returnee = web().intake.returnee(returnee_id)
    return render_template("returnees/note.html", r=returnee, note=shown, may_correct=may_correct(shown),
                           errors=errors), status
