"""A planned support line carries its amount in a currency and who pays it (a funding source); lines written
before read as euros from an unknown source; the handover carries the lines in clear, without descriptions."""
from __future__ import annotations

import json

import pytest

from services.intake.documents import Returnee
from tests.unit.intake.returnees import PARTNER_P, register, stored


def plan(*lines):
    return {"reintegration_plan": {"goals": {}, "planned_support": list(lines)}}


def test_a_line_keeps_its_amount_currency_and_funding_source(intake):
    client, _, headers = intake
    created = register(client, headers, **plan({"type": "business", "amount": 250000, "currency": "etb",
                                                 "funding_source": "amif"}, {"type": "housing", "budget_eur": 300}))
    assert created.status_code == 201, created.json
    lines = created.json["reintegration_plan"]["planned_support"]
    assert lines[0] | {"description": ""} == {"type": "business", "description": "", "amount": 250000.0,
                                              "currency": "ETB", "funding_source": "amif", "budget_eur": None,
                                              "goal": None}
    assert (lines[1]["amount"], lines[1]["currency"], lines[1]["funding_source"]) == (300.0, "EUR", None)


@pytest.mark.parametrize("line,field,code", [
    ({"type": "business", "amount": 10, "funding_source": "lottery"}, "funding_source", "one_of"),
    ({"type": "business", "amount": 10, "currency": "XYZ"}, "currency", "invalid_currency"),
    ({"type": "business", "budget_eur": 10, "currency": "ETB"}, "budget_eur", "budget_eur_in_euros"),
])
def test_a_bad_line_is_422_at_its_field_in_the_callers_language(intake, line, field, code):
    client, _, headers = intake
    refused = register(client, {**headers, "Accept-Language": "nl"}, **plan(line))
    path = f"reintegration_plan.planned_support.0.{field}"
    assert refused.status_code == 422 and refused.json["error_codes"] == {path: code}, refused.json
    assert refused.headers["Content-Language"] == "nl"


def test_a_line_stored_before_currencies_reads_as_euros_from_an_unknown_source(intake):
    client, _, headers = intake
    rid = register(client, headers, **plan({"type": "business", "budget_eur": 800})).json["id"]
    Returnee.objects(id=rid).update(__raw__={"$set": {"reintegration_plan.planned_support": [
        {"type": "business", "description": "machine", "budget_eur": 800.0}]}})  # as written before
    line = client.get(f"/v1/returnees/{rid}", headers=headers).json["reintegration_plan"]["planned_support"][0]
    assert (line["amount"], line["currency"], line["funding_source"], line["budget_eur"]) == (800.0, "EUR", None, 800.0)


def test_the_handover_carries_the_lines_in_clear_without_their_description(intake):
    client, _, headers = intake
    rid = register(client, headers, **plan({"type": "business", "description": "sewing machine", "amount": 250000,
                                             "currency": "ETB", "funding_source": "hrt"})).json["id"]
    assert client.post(f"/v1/returnees/{rid}/handover", json={"partner_id": PARTNER_P},
                       headers=headers).status_code == 202
    event = json.loads(next(e["value"] for e in stored(rid)["outbox"] if e["type"] == "returnee.handover_requested.v1"))
    assert event["data"]["planned_support"] == [{"type": "business", "amount": 250000.0, "currency": "ETB",
                                                 "funding_source": "hrt"}]
    assert "sewing" not in str(event["data"])


def test_a_checkin_with_support_delivered_marks_the_return_as_supported(intake, clock):
    from services.intake.handlers import follow_monitoring
    from shared.events import new_event

    client, service, headers = intake
    rid = register(client, headers).json["id"]
    for day in (None, "2026-02-20"):
        follow_monitoring(service.deps, new_event("monitoring", "checkin.recorded.v1", rid, {
            "returnee_id": rid, "checkin_id": f"chk_{day}", "slot": 1, "contact_date": "2026-02-21", "index": 0.5,
            "supersedes": None, "support_delivered_on": day, "summary": {"open_alerts": 0}}, clock.now()))
        supported = (stored(rid).get("outcomes") or {}).get("supported_on")
        assert (supported is not None) == (day is not None)
