"""The existing caseload imported: the template, the upload (dry run or import), the import run's progress."""
from __future__ import annotations

from flask import Response, current_app, jsonify, request
from flask_smorest import Blueprint

from services.intake.api.common import WRITERS, _deps
from services.intake.import_repository import ImportRepository
from services.intake.imports import files, run, template
from services.intake.imports.rows import judge
from services.intake.schemas.imports import (ImportQuerySchema, ImportReportSchema, ImportRunSchema,
                                             TemplateQuerySchema)
from shared import texts
from shared.errors import NotFound
from shared.http import principal, require, runtime
from shared.http.openapi import BINARY
from shared.http.problems import problem_language
from shared.http.workbook import XLSX

imports_blp = Blueprint("imports", __name__, url_prefix="/v1/returnees",
                        description="The existing caseload imported from a CSV or XLSX file")

UPLOAD = {"required": True, "content": {
    "multipart/form-data": {"schema": {"type": "object", "required": ["file"],
                                       "properties": {"file": BINARY}}},
    "application/octet-stream": {"schema": BINARY}},
    "description": f"the file (at most {files.MAX_BYTES // (1024 * 1024)} MB, {files.MAX_ROWS} rows): CSV (UTF-8 "
                   "or Windows-1252, `;` or `,`) or XLSX, with the template's headings: multipart (field `file`) or the file as the body"}


def _catalogue() -> texts.Catalogue:
    return current_app.extensions.get("homeward_texts") or texts.catalogue()


def _translator():
    catalogue, lang = _catalogue(), problem_language()
    return lambda message: catalogue.translate(message, lang)


def _imports() -> ImportRepository:
    return ImportRepository()


@imports_blp.route("/import/template")
@imports_blp.arguments(TemplateQuerySchema, location="query")
@imports_blp.alt_response(200, schema=BINARY, content_type="text/csv", success=True,
                          description="CSV (UTF-8 with a byte order mark, `;`): the headings and one example row")
@imports_blp.alt_response(200, schema=BINARY, content_type=XLSX, success=True,
                          description="XLSX: the headings and one example row, and a sheet explaining each column "
                                      "in Dutch and English")
@require(*WRITERS)
def import_template(args):
    """The import template: the registration body's field paths as headings, with an example row."""
    today = runtime().clock.today()
    if args["format"] == "xlsx":
        body, mimetype = template.xlsx_bytes(today, _catalogue().translate), XLSX
    else:
        body, mimetype = template.csv_bytes(today), "text/csv; charset=utf-8"
    return Response(body, mimetype=mimetype, headers={
        "Content-Disposition": f'attachment; filename="homeward-import.{args["format"]}"'})


@imports_blp.route("/import", methods=["POST"])
@imports_blp.arguments(ImportQuerySchema, location="query")
@imports_blp.doc(requestBody=UPLOAD)
@imports_blp.alt_response(200, schema=ImportReportSchema, success=True,
                          description="the dry run: what the import would do, nothing written")
@imports_blp.response(202, ImportRunSchema, description="the import started: follow it at "
                                                        "GET /v1/returnees/imports/{import_id} (Location)")
@require(*WRITERS)
def post_import(args):
    """Import clients from a CSV or XLSX file; `?dry_run=true` answers the preview and writes nothing. Rows are
    matched on client_ref: a known one is reported unchanged or changed, never overwritten; refused rows are
    reported with their row, column and message; the good rows are imported."""
    request.max_content_length = files.MAX_BYTES
    upload = request.files.get("file")
    content, name = (upload.read(), upload.filename or "") if upload else (request.get_data(), "")
    table = files.read_table(content, name)
    who = principal()
    rows = judge(table, (who.role, who.sub), _imports().by_client_refs, args["go_live_on"])
    translate = _translator()
    if args["dry_run"]:
        return jsonify(run.preview(rows, translate))  # built here: the 202 schema is the run's
    run_id = run.start(_deps(), _imports(), rows, who.sub or "", translate)
    return _run(run_id), 202, {"Location": f"/v1/returnees/imports/{run_id}"}


@imports_blp.route("/imports/<import_id>")
@imports_blp.response(200, ImportRunSchema)
@require(*WRITERS)
def get_import(import_id):
    """An import's progress (rows done of the total) and, once finished, its report."""
    return _run(import_id)


def _run(import_id: str) -> dict:
    found = _imports().run(import_id)
    who = principal()
    if found is None or (who.role != "admin" and found["owner"] != (who.sub or "")):
        raise NotFound("No such import.")
    return {**found, "report": found.get("report") or None}

