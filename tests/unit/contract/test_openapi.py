"""The OpenAPI documents are a contract clients can generate from (issue 10, item 11); the clients generated from
them: test_generated_clients.py, what each operation answers against its document: test_schemathesis_conformance.py.

- Each service's `/openapi.json` is a valid OpenAPI 3.0 document (openapi-spec-validator).
- Every operation declares the success response it answers, every error is problem+json, and the
  seedwork's answers (401/403/429, 404 on a path id, 400/413 on a body, 422) are declared.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from openapi_spec_validator import validate

from tests.unit.contract.conftest import SERVICES
from tests.unit.contract.openapi_document import document, operations

ROOT = Path(__file__).resolve().parents[3]
PROBLEM = "application/problem+json"


def resolve(doc: dict, response: dict) -> dict:
    while "$ref" in response:
        response = doc["components"]["responses"][response["$ref"].rsplit("/", 1)[1]]
    return response


@pytest.mark.parametrize("name", SERVICES)
class TestTheDocument:
    def test_is_a_valid_openapi_document(self, network, name):
        validate(document(network(name)))

    def test_every_operation_declares_its_success_response(self, network, name):
        doc = document(network(name))
        missing = [f"{m.upper()} {p}" for p, m, op in operations(doc)
                   if not any(code.startswith("2") for code in op["responses"])]
        assert missing == []

    def test_every_error_response_is_a_problem(self, network, name):
        doc = document(network(name))
        for path, method, operation in operations(doc):
            for code, response in operation["responses"].items():
                if (path, code) == ("/readyz", "503"):  # the readiness report itself, as JSON
                    assert list(resolve(doc, response)["content"]) == ["application/json"]
                elif code == "default" or int(code) >= 400:
                    content = resolve(doc, response).get("content", {})
                    assert list(content) == [PROBLEM], (method, path, code)

    def test_the_seedwork_answers_are_declared(self, network, name):
        doc = document(network(name))
        for path, method, operation in operations(doc):
            codes = set(operation["responses"])
            where = f"{method.upper()} {path}"
            if operation.get("security"):
                assert {"401", "403", "429"} <= codes, where
            if "{" in path:
                assert "404" in codes, where
            if "requestBody" in operation:
                assert {"400", "413"} <= codes, where
            if path.startswith("/v1/"):
                assert "422" in codes, where


def test_the_bearer_scheme_applies_to_every_v1_operation_but_the_token_endpoint(network):
    for name in SERVICES:
        doc = document(network(name))
        assert doc["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
        for path, method, operation in operations(doc):
            public = path in ("/v1/oauth/token", "/v1/partner-users/invitations/redeem") or not path.startswith("/v1/")
            assert (operation.get("security") == [{"bearer": []}]) is not public, (name, method, path)


def test_state_conflicts_and_csv_are_declared(network):
    declared = {}
    for name in SERVICES:
        doc = document(network(name))
        for path, method, operation in operations(doc):
            declared[f"{method.upper()} {path}"] = operation["responses"]
    for where in ("PATCH /v1/returnees/{returnee_id}", "PUT /v1/returnees/{returnee_id}/consent",
                  "POST /v1/returnees/{returnee_id}/handover", "POST /v1/returnees/{returnee_id}/departure",
                  "POST /v1/handovers/{handover_id}/accept", "POST /v1/handovers/{handover_id}/decline",
                  "POST /v1/handovers/{handover_id}/arrival", "POST /v1/checkins",
                  "POST /v1/alerts/{alert_id}/acknowledge", "POST /v1/alerts/{alert_id}/resolve",
                  "POST /v1/partners/{partner_id}/webhook/deliveries/{webhook_id}/replay"):
        assert "409" in declared[where], where
    xlsx, pdf = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "application/pdf"
    for where in ("GET /v1/reports/programme", "GET /v1/outcomes", "GET /v1/scorecard", "GET /v1/outcomes/partners"):
        assert set(declared[where]["200"]["content"]) == {"application/json", "text/csv", xlsx}, where
    assert set(declared["GET /v1/reports/quarterly"]["200"]["content"]) == {"application/json", "text/csv", xlsx, pdf}
    assert set(declared["GET /metrics"]["200"]["content"]) == {"text/plain"}
    assert set(declared["GET /v1/countries/{code}/brief"]["200"]["content"]) == {"text/html", pdf}
    assert set(declared["GET /v1/returnees/{returnee_id}/progress-report"]["200"]["content"]) == {"application/json",
                                                                                                   pdf}
    assert set(declared["GET /v1/reports/progress"]["200"]["content"]) == {pdf}
    assert "413" in declared["POST /v1/checkins/batch"]


def test_the_token_endpoint_documents_its_form_and_rfc_6749_errors(network):
    doc = document(network("partners"))
    token = doc["paths"]["/v1/oauth/token"]["post"]
    assert "application/x-www-form-urlencoded" in token["requestBody"]["content"]
    for code in ("400", "401", "429", "503"):
        schema = token["responses"][code]["content"][PROBLEM]["schema"]["$ref"].rsplit("/", 1)[1]
        assert {"error", "error_description"} <= set(doc["components"]["schemas"][schema]["properties"]), code
    jwks = doc["paths"]["/.well-known/jwks.json"]["get"]["responses"]["200"]["content"]["application/json"]
    assert jwks["schema"]["$ref"].endswith("/Jwks")


def test_the_staff_web_app_has_no_openapi_document():
    """web serves pages, not an API: there is no fourth document to check."""
    web = (ROOT / "services" / "web").rglob("*.py")
    assert not any("flask_smorest" in path.read_text() for path in web)
