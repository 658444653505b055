"""Identifiers are opaque to clients, but this house makes them one way: a prefix and a ULID
(`rtn_01J...`, `prt_...`, `hnd_...`). Whatever a client sends as an id (in a body, a path or a query
string) must be a plain string of that shape before it reaches a query: an operator object such as
`{"$ne": null}`, a list, a number, or text of another shape is refused where it enters.

- `Id("prt_")`: a marshmallow field for bodies and query strings (422 with a field message);
- `check_path_ids({"returnee_id": "rtn_"})`: a `before_request` hook for the URL's ids; a malformed
  one answers 404 like any unknown id (after authentication, which runs first).
"""
from __future__ import annotations

import re
from typing import Callable

import marshmallow as ma

from shared.errors import NotFound
from shared.fields import anchored
from shared.texts import Text

ULID = "[0-9A-HJKMNP-TV-Z]{26}"  # Crockford base32, as python-ulid writes it
RETURNEE, PARTNER, HANDOVER, WEBHOOK_MESSAGE = "rtn_", "prt_", "hnd_", "msg_"
PARTNER_USER = "pus_"  # a person of a partner organisation (services.partners.people)
MAIL = "mail_"  # a mail in a delivery log (shared.mail)
ANY = ""  # any of this house's ids: an optional lower-case prefix, then a ULID
CLIENT_ID = re.compile(r"hw_[0-9a-f]{16}")
SLUG = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,62})")  # managed lists' ids made from a name (intake's organisations)  # partners' OAuth client ids (services.partners.domain)
_ANY = re.compile(rf"(?:[a-z]{{2,8}}_)?{ULID}")


def shape(prefix: str) -> re.Pattern:
    """The pattern of ids made as `prefix + str(ULID())` (`ANY`: whatever the prefix)."""
    return _ANY if prefix == ANY else re.compile(re.escape(prefix) + ULID)


def is_id(value, pattern: str | re.Pattern) -> bool:
    """True for a plain `str` (no subclass, no operator object) that has the id's shape."""
    pattern = shape(pattern) if isinstance(pattern, str) else pattern
    return type(value) is str and pattern.fullmatch(value) is not None  # noqa: E721 - exactly str


class Id(ma.fields.String):
    """An identifier in a body or a query string: a string of the shape `prefix` + ULID."""

    default_error_messages = {"id": "Not a valid identifier."}

    def __init__(self, prefix: str | re.Pattern = ANY, **kwargs):
        self.pattern = shape(prefix) if isinstance(prefix, str) else prefix
        metadata = {"pattern": anchored(self.pattern.pattern), **kwargs.pop("metadata", {})}
        super().__init__(metadata=metadata, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)  # "Not a valid string." for objects, numbers
        if not is_id(text, self.pattern):
            raise self.make_error("id")
        return text


def check_path_ids(shapes: dict[str, str | re.Pattern]) -> Callable[[], None]:
    """A `before_request` hook: each URL variable named in `shapes` must have its shape, else 404."""
    patterns = {name: shape(p) if isinstance(p, str) else p for name, p in shapes.items()}

    def check() -> None:
        from flask import request  # imported here: the fields above are usable without Flask

        for name, value in (request.view_args or {}).items():
            pattern = patterns.get(name)
            if pattern is not None and not is_id(value, pattern):
                raise NotFound(Text("No such resource: {name} in the path is not a valid identifier.", name=name),
                               errors={name: "Not a valid identifier."})

    return check
