"""Importing the existing caseload (docs/import.md): upload, the preview with every refusal at its cell, the
confirmed import with its progress, and its report; the intake API does the work (POST /v1/returnees/import)."""
from __future__ import annotations

import secrets
from datetime import timedelta

from flask import Blueprint, Response, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from services.web import repository
from services.web.clients import ApiError
from services.web.messages import problem_message
from services.web.security import roles, web

bp = Blueprint("imports", __name__, url_prefix="/returnees/import")
WRITERS = ("consultant", "admin")
UPLOAD_LIMIT = 10 * 1024 * 1024  # the intake API's (services/intake/imports/files.py MAX_BYTES)
FORMATS = {"csv": "text/csv; charset=utf-8", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def _language() -> str:
    return str(get_locale() or "nl")


@bp.route("", methods=["GET", "POST"])
@roles(*WRITERS)
def upload():
    """GET: the upload form; POST: the dry run's preview of the file sent (kept until it is confirmed)."""
    today = web().clock.today().isoformat()
    if request.method == "GET":
        return render_template("returnees/import.html", today=today, go_live_on="")
    go_live_on = request.form.get("go_live_on", "").strip()
    sent = request.files.get("file")
    if not sent or not sent.filename:
        return render_template("returnees/import.html", problem=_("Choose a CSV or XLSX file."), today=today,
                               go_live_on=go_live_on), 422
    content = sent.read()
    try:
        preview = web().intake.import_file(content, sent.filename, True, _language(), go_live_on or None)
    except ApiError as error:
        if error.status not in (413, 422):
            raise
        refusals = dict(error.problem.get("errors") or {})
        go_live_error = refusals.pop("go_live_on", None)  # said at its field, in the page's language
        return render_template("returnees/import.html", problem=problem_message(error) if error.status == 413
                               else error.problem.get("detail"), refusals=refusals, today=today,
                               go_live_on=go_live_on, go_live_error=go_live_error), error.status
    upload_id = secrets.token_urlsafe(18)
    repository.keep_upload(id=upload_id, owner=g.user.username, filename=sent.filename, content=content,
                           go_live_on=go_live_on, created_at=web().clock.now())
    cells: dict[int, list] = {}  # row -> [(column, message)]: each refusal at its cell
    for refusal in preview["errors"]:
        cells.setdefault(refusal["row"], []).append((refusal["column"], refusal["message"]))
    return render_template("returnees/import_preview.html", preview=preview, upload_id=upload_id,
                           filename=sent.filename, cells=cells, go_live_on=go_live_on)


@bp.route("/confirm", methods=["POST"])
@roles(*WRITERS)
def confirm():
    """Import the previewed file: the run's page follows its progress."""
    since = web().clock.now() - timedelta(minutes=repository.UPLOAD_MINUTES)
    kept = repository.take_upload(request.form.get("upload", ""), g.user.username, since)
    if kept is None:
        flash(_("The file is no longer kept: upload it again."))
        return redirect(url_for("imports.upload"))
    started = web().intake.import_file(bytes(kept.content), kept.filename, False, _language(),
                                       kept.go_live_on or None)
    return redirect(url_for("imports.run", import_id=started["id"]))


@bp.route("/runs/<import_id>")
@roles(*WRITERS)
def run(import_id):
    """An import's progress (the page refreshes itself while it runs), then its report."""
    try:
        found = web().intake.import_run(import_id)
    except ApiError as error:
        if error.status == 404:
            abort(404)
        raise
    return render_template("returnees/import_run.html", run=found)


@bp.route("/template.<fmt>")
@roles(*WRITERS)
def template(fmt):
    if fmt not in FORMATS:
        abort(404)
    answer = web().intake.import_template(fmt)
    return Response(answer.content, mimetype=FORMATS[fmt],
                    headers={"Content-Disposition": f'attachment; filename="homeward-import.{fmt}"'})
