"""Support delivered carries what was paid: `amount` with its ISO 4217 `currency` (together), beside
`amount_eur`, the euro value the totals add up; single check-ins and batches, stored and returned."""
from __future__ import annotations

import pytest

from tests.unit.monitoring.checkin_requests import body, post

PAID = {"type": "business", "amount": 7_500_000, "currency": "gnf", "amount_eur": 800, "delivered_on": "2026-02-01"}


def test_the_amount_as_paid_and_its_currency_are_stored_and_returned_beside_the_euro_value(monitoring):
    client, service, partner = monitoring
    response = post(client, partner, body(support_delivered=[PAID]))
    assert response.status_code == 201, response.json
    expected = {**PAID, "currency": "GNF", "description": ""}
    assert response.json["support_delivered"] == [expected]
    case = client.get("/v1/cases/rtn_own", headers=partner).json
    assert case["checkins"][0]["support_delivered"] == [expected]
    assert service.repo.get("rtn_own")["checkins"][0]["support_delivered"][0]["currency"] == "GNF"


def test_a_batch_item_carries_them_too(monitoring):
    client, _, partner = monitoring
    answer = client.post("/v1/checkins/batch", headers=partner, json={"items": [
        {"idempotency_key": "b-1", "checkin": body(support_delivered=[PAID])},
        {"idempotency_key": "b-2", "checkin": body(slot="ad_hoc", support_delivered=[{**PAID, "currency": "XYZ"}])}]})
    first, second = answer.json["results"]
    assert first["status"] == 201 and first["checkin"]["support_delivered"][0]["amount"] == 7_500_000
    assert second["status"] == 422
    assert second["error"]["error_codes"] == {"support_delivered.0.currency": "invalid_currency"}


def test_paid_in_euros_the_euro_value_is_the_amount(monitoring):
    client, _, partner = monitoring
    paid = {"type": "housing", "amount": 450.5, "currency": "EUR"}
    response = post(client, partner, body(support_delivered=[paid]))
    assert response.json["support_delivered"][0]["amount_eur"] == 450.5


@pytest.mark.parametrize("support,field,code", [
    ({"type": "business", "amount": 100}, "support_delivered.0.currency", "currency_with_amount"),
    ({"type": "business", "currency": "GNF"}, "support_delivered.0.amount", "amount_with_currency"),
    ({"type": "business", "amount": 100, "currency": "GN"}, "support_delivered.0.currency", "invalid_currency"),
    ({"type": "business", "amount": 100, "currency": "ZZZ"}, "support_delivered.0.currency", "invalid_currency"),
    ({"type": "business", "amount": -1, "currency": "GNF"}, "support_delivered.0.amount", "out_of_range"),
])
def test_an_amount_without_its_currency_or_an_unknown_currency_is_422_at_the_field(monitoring, support, field, code):
    client, service, partner = monitoring
    response = post(client, partner, body(support_delivered=[support]))
    assert response.status_code == 422 and response.json["error_codes"] == {field: code}, response.json
    assert service.repo.get("rtn_own")["checkins"] == []


def test_support_before_currencies_reads_as_it_was(monitoring):
    client, _, partner = monitoring
    response = post(client, partner, body())
    assert response.json["support_delivered"][0]["amount_eur"] == 800
    assert response.json["support_delivered"][0]["currency"] is None
