"""Every answer of the staff web app carries the security headers (issue 22, item 13): its content policy
forbids framing by another site (`frame-ancestors 'none'`) and a `<base>` (`base-uri 'none'`); what a
signed-in person is answered stays out of shared caches. Every route is walked, with and without a session:
pages, redirects to the sign-in page, refusals (400 without the form's token, 404) and API failures alike."""
from __future__ import annotations

import re

import pytest

ULID = "01J0000000000000000000000A"
SAMPLE = {"returnee_id": f"rtn_{ULID}", "partner_id": f"prt_{ULID}", "alert_id": f"alr_{ULID}",
          "client_id": "hw_0123456789abcdef", "user_id": f"pus_{ULID}", "handover_id": f"hnd_{ULID}"}


def every_route(app):
    """(method, path) for each method of each rule, its variables filled with ids of the right shape."""
    for rule in app.url_map.iter_rules():
        path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", lambda m: SAMPLE.get(m.group(1), "x"), rule.rule)
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            yield method, path


def headers_wrong(response, signed_in: bool) -> dict:
    headers = response.headers
    wrong = {name: headers.get(name) for name, value in (("X-Content-Type-Options", "nosniff"),
                                                          ("X-Frame-Options", "DENY")) if headers.get(name) != value}
    policy = headers.get("Content-Security-Policy", "")
    if "frame-ancestors 'none'" not in policy or "base-uri 'none'" not in policy:
        wrong["Content-Security-Policy"] = policy
    if not headers.get("Referrer-Policy"):
        wrong["Referrer-Policy"] = None
    if signed_in and headers.get("Cache-Control") != "no-store":
        wrong["Cache-Control"] = headers.get("Cache-Control")
    return wrong


@pytest.mark.parametrize("role", [None, "consultant", "admin"])
def test_every_answer_carries_the_security_headers(app, browser, api, role):
    client = browser(role).client
    wrong = {}
    for method, path in every_route(app):
        response = client.open(path, method=method)
        problems = headers_wrong(response, signed_in=role is not None and path != "/logout")
        if problems:
            wrong[f"{method} {path} {response.status_code}"] = problems
    assert wrong == {}
    assert len(list(every_route(app))) > 40  # the walk reached the app's routes


def test_the_sign_in_page_may_not_be_framed_nor_re_based(app):
    policy = app.test_client().get("/login").headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in policy and "base-uri 'none'" in policy and "default-src 'self'" in policy
