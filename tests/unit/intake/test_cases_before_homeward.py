"""Cases that started before they were entered (issue 19, part 2): the trajectory's real start (`enrolled_on`),
decisions with their real dates, and the eligibility assessment kept with the returnee at registration."""
from __future__ import annotations

import pytest

CLIENT = {"given_name": "Fatoumata", "family_name": "Camara", "nationality": "GN", "country_of_return": "GN",
          "trajectory": "future_orientation", "office": "amsterdam"}


def register(client, headers, **extra):
    response = client.post("/v1/returnees", json={**CLIENT, **extra}, headers=headers)
    assert response.status_code == 201, response.json
    return response.json


def programme(client, auth, start, end):
    response = client.get("/v1/reports/programme", query_string={"from": start, "to": end},
                          headers=auth("project_lead"))
    assert response.status_code == 200, response.json
    return response.json["figures"]


class TestTheRealStart:
    def test_a_client_in_future_orientation_since_last_year_is_counted_when_they_started(self, intake, auth):
        client, _, headers = intake  # the unit tests' clock: 2026-03-02
        returnee = register(client, headers, enrolled_on="2025-06-10")
        assert returnee["enrolled_on"] == "2025-06-10"
        step = returnee["trajectory_history"][0]
        assert step["started_on"] == "2025-06-10" and step["recorded_at"].startswith("2026-03-02")
        assert programme(client, auth, "2025-04-01", "2025-06-30")["enrolled_in_counselling"] == 1
        assert programme(client, auth, "2026-01-01", "2026-03-02")["enrolled_in_counselling"] == 0

    def test_without_it_the_trajectory_begins_on_the_registration_day(self, intake, auth):
        client, _, headers = intake
        returnee = register(client, headers)
        assert returnee["enrolled_on"] == "2026-03-02"
        assert returnee["trajectory_history"][0]["started_on"] == "2026-03-02"
        assert programme(client, auth, "2026-01-01", "2026-03-02")["enrolled_in_counselling"] == 1

    @pytest.mark.parametrize("day,code", [("2099-03-04", "future_date"), ("1999-12-31", "before_2000"),
                                          ("0001-01-01", "before_2000")])
    def test_an_impossible_start_is_422_and_nothing_is_registered(self, intake, day, code):
        client, _, headers = intake
        response = client.post("/v1/returnees", json={**CLIENT, "enrolled_on": day}, headers=headers)
        assert response.status_code == 422 and response.json["error_codes"] == {"enrolled_on": code}, response.json
        assert client.get("/v1/returnees", headers=headers).json["items"] == []

    def test_a_decision_to_return_can_carry_its_real_date_after_the_start(self, intake):
        client, _, headers = intake
        rid = register(client, headers, enrolled_on="2025-06-10")["id"]
        too_early = client.post(f"/v1/returnees/{rid}/trajectory", json={
            "trajectory": "return_guidance", "decided_on": "2025-06-01"}, headers=headers)
        assert too_early.status_code == 422
        decided = client.post(f"/v1/returnees/{rid}/trajectory", json={
            "trajectory": "return_guidance", "decided_on": "2025-09-15"}, headers=headers)
        assert decided.status_code == 200, decided.json
        assert [(s["trajectory"], s["started_on"]) for s in decided.json["trajectory_history"]] == [
            ("future_orientation", "2025-06-10"), ("return_guidance", "2025-09-15")]

    def test_the_start_is_not_corrected_by_a_patch(self, intake):
        client, _, headers = intake
        rid = register(client, headers)["id"]
        response = client.patch(f"/v1/returnees/{rid}", json={"enrolled_on": "2025-01-01"}, headers=headers)
        assert response.status_code == 422 and "enrolled_on" in response.json["errors"]


class TestEligibilityKeptAtRegistration:
    def test_the_assessment_names_its_rules_and_counts_an_unaccompanied_minor_at_the_adult_rate(self, intake):
        client, _, headers = intake
        returnee = register(client, headers, household={"adults": 1, "minors": 1, "unaccompanied_minors": 1},
                            planned_departure_date="2026-06-01")
        assessment = returnee["eligibility"]
        assert assessment["rule_year"] == 2016 and assessment["rules_outdated"] is True
        assert assessment["rean"]["amount_eur"] == 2 * 500 + 100  # adult and unaccompanied minor, one accompanied
        assert assessment["hrt"]["amount_eur"] == 2 * 1750 + 880
        assert returnee["household"] == {"adults": 1, "minors": 1, "unaccompanied_minors": 1}
        assert client.get(f"/v1/returnees/{returnee['id']}", headers=headers).json["eligibility"] == assessment

    def test_a_third_country_return_is_judged_on_the_nationality(self, intake):
        client, _, headers = intake
        assessment = register(client, headers, country_of_return="AE")["eligibility"]
        assert (assessment["nationality"], assessment["country_of_return"]) == ("GN", "AE")
        assert assessment["hrt"]["eligible"] and "third_country_return" in assessment["warnings"]

    def test_the_conditions_asked_decide_the_answer(self, intake):
        client, _, headers = intake
        assessment = register(client, headers, eligibility_questions={"deported_within_5_years": True})["eligibility"]
        assert assessment["rean"]["reasons"] == ["deported_in_last_5_years"] and assessment["total_eur"] == 0


class TestInterpreter:
    def test_an_interpreter_need_is_kept_corrected_and_left_as_it_is_by_other_corrections(self, intake):
        client, _, headers = intake
        returnee = register(client, headers, interpreter_needed=True)
        assert returnee["interpreter_needed"] is True
        rid = returnee["id"]
        kept = client.patch(f"/v1/returnees/{rid}", json={"region": "Conakry"}, headers=headers).json
        assert kept["interpreter_needed"] is True
        assert client.patch(f"/v1/returnees/{rid}", json={"interpreter_needed": False},
                            headers=headers).json["interpreter_needed"] is False
        assert register(client, headers)["interpreter_needed"] is False
