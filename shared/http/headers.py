"""The headers of every API answer, and what `OPTIONS` says a path allows.

- **Security headers** on every answer: `X-Content-Type-Options: nosniff`, `X-Frame-Options: DENY`,
  `Referrer-Policy: no-referrer` and a content policy that lets a browser run, load and frame nothing
  (`default-src 'none'; frame-ancestors 'none'`). An HTML answer (the docs page, a country brief) may load
  its own files from this origin and run or apply only its own inline blocks, named by their hashes.
- **`Cache-Control: no-store`** on every `/v1` answer that does not say otherwise: they hold personal data
  or depend on who asks. The vocabularies say `no-cache` with their `ETag` (public, the same for everyone:
  kept and revalidated), and the token endpoint its own `no-store`.
- **`OPTIONS`** lists the methods of the route the path is (`/v1/returnees/counts`: GET), not of every
  route whose pattern the path could also fill (`/v1/returnees/{returnee_id}`: GET, PATCH, DELETE).
"""
from __future__ import annotations

import base64
import hashlib
import re

from flask import Flask, Response, request

API_POLICY = "default-src 'none'; frame-ancestors 'none'"
INLINE = re.compile(r"<(script|style)>(.*?)</\1>", re.DOTALL)  # blocks without attributes (a src is 'self')


def page_policy(html: str) -> str:
    """The content policy of an HTML answer: this origin's files, and its own inline blocks by their hashes."""
    hashes: dict[str, list[str]] = {"script": [], "style": []}
    for kind, body in INLINE.findall(html):
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        hashes[kind].append(f"'sha256-{digest}'")
    return ("default-src 'none'; " + f"script-src 'self' {' '.join(hashes['script'])}".strip() + "; "
            + f"style-src 'self' {' '.join(hashes['style'])}".strip() + "; "
            "img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")


def secure_answer(response: Response) -> Response:
    """after_request: the security headers, and no-store for a /v1 answer that sets no caching of its own."""
    headers = response.headers
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "no-referrer")
    if response.mimetype == "text/html" and not response.direct_passthrough:
        headers.setdefault("Content-Security-Policy", page_policy(response.get_data(as_text=True)))
    else:
        headers.setdefault("Content-Security-Policy", API_POLICY)
    if request.path.startswith("/v1/"):
        headers.setdefault("Cache-Control", "no-store")
    return response


class ServiceFlask(Flask):
    """Flask, with `OPTIONS` answering the methods of the matched route only."""

    def make_default_options_response(self) -> Response:
        rule = request.url_rule
        if rule is None:  # pragma: no cover - Flask answers OPTIONS itself only for a matched route
            return super().make_default_options_response()
        methods = set()
        for other in self.url_map.iter_rules():
            if other.rule == rule.rule:  # the same route, registered once per method set
                methods |= other.methods or set()
        response = self.response_class()
        response.allow.update(sorted(methods))
        return response
