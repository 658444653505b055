"""Every answer of the portal carries the security headers (issue 22, item 13): a content policy without
framing by another site or a `<base>`, and no-store on what a signed-in person is answered (its static files
and service worker may be cached). Every route is walked, signed in and out."""
from __future__ import annotations

import pytest

from tests.unit.portal.conftest import sign_in
from tests.unit.web.test_security_headers import every_route

CACHEABLE = ("/static/", "/sw.js")


@pytest.mark.parametrize("signed_in", [False, True])
def test_every_answer_carries_the_security_headers(app, api, signed_in):
    client = app.test_client()
    if signed_in:
        sign_in(client, api)
    wrong = {}
    for method, path in every_route(app):
        response = client.open(path, method=method)
        headers = response.headers
        policy = headers.get("Content-Security-Policy", "")
        problems = {name: headers.get(name) for name, value in (("X-Content-Type-Options", "nosniff"),
                                                                 ("X-Frame-Options", "DENY"))
                    if headers.get(name) != value}
        if "frame-ancestors 'none'" not in policy or "base-uri 'none'" not in policy:
            problems["Content-Security-Policy"] = policy
        if not path.startswith(CACHEABLE) and headers.get("Cache-Control") != "no-store":
            problems["Cache-Control"] = headers.get("Cache-Control")
        if problems:
            wrong[f"{method} {path} {response.status_code}"] = problems
    assert wrong == {}
