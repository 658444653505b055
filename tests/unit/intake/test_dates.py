"""Impossible dates are refused at intake: nothing happened before 2000 or after today (anywhere on Earth)."""
from __future__ import annotations

import pytest

from services.intake.api import create_app
from services.intake.bootstrap import IntakeService
from services.intake.handlers import follow_handover
from shared.events import new_event

PARTNER = "prt_01JPARTNERPPPPPPPPPPPPPPPP"


@pytest.fixture
def intake(build, auth):
    service = build(IntakeService, "intake")
    return create_app(service=service).test_client(), service, auth("consultant")


def accepted_returnee(client, service, headers, clock) -> str:
    rid = client.post("/v1/returnees", headers=headers, json={
        "given_name": "Yonas", "family_name": "Tesfaye", "date_of_birth": "1988-02-03", "country_of_return": "ET",
        "consent": {"share_with_partner": True, "given_on": "2026-01-05"}}).json["id"]
    handover = client.post(f"/v1/returnees/{rid}/handover", json={"partner_id": PARTNER}, headers=headers).json
    follow_handover(service.deps, new_event("partners", "handover.accepted.v1", rid, {
        "returnee_id": rid, "handover_id": handover["handover"]["id"], "partner_id": PARTNER}, clock.now()))
    return rid


class TestDeparture:
    @pytest.mark.parametrize("day", ["0001-01-01", "1999-12-31", "9999-12-31", "2026-03-04"])
    def test_a_departure_before_2000_or_in_the_future_is_refused(self, intake, clock, day):
        client, service, headers = intake
        rid = accepted_returnee(client, service, headers, clock)
        response = client.post(f"/v1/returnees/{rid}/departure", json={"departed_on": day}, headers=headers)
        assert response.status_code == 422 and "departed_on" in response.json["errors"], response.json
        assert service.repo.get(rid)["status"] == "handover_accepted"

    def test_today_east_of_greenwich_is_not_the_future(self, intake, clock):
        client, service, headers = intake
        rid = accepted_returnee(client, service, headers, clock)
        clock.set(clock.now().replace(hour=22))  # 22:00 UTC is already tomorrow in Addis Ababa (UTC+3)
        response = client.post(f"/v1/returnees/{rid}/departure", json={"departed_on": "2026-03-03"}, headers=headers)
        assert response.status_code == 200, response.json


@pytest.mark.parametrize("day", ["0001-01-01", "1999-12-31", "9999-12-31"])
def test_consent_given_before_2000_or_in_the_future_is_refused(intake, day):
    client, _, headers = intake
    response = client.post("/v1/returnees", headers=headers, json={
        "given_name": "Yonas", "family_name": "Tesfaye", "country_of_return": "ET",
        "consent": {"share_with_partner": True, "given_on": day}})
    assert response.status_code == 422 and "consent.given_on" in response.json["errors"], response.json


@pytest.mark.parametrize("day,status", [("0001-01-01", 422), ("1999-12-31", 422), ("9999-12-31", 422),
                                        ("2016-06-01", 200)])
def test_eligibility_is_asked_about_plausible_departure_days_only(intake, day, status):
    client, _, headers = intake
    assert client.get(f"/v1/eligibility?country=NG&on={day}", headers=headers).status_code == status
