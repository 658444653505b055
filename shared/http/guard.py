"""One guard for every request body: bounded nesting, valid Unicode text, before any view sees it.

Python's JSON parser recurses once per nesting level, so `"[" * 5000` raised RecursionError (a
500) in every JSON route; a lone surrogate such as `"\\ud800"` parsed fine and then failed when
stored or logged. Both are now a 400 problem before the body reaches a schema or a store.
"""
from __future__ import annotations

import re

import marshmallow as ma
from flask import current_app, request

from shared.http.problems import Problem
from shared.texts import Text

MAX_DEPTH = 32  # the deepest Homeward body (a batch of check-ins) nests 5 levels
SAFE_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,63}")


def _check(value, depth: int = 0) -> None:
    stack = [(value, depth)]
    while stack:
        item, level = stack.pop()
        if level > MAX_DEPTH:
            raise Problem(400, Text("The request body nests deeper than {depth} levels.", depth=MAX_DEPTH))
        if isinstance(item, str):
            _text(item)
        elif isinstance(item, dict):
            for key, inner in item.items():
                _text(key)
                stack.append((inner, level + 1))
        elif isinstance(item, list):
            stack.extend((inner, level + 1) for inner in item)


def _text(text: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise Problem(400, "The request body holds text that is not valid Unicode (an unpaired surrogate).")


def check_body() -> None:
    """before_request: parse a JSON body once (Flask caches it) and refuse what no view could handle."""
    if not request.is_json or request.method in ("GET", "HEAD", "OPTIONS", "DELETE"):
        return
    raw = request.get_data(cache=True)
    if not raw:
        return
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        raise Problem(400, "The request body is not valid UTF-8.")
    try:
        data = request.get_json(silent=True)
    except RecursionError:
        raise Problem(400, Text("The request body nests deeper than {depth} levels.", depth=MAX_DEPTH))
    if data is not None:
        _check(data)


def _query_names(view, method: str) -> set[str]:
    """The query parameters a view declared with `@blp.arguments(Schema, location="query")`."""
    view_class = getattr(view, "view_class", None)
    if view_class is not None:
        view = getattr(view_class, method.lower(), None)
    names = set()
    for parameter in (getattr(view, "_apidoc", {}).get("arguments") or {}).get("parameters", []):
        if parameter.get("in") == "query":
            schema = parameter["schema"]
            schema = schema() if isinstance(schema, type) else schema
            names.update(field.data_key or name for name, field in schema.fields.items())
    return names


def check_query() -> None:
    """before_request: an API call names only the query parameters its route declares (422 otherwise),
    as a body may name only its schema's fields."""
    if not request.path.startswith("/v1/") or not request.args or request.endpoint is None:
        return
    view = current_app.view_functions.get(request.endpoint)
    unknown = sorted(set(request.args) - _query_names(view, request.method))
    if unknown:
        raise Problem(422, "The request has unknown query parameters.",
                      errors={name: ma.fields.Field.default_error_messages.get("unknown", "Unknown field.")
                              for name in unknown})


def request_id_from_client() -> str | None:
    """The caller's X-Request-ID when it is a short safe token (logged beside our own), else None."""
    value = request.headers.get("X-Request-ID", "")
    return value if SAFE_REQUEST_ID.fullmatch(value) else None
