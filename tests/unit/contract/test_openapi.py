"""The OpenAPI documents are a contract clients can generate from (issue 10, item 11).

- Each service's `/openapi.json` is a valid OpenAPI 3.0 document (openapi-spec-validator).
- Every operation declares the success response it answers, every error is problem+json, and the
  seedwork's answers (401/403/429, 404 on a path id, 400/413 on a body, 422) are declared.
- A client generated with openapi-python-client from each document reads a real 200 as a success
  (not as `None`, which is what a client does with an undeclared status).
- schemathesis (in process, bounded, derandomized) checks that what each operation answers conforms
  to the document: status code, content type, headers and body schema, not only "no 5xx".
"""
from __future__ import annotations

import importlib
import json
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from openapi_spec_validator import validate

from tests.unit.contract.conftest import SERVICES

ROOT = Path(__file__).resolve().parents[3]
PROBLEM = "application/problem+json"


def document(network) -> dict:
    response = network.app.test_client().get("/openapi.json")
    assert response.status_code == 200
    return response.json


def operations(doc: dict):
    for path, item in doc["paths"].items():
        for method, operation in item.items():
            if method in ("get", "post", "put", "patch", "delete"):
                yield path, method, operation


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


# --- a generated client reads real 200s -----------------------------------------------------------

# no formatter run (faster, and ruff need not be on PATH); the downloads read as bytes, as a client reads any file
GENERATOR_CONFIG = ("post_hooks: []\ncontent_type_overrides:\n  application/pdf: application/octet-stream\n"
                    "  application/vnd.openxmlformats-officedocument.spreadsheetml.sheet: application/octet-stream\n")


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """generated(name, doc) -> the client package openapi-python-client generates from the document."""
    root = tmp_path_factory.mktemp("clients")
    (root / "config.yml").write_text(GENERATOR_CONFIG)
    sys.path.insert(0, str(root))
    made = {}

    def generate(name: str, doc: dict):
        if name not in made:
            package = f"homeward_{name}_client"
            (root / f"{name}.json").write_text(json.dumps(doc))
            result = subprocess.run(
                [str(Path(sys.executable).parent / "openapi-python-client"), "generate", "--path",
                 str(root / f"{name}.json"), "--output-path", str(root / package), "--meta", "none",
                 "--config", str(root / "config.yml")], capture_output=True, text=True, timeout=120)
            assert result.returncode == 0, result.stdout + result.stderr
            assert "Warning" not in result.stdout + result.stderr, result.stdout + result.stderr
            made[name] = importlib.import_module(package)
        return made[name]

    yield generate
    sys.path.remove(str(root))


def client_for(package, network, role: str, org: str | None = None):
    token = network.auth(role, org=org)["Authorization"].split(" ", 1)[1]
    return package.AuthenticatedClient(base_url="http://homeward.test", token=token,
                                       httpx_args={"transport": httpx.WSGITransport(app=network.app)})


def call(package, module: str, client, **kwargs):
    return importlib.import_module(f"{package.__name__}.api.{module}").sync_detailed(client=client, **kwargs)


def test_a_generated_intake_client_reads_returnees_as_a_success(network, generated):
    intake = network("intake")
    package = generated("intake", document(intake))
    client = client_for(package, intake, "consultant")
    page = call(package, "returnees.get_v1_returnees", client)
    assert page.status_code == 200
    assert type(page.parsed).__name__ == "ReturneeOutPage"
    assert [item.id for item in page.parsed.items] == [intake.ids["returnee_id"]]
    one = call(package, "returnees.get_v1_returnees_returnee_id", client, returnee_id=intake.ids["returnee_id"])
    assert type(one.parsed).__name__ == "ReturneeOut" and one.parsed.given_name == "Yonas"
    as_lead = call(package, "returnees.get_v1_returnees_returnee_id", client_for(package, intake, "project_lead"),
                   returnee_id=intake.ids["returnee_id"])
    assert type(as_lead.parsed).__name__ == "ReturneeOut" and "given_name" not in as_lead.parsed.to_dict()
    missing = call(package, "returnees.get_v1_returnees_returnee_id", client, returnee_id="rtn_01J0000000000000000000000")
    assert missing.status_code == 404 and type(missing.parsed).__name__ == "Problem"
    eligibility = call(package, "eligibility.get_v1_eligibility", client, country="NG")
    assert type(eligibility.parsed).__name__ == "Eligibility"


def test_a_generated_partners_client_reads_a_partner_and_a_token_error(network, generated):
    partners = network("partners")
    package = generated("partners", document(partners))
    client = client_for(package, partners, "admin")
    listed = call(package, "partners.get_v1_partners", client)
    assert type(listed.parsed).__name__ == "PartnerPage" and len(listed.parsed.items) == 1
    one = call(package, "partners.get_v1_partners_partner_id", client, partner_id=partners.ids["partner_id"])
    assert type(one.parsed).__name__ == "Partner" and one.parsed.name == "Own"
    jwks = call(package, "oauth.get_well_known_jwks_json", client)
    assert type(jwks.parsed).__name__ == "Jwks" and jwks.parsed.keys[0].kty == "RSA"
    form = importlib.import_module(f"{package.__name__}.models").PostV1OauthTokenBody
    refused = call(package, "oauth.post_v1_oauth_token", client,
                   body=form.from_dict({"grant_type": "client_credentials", "client_id": "hw_x", "client_secret": "no"}))
    assert refused.status_code == 401
    assert type(refused.parsed).__name__ == "OAuthError" and refused.parsed.error == "invalid_client"


def test_a_generated_monitoring_client_reads_alerts_and_a_case_as_a_success(network, generated):
    monitoring = network("monitoring")
    package = generated("monitoring", document(monitoring))
    client = client_for(package, monitoring, "admin")  # every client's alerts (rtn_01 follows nobody)
    alerts = call(package, "alerts.get_v1_alerts", client)
    assert alerts.status_code == 200 and type(alerts.parsed).__name__ == "AlertPage"
    assert alerts.parsed.items and alerts.parsed.items[0].returnee_id == "rtn_01"
    case = call(package, "cases.get_v1_cases_returnee_id", client, returnee_id="rtn_01")
    assert type(case.parsed).__name__ == "Case" and case.parsed.checkins[0].returnee_id == "rtn_01"
    health = call(package, "ops.get_healthz", client)
    assert type(health.parsed).__name__ == "Health" and health.parsed.status == "ok"


# --- schemathesis: what the running app answers conforms to its document -----------------------------

MAX_EXAMPLES = 6  # per operation and generation mode: bounded, a few seconds a service

# What a positive (schema-valid) request may still be refused for: rules OpenAPI 3.0's JSON Schema cannot
# state, each with its own problem code (`error_codes`) and said in words in the field's description.
# Any other 4xx to a schema-valid request fails the test: the document must then say what the server does.
RULES_BEYOND_THE_SCHEMA = {
    "future_date": "not after today (today moves)",
    "year_out_of_range": "at most three years ahead (the lower bound, 2000, is in the pattern)",
    # between fields (OpenAPI 3.0 has no if/then, and query parameters are each on their own)
    "one_filter": "the audit log: resource_id or returnee_id, exactly one",
    "office_or_region": "reports: not both",
    "before_from": "a window: from not after to",
    "no_person": "eligibility: adults and minors not all 0",
    "organisation_for_referral": "an exit names an organisation with the reason other_return_organisation only",
    "detail_for_other": "a decline with the reason other says why",
    "mode_with_contact": "a check-in with contact says how",
    "reason_without_contact": "a check-in without contact says why",
    "scores_without_contact": "and has no scores",
    "after_contact_date": "support delivered not after the contact",
    "currency_with_amount": "an amount paid names its currency", "amount_with_currency": "and a currency its amount",
    # an uploaded file is binary to a schema: what it must hold (a spreadsheet of the template's columns) is in words
    "unreadable_file": "the import: a CSV or XLSX file", "import_columns": "the import: the template's headings",
    "too_many_rows": "the import: at most 10,000 rows",
    "unsupported_file_type": "a case file's document (415): a PDF, JPEG or PNG by its first bytes",
    "expiry_for_identity_documents": "a case file's document: expires_on only for the kinds id and travel_document",
    "budget_eur_in_euros": "a planned line's budget_eur only in euros",
    "no_scores": "an assessment before return scores at least one domain (each may be null: not assessed)",
    # what is stored: the returnee's own dates and plan
    "before_birth": "a departure", "before_registration": "a decision, an exit, a report",
    "before_trajectory": "a decision", "after_arrival": "a departure", "before_arrival": "a check-in",
    "before_departure": "an arrival", "not_in_plan": "a check-in's slot",
    "reason_required": "a change to a fixed perspective plan says why",
    "rule_set": "an eligibility rule set: valid_from in its year and after the latest one's, ISO codes as keys",
}
CREDENTIAL_ENDPOINTS = {  # a schema says how a credential is written, not which ones exist (schemathesis' own rule
    "/v1/partner-users/invitations/redeem",  # for token URLs): an unknown invitation code is 400
}


def accepts_schema_valid_requests(ctx, response, case):
    """schemathesis' positive_data_acceptance, but for the refusals RULES_BEYOND_THE_SCHEMA names."""
    from schemathesis.openapi.checks import RejectedPositiveData
    from schemathesis.specs.openapi.checks import positive_data_acceptance

    try:
        return positive_data_acceptance(ctx, response, case)
    except RejectedPositiveData:
        codes = set(((response.json() or {}).get("error_codes") or {}).values()) if response.status_code in (415, 422) else ()
        if codes and codes <= set(RULES_BEYOND_THE_SCHEMA):
            return None
        if response.status_code == 400 and case.operation.path in CREDENTIAL_ENDPOINTS:
            return None
        raise


def conformance_checks():
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import (content_type_conformance, response_headers_conformance,
                                                   response_schema_conformance, status_code_conformance)

    return [not_a_server_error, status_code_conformance, content_type_conformance, response_headers_conformance,
            response_schema_conformance, accepts_schema_valid_requests]


def fuzz(network) -> list[str]:
    """Every operation of the service with derandomized positive and negative cases; the failures found."""
    import schemathesis
    from hypothesis import HealthCheck, given, settings
    from hypothesis.errors import Unsatisfiable
    from schemathesis import GenerationMode

    schema = schemathesis.openapi.from_wsgi("/openapi.json", network.app)
    checks = conformance_checks()
    failures: list[str] = []
    calls: list = []
    for result in schema.get_all_operations():
        operation = result.ok()
        headers = network.headers_for(operation.method, _example_path(operation.path, network.ids))
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(max_examples=MAX_EXAMPLES, derandomize=True, database=None, deadline=None,
                      suppress_health_check=list(HealthCheck), print_blob=False)
            def run(case):
                calls.append(case)
                if mode == GenerationMode.POSITIVE and len(calls) % 2:
                    # every other positive case asks for the seeded resources, so success bodies are checked
                    for name in set(case.path_parameters or {}) & set(network.ids):
                        case.path_parameters[name] = network.ids[name]
                case.call_and_validate(headers={**headers, "Idempotency-Key": "contract-test"}, checks=checks)

            try:
                run()
            except Unsatisfiable:  # no input to make invalid (e.g. GET /healthz): nothing to test negatively
                assert mode == GenerationMode.NEGATIVE and not _has_inputs(operation), operation.path
            except (Exception, BaseExceptionGroup) as failure:  # noqa: BLE001 - collected, reported together below
                # (schemathesis' FailureGroup is a BaseExceptionGroup: `except Exception` lets it through)
                failures.append(f"{operation.method.upper()} {operation.path} ({mode.value}): "
                                f"{str(failure)[:1500]}")
    return failures


def _has_inputs(operation) -> bool:
    return bool(list(operation.iter_parameters())) or bool(operation.body)


def _example_path(path: str, ids: dict) -> str:
    for name in ids:
        path = path.replace("{" + name + "}", ids[name])
    return path.replace("{", "").replace("}", "")


@pytest.mark.parametrize("name", SERVICES)
def test_schemathesis_finds_every_answer_conforms_to_the_document(network, name, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # schemathesis and hypothesis write their caches into the working directory
    failures = fuzz(network(name))
    assert failures == [], "\n\n".join(failures)
