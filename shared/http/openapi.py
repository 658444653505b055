"""What the OpenAPI documents say a Homeward operation answers, besides its own success response.

A view declares its success response (`@blp.response`, or `@blp.alt_response(..., success=True)`
for one it builds itself) and the refusals only it knows of (409). `ResponsesPlugin` adds, in one
place, what the seedwork answers on every route of a kind, so no view has to repeat it:

- 404 on a path with a parameter (an unknown id; partsec's path check answers it before the view);
- 400 and 413 on an operation with a body (`guard.check_body`: not JSON, too deep, not Unicode;
  Flask's MAX_CONTENT_LENGTH), 422 when the body has a schema;
- 422 on every `/v1` operation (`guard.check_query` refuses unknown query parameters), and the
  `Accept-Language` header that picks the language of its problems;
- the shape of a path's ids (`service_app(path_ids=...)`: another shape answers 404) and country codes
  (a path variable `code` or `country`: another value answers 422) as the parameter's `pattern`.

`require()` adds 401/403/429 (`security._document_security`); `HomewardApi` makes every error
response `application/problem+json`.
"""
from __future__ import annotations

import re

import marshmallow as ma
from apispec import BasePlugin

from shared.fields import COUNTRY_PATTERN, anchored
from shared.ids import shape

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


NULL_ONLY = {"type": "object", "nullable": True, "enum": [None]}


def null_means_null(converter, field, ret, **kwargs) -> dict:
    """apispec attribute function: a nullable nested schema is `anyOf [null, the schema]`. apispec writes the
    first branch as any object (`{"type": "object", "nullable": true}`), which lets a document accept bodies
    with fields the schema refuses; here that branch admits null only."""
    branches = ret.get("anyOf")
    if not branches or {"type": "object", "nullable": True} not in branches:
        return {}
    return {"anyOf": [NULL_ONLY if branch == {"type": "object", "nullable": True} else branch for branch in branches]}


def as_documented(converter, field, ret, **kwargs) -> dict:
    """apispec attribute function: `metadata={"openapi": {...}}` replaces what apispec wrote for those keys (a
    `Dict` whose keys are a list of codes is documented as an object with those properties, and no others)."""
    return dict(field.metadata.get("openapi") or {})


class ResponsesPlugin(BasePlugin):
    """apispec plugin: the seedwork's answers (404, 400, 413, 422) added to every operation they apply to,
    and the patterns of path parameters."""

    def __init__(self, path_ids: dict[str, str | re.Pattern] | None = None):
        super().__init__()
        self.patterns = {"code": COUNTRY_PATTERN, "country": COUNTRY_PATTERN}
        for name, prefix in (path_ids or {}).items():
            self.patterns[name] = anchored((shape(prefix) if isinstance(prefix, str) else prefix).pattern)

    def path_helper(self, path=None, operations=None, parameters=None, **kwargs):
        for parameter in parameters or []:
            if isinstance(parameter, dict) and parameter.get("in") == "path" and parameter["name"] in self.patterns:
                parameter.setdefault("schema", {"type": "string"})["pattern"] = self.patterns[parameter["name"]]

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
