"""schemathesis (in process, bounded, derandomized) checks that what each operation answers conforms to its
OpenAPI document: status code, content type, headers and body schema, not only "no 5xx"."""
from __future__ import annotations

import pytest

from tests.unit.contract.conftest import SERVICES
from tests.unit.contract.openapi_document import _example_path

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


@pytest.mark.parametrize("name", SERVICES)
def test_schemathesis_finds_every_answer_conforms_to_the_document(network, name, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # schemathesis and hypothesis write their caches into the working directory
    failures = fuzz(network(name))
    assert failures == [], "\n\n".join(failures)
