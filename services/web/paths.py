"""Ids in the pages' URLs: a page whose id has not the shape of one answers 404 before any API call.

The APIs check their ids exactly (`shared.ids`); the web app only makes sure that what a URL names as an id
can be one (a prefix, then letters and digits), so that no path segment such as `counts`, `names` or
`rtn_x?q=1` reaches an API as another route or with a query string of its own. The clients encode every
segment as well (`clients.base.api_path`).
"""
from __future__ import annotations

import re

from flask import abort, request

from services.web.accounts import USERNAME

_ID = r"[0-9A-Za-z]{1,40}"
SHAPES = {
    "returnee_id": re.compile(rf"rtn_{_ID}"),
    "note_id": re.compile(rf"not_{_ID}"),
    "document_id": re.compile(rf"doc_{_ID}"),
    "item_id": re.compile(rf"(?:not|doc)_{_ID}"),  # a shared note or document
    "task_id": re.compile(rf"tsk_{_ID}"),
    "partner_id": re.compile(rf"[a-z]{{2,8}}_{_ID}"),
    "client_id": re.compile(rf"[a-z]{{2,8}}_{_ID}"),
    "webhook_id": re.compile(rf"[a-z]{{2,8}}_{_ID}"),
    "alert_id": re.compile(r"[A-Za-z0-9_]{1,40}(?:\.[A-Za-z0-9_]{1,40})?"),  # alr_<ulid>.<returnee id>
    "username": USERNAME,
    "code": re.compile(r"[A-Za-z]{2}"),  # a country
}


def check_path_ids() -> None:
    """before_request: every URL variable that names an id must look like one, else 404."""
    for name, value in (request.view_args or {}).items():
        shape = SHAPES.get(name)
        if shape is not None and not shape.fullmatch(value):
            abort(404)
