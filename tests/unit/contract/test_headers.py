"""What every API answer says besides its body (issue 22, items 12 and 13): the security headers, no-store on
what may hold personal data, and `OPTIONS` naming the methods of the path itself.

Every operation of each service's document is called with a token of a role it admits (its seeded ids in
the path, no body): the answers are 200s, 4xx refusals and problems alike, and each is checked."""
from __future__ import annotations

import pytest

from tests.unit.contract.conftest import SERVICES
from tests.unit.contract.openapi_document import _example_path, document, operations

SECURITY_HEADERS = {"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY", "Referrer-Policy": "no-referrer"}
API_POLICY = "default-src 'none'; frame-ancestors 'none'"
CACHED_WITH_ETAG = ("/v1/vocabularies",)  # public code lists, the same for everyone
ULID = "01J0000000000000000000000A"
SHAPED = {"handover_id": f"hnd_{ULID}", "client_id": "hw_0123456789abcdef", "user_id": f"pus_{ULID}",
          "webhook_id": f"msg_{ULID}", "returnee_id": f"rtn_{ULID}", "import_id": f"imp_{ULID}",
          "note_id": f"not_{ULID}", "document_id": f"doc_{ULID}",
          "task_id": f"tsk_{ULID}"}  # ids of the right shape where none is seeded: OPTIONS needs no resource


def answers(network):
    """(what was asked, the answer) for every documented operation, and for the seedwork's other pages."""
    client = network.app.test_client()
    for path, method, _ in operations(document(network)):
        url = _example_path(path, network.ids)
        yield f"{method.upper()} {url}", client.open(url, method=method.upper(),
                                                      headers=network.headers_for(method, url))
    for url in ("/docs", "/docs/assets/swagger-ui.css", "/no/such/page", "/v1/no-such-resource"):
        yield f"GET {url}", client.get(url)
    yield "GET /v1/returnees (no token)", client.get("/v1/returnees")


@pytest.mark.parametrize("name", SERVICES)
def test_every_answer_carries_the_security_headers(network, name):
    missing = {}
    for asked, response in answers(network(name)):
        wrong = {header: response.headers.get(header) for header, value in SECURITY_HEADERS.items()
                 if response.headers.get(header) != value}
        policy = response.headers.get("Content-Security-Policy", "")
        if "frame-ancestors 'none'" not in policy or not policy.startswith("default-src 'none'"):
            wrong["Content-Security-Policy"] = policy
        if response.mimetype != "text/html" and policy != API_POLICY:
            wrong["Content-Security-Policy"] = policy
        if wrong:
            missing[asked] = wrong
    assert missing == {}


@pytest.mark.parametrize("name", SERVICES)
def test_every_v1_answer_is_no_store_but_the_public_code_lists(network, name):
    wrong = {}
    for asked, response in answers(network(name)):
        path = asked.split(" ")[1]
        if not path.startswith("/v1/"):
            continue
        cache = response.headers.get("Cache-Control")
        if path.startswith(CACHED_WITH_ETAG) and response.status_code in (200, 304):
            if cache != "no-cache" or not response.headers.get("ETag"):
                wrong[asked] = cache
        elif cache != "no-store":
            wrong[asked] = cache
    assert wrong == {}


def test_the_docs_page_may_run_only_its_own_files_and_its_inline_script(network):
    page = network("intake").app.test_client().get("/docs")
    policy = page.headers["Content-Security-Policy"]
    assert page.status_code == 200 and "script-src 'self' 'sha256-" in policy and "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy and "base-uri 'none'" in policy


def test_a_country_brief_may_apply_only_its_own_style(network):
    intake = network("intake")
    brief = intake.app.test_client().get("/v1/countries/ET/brief", headers=intake.auth("consultant"))
    assert brief.status_code == 200 and brief.mimetype == "text/html"
    assert "style-src 'self' 'sha256-" in brief.headers["Content-Security-Policy"]
    assert brief.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("name", SERVICES)
def test_options_lists_only_the_methods_the_path_has(network, name):
    net = network(name)
    client = net.app.test_client()
    documented: dict[str, set[str]] = {}
    for path, method, _ in operations(document(net)):
        documented.setdefault(path, set()).add(method.upper())
    wrong = {}
    for path, methods in documented.items():
        url = _example_path(path, {**SHAPED, **{k: v for k, v in net.ids.items() if k != "handover_id"}})
        expected = methods | {"OPTIONS"} | ({"HEAD"} if "GET" in methods else set())
        answer = client.options(url, headers=net.headers_for(sorted(methods)[0], url))
        allowed = {m.strip() for m in answer.headers.get("Allow", "").split(",") if m.strip()}
        if answer.status_code != 200 or allowed != expected:
            wrong[path] = (answer.status_code, sorted(allowed), sorted(expected))
    assert wrong == {}


def test_options_on_the_returnee_counts_is_get_only(network):
    intake = network("intake")
    answer = intake.app.test_client().options("/v1/returnees/counts", headers=intake.auth("consultant"))
    assert answer.status_code == 200 and set(answer.headers["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS"}
