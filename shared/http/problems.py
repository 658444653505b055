"""Errors as `application/problem+json` (RFC 9457), one message per invalid field, in the caller's language.

`detail` and the field messages (`errors`) are written in the language `Accept-Language` asks for among
`shared.texts.LOCALES` (English by default), from the service's and the shared gettext catalogues
(`shared.texts`); the answer says which in `Content-Language` and `Vary: Accept-Language`. `error_codes`
are the same in every language."""
from __future__ import annotations

import http
from http import HTTPStatus
from typing import Any

import marshmallow as ma
from flask import Response, current_app, g, has_request_context, jsonify, request
from flask_smorest import Api
from flask_smorest.utils import prepare_response
from werkzeug.exceptions import HTTPException

from shared import texts
from shared.texts import Text

PROBLEM = "application/problem+json"

# A code per field message (`error_codes` beside `errors`), so clients translate by code, never by the
# English text. The keys are message ids (ours and marshmallow's templates, `shared.texts`); a message not
# listed here is "invalid".
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
    "Not an ISO 4217 currency code.": "invalid_currency",
    "Must not be in the future.": "future_date",
    "Must be after 1900-01-01.": "before_1900",
    "Must not be before 2000-01-01.": "before_2000",
    "Must not be before the date of birth.": "before_birth",
    "Must be between 2000 and three years from now.": "year_out_of_range",
    "Must not repeat values.": "repeated_values",
    "Say what changed and why: the plan was fixed.": "reason_required",
    "Must use https.": "https_required",
    "already used with another body": "idempotency_key_reused",
    # rules between fields, or about what is stored, which no JSON Schema states (the documents say them in words)
    "Give either resource_id or returnee_id.": "one_filter",
    "Filter by office or by region, not both.": "office_or_region",
    "Must not be before `from`.": "before_from",
    "Must not be after `to` (default today).": "before_from",
    "At least one person is needed.": "no_person",
    "Name the receiving return organisation.": "organisation_for_referral",
    "Only for the reason other_return_organisation.": "organisation_for_referral",
    "Say why when the reason is other.": "detail_for_other",
    "Required when contact was made.": "mode_with_contact",
    "Say why no contact was made.": "reason_without_contact",
    "No scores without contact.": "scores_without_contact",
    "Must not be after the contact date.": "after_contact_date",
    "Required with the amount.": "currency_with_amount",
    "Required with the currency.": "amount_with_currency",
    "Only for a line in euros: give the amount.": "budget_eur_in_euros",
    "Must not be before the registration ({registered_on}).": "before_registration",
    "Must not be before the client entered {trajectory} ({started_on}).": "before_trajectory",
    "Must not be after the arrival date ({arrived_on}).": "after_arrival",
    "Must not be before arrival ({arrived_on}).": "before_arrival",
    "Must not be before the departure date.": "before_departure",
    "Not a valid rule set: {why}": "rule_set",
    "No such slot; the plan has {slots} or ad_hoc.": "not_in_plan",
    "Give at least one domain's score.": "no_scores",
    # an uploaded caseload file (intake's import) that is no spreadsheet, or not of the template's columns
    "Not a CSV or XLSX file.": "unreadable_file", "The file is empty.": "unreadable_file",
    "The CSV file is malformed near line {line}.": "unreadable_file",
    "The spreadsheet unpacks to more than {limit} MB: it is refused unread.": "unreadable_file",
    "More than {limit} rows: split the file.": "too_many_rows",
    "Column {column} has no heading.": "import_columns", "Columns appear twice: {columns}.": "import_columns",
    "More than {limit} columns.": "import_columns", "Required column.": "import_columns",
    "Unknown column: the headings are the API's field paths (see the template).": "import_columns",
    # a case file's document (intake): what the bytes are, how many, and the expiry of identity papers only
    "Only a PDF, JPEG or PNG file.": "unsupported_file_type", "At most {size} MB.": "file_too_large",
    "Only for an ID or travel document.": "expiry_for_identity_documents",
    "Give the reason for opening this file (at most 500 characters).": "access_reason_required",  # need-to-know
    "Must be one of: {choices}.": "one_of",
    "One of: {choices}.": "one_of",
    **{template: "out_of_range" for template in texts.range_texts()},  # marshmallow puts the bounds in
    **{template: "length" for template in texts.length_texts()},
}


def error_code(message, catalogue: texts.Catalogue | None = None) -> str:
    """The code of one field message, by its message id (see MESSAGE_CODES); "invalid" for any other."""
    msgid, _ = (catalogue or texts.catalogue()).msgid(message)
    return MESSAGE_CODES.get(msgid, "invalid")


def problem_language() -> str:
    """The language of this request's problems: the best of `texts.LOCALES` for its Accept-Language
    (English without one, or without a request); remembered, so the answer can say it."""
    if not has_request_context():
        return texts.SOURCE
    if "problem_language" not in g:
        g.problem_language = request.accept_languages.best_match(texts.LOCALES, default=texts.SOURCE)
    return g.problem_language


def say_language(response: Response) -> Response:
    """After a request that wrote a problem (the answer, or an item of it): `Content-Language` and
    `Vary: Accept-Language`, since another Accept-Language gets other words."""
    if "problem_language" in g and "Content-Language" not in response.headers:
        response.headers["Content-Language"] = g.problem_language
        response.vary.add("Accept-Language")
    return response


def _catalogue() -> texts.Catalogue:
    """The answering service's catalogue (shared.http.app installs it), else the shared one."""
    return (current_app.extensions.get("homeward_texts") if has_request_context() else None) or texts.catalogue()


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
    catalogue, lang = _catalogue(), problem_language()
    body = {"type": f"https://homeward.example/problems/{type_ or status}", "title": title or phrase,
            "status": status, "detail": catalogue.translate(detail, lang) if detail else phrase}
    if errors:
        body["errors"] = {path: catalogue.translate(message, lang) for path, message in errors.items()}
        body["error_codes"] = {path: error_code(message, catalogue) for path, message in errors.items()}
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
    detail = ma.fields.String(metadata={"description": "in the language Accept-Language asks for: en (the default), "
                                                       "nl or fr (as Content-Language says)"})
    errors = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.String(),
                            metadata={"description": "field path -> message, in the language of `detail`"})
    error_codes = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.String(), metadata={
        "description": "field path -> the message's code (required, invalid_date, out_of_range, ...; any other "
                       "message: invalid), one per entry of `errors`, for clients that translate"})
    request_id = ma.fields.String()
    retry_after = ma.fields.Integer(metadata={"description": "seconds: the answer may change; ask again "
                                                             "(as the Retry-After header says)"})


ACCEPT_LANGUAGE = {"name": "Accept-Language", "required": False, "schema": {"type": "string"}, "description": (
    f"the language of a problem's `detail` and `errors`: {', '.join(texts.LOCALES)} (the best match; {texts.SOURCE} "
    "without one)"), "example": "fr"}
PROBLEM_HEADERS = {"Content-Language": {"description": "the language of `detail` and `errors`",
                                        "schema": {"type": "string", "enum": list(texts.LOCALES)}}}


class HomewardApi(Api):
    """flask-smorest with every HTTP error answered, and documented, as problem+json."""

    ERROR_SCHEMA = ProblemSchema

    def _register_responses(self):
        """Every error response in the OpenAPI document is `application/problem+json`, as sent, in the
        language Accept-Language asks for (the `AcceptLanguage` parameter every /v1 operation takes)."""
        self.spec.components.parameter("AcceptLanguage", "header", ACCEPT_LANGUAGE)
        for status in http.HTTPStatus:
            response = {"description": status.phrase}
            if status >= 400:
                response.update(schema=self.ERROR_SCHEMA, headers=PROBLEM_HEADERS)
                prepare_response(response, self.spec, PROBLEM)
            else:
                prepare_response(response, self.spec, self.DEFAULT_RESPONSE_CONTENT_TYPE)
            self.spec.components.response(status.name, response, lazy=True)
        response = {"description": "Default error response", "schema": self.ERROR_SCHEMA, "headers": PROBLEM_HEADERS}
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
            detail = Text("The request has invalid fields.") if error.code == 422 else Text("The request is malformed.")
            if error.code == 400 or set(errors) == {"json"}:
                return problem_response(400, "The request body is not valid JSON.")
        headers = {}
        if error.code == 405 and getattr(error, "valid_methods", None):
            headers["Allow"] = ", ".join(error.valid_methods)
        return problem_response(error.code or 500, detail, errors, headers=headers)
