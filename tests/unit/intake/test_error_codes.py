"""Problems carry a code beside each field's English message (`error_codes`), so clients translate by code.

The seedwork's problem builder adds them (shared/http/problems.py): a test through intake's real API.
"""
from __future__ import annotations

import pytest

from shared.http.problems import error_code


def register(client, headers, **fields):
    body = {"client_ref": "F-1", "given_name": "Yonas", "family_name": "Tesfaye", "date_of_birth": "1988-02-03",
            "country_of_return": "ET", "consent": {"share_with_partner": True, "given_on": "2026-01-05"}, **fields}
    return client.post("/v1/returnees", json={k: v for k, v in body.items() if v is not None}, headers=headers)


@pytest.mark.parametrize("change, field, code", [
    ({"given_name": None}, "given_name", "required"),
    ({"given_name": "  "}, "given_name", "blank"),
    ({"date_of_birth": "2999-01-01"}, "date_of_birth", "future_date"),
    ({"date_of_birth": "1850-01-01"}, "date_of_birth", "before_1900"),
    ({"date_of_birth": "soon"}, "date_of_birth", "invalid_date"),
    ({"country_of_return": "XX"}, "country_of_return", "invalid_country"),
    ({"gender": "robot"}, "gender", "one_of"),
    ({"household": {"adults": -1}}, "household.adults", "out_of_range"),
    ({"household": {"adults": "many"}}, "household.adults", "invalid_integer"),
    ({"vulnerabilities": ["medical", "medical"]}, "vulnerabilities", "repeated_values"),
    ({"is_admin": True}, "is_admin", "unknown_field"),
    ({"consent": {"share_with_partner": "maybe", "given_on": "2026-01-05"}}, "consent.share_with_partner",
     "invalid_boolean"),
])
def test_each_field_message_has_its_code_and_the_english_stays(intake, change, field, code):
    client, _, headers = intake
    response = register(client, headers, **change)
    assert response.status_code == 422, response.json
    problem = response.json
    assert problem["error_codes"][field] == code
    assert set(problem["error_codes"]) == set(problem["errors"])  # one code per message
    assert isinstance(problem["errors"][field], str) and " " in problem["errors"][field]  # English unchanged


def test_a_domain_refusal_has_codes_too(intake):
    client, _, headers = intake
    rid = register(client, headers).json["id"]
    response = client.post(f"/v1/returnees/{rid}/departure", json={"departed_on": "2999-01-01"}, headers=headers)
    assert response.status_code in (409, 422)
    if response.json.get("errors"):
        assert set(response.json["error_codes"]) == set(response.json["errors"])


def test_unknown_messages_get_the_general_code():
    assert error_code("Something nobody wrote down.") == "invalid"
    assert error_code("Length must be between 1 and 200.") == "length"


def test_the_openapi_document_describes_error_codes(intake):
    client, _, _ = intake
    problem = client.get("/openapi.json").json["components"]["schemas"]["Problem"]
    assert "error_codes" in problem["properties"]
