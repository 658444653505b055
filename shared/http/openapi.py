"""What the OpenAPI documents say a Homeward operation answers, besides its own success response.

A view declares its success response (`@blp.response`, or `@blp.alt_response(..., success=True)`
for one it builds itself) and the refusals only it knows of (409). `ResponsesPlugin` adds, in one
place, what the seedwork answers on every route of a kind, so no view has to repeat it:

- 404 on a path with a parameter (an unknown id; partsec's path check answers it before the view);
- 400 and 413 on an operation with a body (`guard.check_body`: not JSON, too deep, not Unicode;
  Flask's MAX_CONTENT_LENGTH), 422 when the body has a schema;
- 422 on every `/v1` operation (`guard.check_query` refuses unknown query parameters), and the
  `Accept-Language` header that picks the language of its problems.

`require()` adds 401/403/429 (`security._document_security`); `HomewardApi` makes every error
response `application/problem+json`.
"""
from __future__ import annotations

import marshmallow as ma
from apispec import BasePlugin

ACCEPT_LANGUAGE = "AcceptLanguage"  # the components parameter shared.http.problems.HomewardApi registers
CSV = {"type": "string", "description": "CSV with a header row (`?format=csv` or `Accept: text/csv`)"}
TEXT = {"type": "string"}
BINARY = {"type": "string", "format": "binary"}
DOWNLOADS = {"xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                      "An Excel workbook (`?format=xlsx`): one sheet per section, typed cells, labels in the "
                      "Accept-Language's language"),
             "pdf": ("application/pdf", "A PDF (`?format=pdf`) with the print date, who printed it and page numbers")}


class AnswerSchema(ma.Schema):
    """A response documented, not serialised: the fields a client may rely on. The view may answer
    more (additional properties allowed), so a field added later breaks no generated client."""

    class Meta:
        unknown = ma.EXCLUDE


def csv_alternative(blp, description: str = "JSON, or CSV with `?format=csv` or `Accept: text/csv`"):
    """`@csv_alternative(blp)`: the operation also answers 200 `text/csv` (`shared.http.exports`)."""
    return blp.alt_response(200, schema=CSV, content_type="text/csv", description=description, success=True)


def download_alternative(blp, kind: str):
    """`@download_alternative(blp, "xlsx")` (or "pdf"): the operation also answers 200 with that file
    (`shared.http.workbook`)."""
    content_type, description = DOWNLOADS[kind]
    return blp.alt_response(200, schema=BINARY, content_type=content_type, description=description, success=True)


class ResponsesPlugin(BasePlugin):
    """apispec plugin: the seedwork's answers (404, 400, 413, 422) added to every operation they apply to."""

    def operation_helper(self, path=None, operations=None, **kwargs):
        for operation in (operations or {}).values():
            responses = operation.setdefault("responses", {})

            def add(status: int, name: str) -> None:
                if status not in responses and str(status) not in responses:
                    responses[status] = name

            if path and "{" in path:
                add(404, "NOT_FOUND")
            body = operation.get("requestBody")
            if body:
                add(400, "BAD_REQUEST")
                add(413, "REQUEST_ENTITY_TOO_LARGE")
                if "application/json" in body.get("content", {}):
                    add(422, "UNPROCESSABLE_ENTITY")
            if path and path.startswith("/v1/"):
                add(422, "UNPROCESSABLE_ENTITY")
                parameters = operation.setdefault("parameters", [])
                if ACCEPT_LANGUAGE not in parameters:  # the problems' language (shared.http.problems)
                    parameters.append(ACCEPT_LANGUAGE)
