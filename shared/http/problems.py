"""Errors as `application/problem+json` (RFC 9457), one message per invalid field."""
from __future__ import annotations

import http
from http import HTTPStatus
from typing import Any

import marshmallow as ma
from flask import Response, g, jsonify
from flask_smorest import Api
from flask_smorest.utils import prepare_response
from werkzeug.exceptions import HTTPException

PROBLEM = "application/problem+json"

# A code per field message (`error_codes` beside `errors`), so clients translate by code, never by the
# English text. The messages are ours and marshmallow's; a message not listed here is "invalid".
MESSAGE_CODES = {
    "Missing data for required field.": "required",
    "required": "required",
    "Field may not be null.": "null",
    "Must not be blank.": "blank",
    "Unknown field.": "unknown_field",
    "Invalid value.": "invalid",
    "Not a valid string.": "invalid_string",
    "Not a valid integer.": "invalid_integer",
    "Not a valid number.": "invalid_number",
    "Not a valid boolean.": "invalid_boolean",
    "Not a valid date.": "invalid_date",
    "Not a valid datetime.": "invalid_datetime",
    "Not a valid email address.": "invalid_email",
    "Not a valid URL.": "invalid_url",
    "Not a valid list.": "invalid_list",
    "Not a valid mapping type.": "invalid_mapping",
    "Not a valid identifier.": "invalid_identifier",
    "Not an ISO 3166-1 alpha-2 country code.": "invalid_country",
    "Not an ISO 3166-1 alpha-2 code.": "invalid_country",
    "Must not be in the future.": "future_date",
    "Must be after 1900-01-01.": "before_1900",
    "Must not be before 2000-01-01.": "before_2000",
    "Must not be before the date of birth.": "before_birth",
    "Must be between 2000 and three years from now.": "year_out_of_range",
    "Must not repeat values.": "repeated_values",
    "Must use https.": "https_required",
    "already used with another body": "idempotency_key_reused",
}
MESSAGE_PREFIXES = (  # marshmallow's validators put their limits in the message
    ("Must be one of", "one_of"), ("One of:", "one_of"),
    ("Must be greater than", "out_of_range"), ("Must be less than", "out_of_range"),
    ("Length must be", "length"), ("Shorter than minimum length", "length"), ("Longer than maximum length", "length"),
)


def error_code(message) -> str:
    """The code of one field message (see MESSAGE_CODES); "invalid" for any other message."""
    text = message if isinstance(message, str) else str(message)
    if text in MESSAGE_CODES:
        return MESSAGE_CODES[text]
    return next((code for prefix, code in MESSAGE_PREFIXES if text.startswith(prefix)), "invalid")


class Problem(HTTPException):
    """An error answered as problem+json. Raise it from views and handlers' adapters."""

    def __init__(self, status: int, detail: str = "", errors: dict | None = None, title: str | None = None,
                 headers: dict | None = None, document: dict | None = None):
        super().__init__(description=detail)
        self.code = status
        self.detail = detail
        self.errors = errors
        self.title = title
        self.extra_headers = headers or {}
        self.document = document  # when set, answered exactly as it is (an earlier answer replayed)

    @classmethod
    def replay(cls, document: dict) -> "Problem":
        """An earlier answer's problem document (stored under an Idempotency-Key), answered again as it was."""
        return cls(document["status"], document.get("detail", ""), document.get("errors"), document.get("title"),
                   document=document)


def flatten_errors(messages: Any, prefix: str = "") -> dict[str, str]:
    """webargs/marshmallow messages -> {"field.path": "first message"}."""
    if isinstance(messages, str):
        return {prefix or "body": messages}
    if isinstance(messages, list):
        if all(isinstance(m, str) for m in messages):
            return {prefix or "body": messages[0] if messages else "invalid"}
        out: dict[str, str] = {}
        for item in messages:
            out.update(flatten_errors(item, prefix))
        return out
    out = {}
    for name, value in messages.items():
        out.update(flatten_errors(value, f"{prefix}.{name}" if prefix else str(name)))
    return out


def problem_response(status: int, detail: str = "", errors: dict | None = None, title: str | None = None,
                     headers: dict | None = None, type_: str | None = None, retry_after: int | None = None) -> Response:
    """A problem; `type_` names a problem type of its own (else the status's); `retry_after` (seconds) is
    sent both as the Retry-After header and as the document's `retry_after` (a batch item has no headers)."""
    phrase = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else "Error"
    body = {"type": f"https://homeward.example/problems/{type_ or status}", "title": title or phrase,
            "status": status, "detail": detail or phrase}
    if errors:
        body["errors"] = errors
        body["error_codes"] = {path: error_code(message) for path, message in errors.items()}
    if retry_after is not None:
        body["retry_after"] = retry_after
        headers = {**(headers or {}), "Retry-After": str(retry_after)}
    if "request_id" in g:
        body["request_id"] = g.request_id
    return problem_json(body, headers)


def problem_json(document: dict, headers: dict | None = None) -> Response:
    """A problem document as the response that carries it (its own `status`, problem+json)."""
    response = jsonify(document)
    response.status_code = document["status"]
    response.mimetype = PROBLEM
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def refusal_response(refusal: Exception) -> Response:
    """A `Problem` or a domain error (`shared.errors.DomainError`) as the problem response answering it."""
    if isinstance(refusal, Problem):
        if refusal.document is not None:
            return problem_json(refusal.document, refusal.extra_headers)
        return problem_response(refusal.code, refusal.detail, refusal.errors, refusal.title, refusal.extra_headers)
    return problem_response(refusal.status, refusal.detail, refusal.errors, type_=refusal.problem,
                            retry_after=refusal.retry_after)


class ProblemSchema(ma.Schema):
    """RFC 9457 problem details, with one message per invalid field in `errors`."""

    type = ma.fields.String(metadata={"example": "https://homeward.example/problems/422"})
    title = ma.fields.String()
    status = ma.fields.Integer()
    detail = ma.fields.String()
    errors = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.String(),
                            metadata={"description": "field path -> message (English)"})
    error_codes = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.String(), metadata={
        "description": "field path -> the message's code (required, invalid_date, out_of_range, ...; any other "
                       "message: invalid), one per entry of `errors`, for clients that translate"})
    request_id = ma.fields.String()
    retry_after = ma.fields.Integer(metadata={"description": "seconds: the answer may change; ask again "
                                                             "(as the Retry-After header says)"})


class HomewardApi(Api):
    """flask-smorest with every HTTP error answered, and documented, as problem+json."""

    ERROR_SCHEMA = ProblemSchema

    def _register_responses(self):
        """Every error response in the OpenAPI document is `application/problem+json`, as sent."""
        for status in http.HTTPStatus:
            response = {"description": status.phrase}
            if status >= 400:
                response["schema"] = self.ERROR_SCHEMA
                prepare_response(response, self.spec, PROBLEM)
            else:
                prepare_response(response, self.spec, self.DEFAULT_RESPONSE_CONTENT_TYPE)
            self.spec.components.response(status.name, response, lazy=True)
        response = {"description": "Default error response", "schema": self.ERROR_SCHEMA}
        prepare_response(response, self.spec, PROBLEM)
        self.spec.components.response("DEFAULT_ERROR", response, lazy=True)

    def handle_http_exception(self, error: HTTPException):
        if isinstance(error, Problem):
            return refusal_response(error)
        data = getattr(error, "data", None) or {}
        errors = None
        detail = error.description or ""
        if "messages" in data:
            errors = flatten_errors({loc: msgs for loc, msgs in data["messages"].items()})
            errors = {k.split(".", 1)[1] if k.split(".", 1)[0] in ("json", "query", "headers", "form")
                      and "." in k else k: v for k, v in errors.items()}
            detail = "The request has invalid fields." if error.code == 422 else "The request is malformed."
            if error.code == 400 or set(errors) == {"json"}:
                return problem_response(400, "The request body is not valid JSON.")
        headers = {}
        if error.code == 405 and getattr(error, "valid_methods", None):
            headers["Allow"] = ", ".join(error.valid_methods)
        return problem_response(error.code or 500, detail, errors, headers=headers)
