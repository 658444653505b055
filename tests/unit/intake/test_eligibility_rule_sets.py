"""Eligibility that is right today (issue 19, part 4): judged on the nationality with the country of return beside
it, the REAN conditions asked, and the yearly rule sets an administrator loads, each assessment naming its rules
and warning when they are of an earlier year than the departure."""
from __future__ import annotations

import copy
import json

import pytest

from services.intake.eligibility_rules import RULES_FILE

SHIPPED = json.loads(RULES_FILE.read_text(encoding="utf-8"))["rule_sets"][0]


def rule_set_2026(**changes) -> dict:
    """The 2016 rule set as a 2026 one: new amounts, Guinea off the HRT list, Moldova on the REAN exclusions."""
    raw = copy.deepcopy(SHIPPED)
    raw.update(year=2026, valid_from="2026-07-01", source="IOM Nederland, rules of 2026 (test)")
    raw["amounts_eur"] = {**raw["amounts_eur"], "rean_adult": 600, "hrt_adult": 2000}
    raw["hrt_countries"] = {code: name for code, name in raw["hrt_countries"].items() if code != "GN"}
    raw["rean_excluded"] = {**raw["rean_excluded"], "MD": "Moldavië"}
    raw.pop("notes", None)
    raw.update(changes)
    return raw


def assess(client, headers, **query):
    response = client.get("/v1/eligibility", query_string=query, headers=headers)
    assert response.status_code == 200, response.json
    return response.json


class TestNationalityAndCountryOfReturn:
    def test_a_guinean_returning_to_guinea_gets_rean_and_hrt_on_the_2016_rules_and_is_warned_they_are_old(self, intake):
        client, _, headers = intake
        answer = assess(client, headers, country="GN", on="2026-05-01")
        assert answer["rean"]["eligible"] and answer["hrt"]["eligible"]
        assert answer["total_eur"] == 500 + 1750 + 1500
        assert (answer["nationality"], answer["country_of_return"], answer["third_country"]) == ("GN", "GN", False)
        assert answer["rule_year"] == 2016 and answer["rules_valid_from"] == "2016-01-01"
        assert answer["rules_outdated"] is True and answer["warnings"] == ["rules_outdated"]

    def test_a_guinean_returning_to_a_third_country_is_judged_on_the_nationality_and_warned(self, intake):
        client, _, headers = intake
        # Judged on the lists of the country of return (the web form's old mistake), HRT would be refused: AE is not on it.
        assert not assess(client, headers, country="AE", on="2026-05-01")["hrt"]["eligible"]
        answer = assess(client, headers, country="GN", country_of_return="AE", on="2026-05-01")
        assert answer["rean"]["eligible"] and answer["hrt"]["eligible"] and answer["total_eur"] == 3750
        assert answer["third_country"] is True and "third_country_return" in answer["warnings"]
        assert any("Third country" in note for note in answer["notes"])

    def test_a_deportation_in_the_last_five_years_excludes_rean_and_so_hrt(self, intake):
        client, _, headers = intake
        answer = assess(client, headers, country="GN", deported_within_5_years="true", on="2026-05-01")
        assert answer["rean"] == {"eligible": False, "reasons": ["deported_in_last_5_years"], "amount_eur": 0}
        assert "requires_rean" in answer["hrt"]["reasons"] and answer["total_eur"] == 0

    def test_a_departure_in_2016_is_judged_by_its_own_rules_without_a_warning(self, intake):
        client, _, headers = intake
        answer = assess(client, headers, country="GN", on="2016-06-01")
        assert answer["rules_outdated"] is False and answer["warnings"] == []


class TestYearlyRuleSets:
    def test_the_shipped_rule_set_is_listed_in_force(self, intake, auth):
        client, _, _ = intake
        listing = client.get("/v1/eligibility/rules", headers=auth("project_lead")).json["items"]
        assert [(r["year"], r["origin"], r["in_force"], r["upcoming"]) for r in listing] == \
            [(2016, "shipped", True, False)]
        assert "GN" in listing[0]["hrt_countries"] and listing[0]["amounts_eur"]["hrt_adult"] == 1750

    def test_a_dry_run_shows_the_differences_and_stores_nothing(self, intake, auth):
        client, _, _ = intake
        admin = auth("admin")
        response = client.post("/v1/eligibility/rules?dry_run=true", json=rule_set_2026(), headers=admin)
        assert response.status_code == 200, response.json
        assert response.json["compared_with"] == 2016 and response.json["dry_run"] is True
        assert response.json["differences"] == {
            "amounts_eur": {"rean_adult": [500, 600], "hrt_adult": [1750, 2000]},
            "lists": {"hrt_countries": {"added": [], "removed": ["GN"]},
                      "rean_excluded": {"added": ["MD"], "removed": []}}}
        assert response.json["rule_set"]["upcoming"] is True
        assert [r["year"] for r in client.get("/v1/eligibility/rules", headers=admin).json["items"]] == [2016]

    def test_a_loaded_rule_set_takes_effect_on_its_day_and_assessments_name_it(self, intake, auth, clock):
        client, _, headers = intake
        admin = auth("admin")
        response = client.post("/v1/eligibility/rules", json=rule_set_2026(), headers=admin)
        assert response.status_code == 201, response.json
        assert response.json["rule_set"]["origin"] == "loaded" and response.json["rule_set"]["loaded_by"]
        before = assess(client, headers, country="GN", on="2026-06-30")
        after = assess(client, headers, country="GN", on="2026-07-01")
        assert before["rule_year"] == 2016 and before["hrt"]["eligible"]
        assert after["rule_year"] == 2026 and after["rules_outdated"] is False and after["warnings"] == []
        assert not after["hrt"]["eligible"] and after["hrt"]["reasons"] == ["country_not_on_hrt_list"]
        assert after["rean"]["amount_eur"] == 600
        moldova = assess(client, headers, country="MD", on="2026-08-01")
        assert moldova["rean"]["reasons"] == ["country_excluded"]
        listing = client.get("/v1/eligibility/rules", headers=admin).json["items"]
        assert [(r["year"], r["origin"], r["in_force"], r["upcoming"]) for r in listing] == \
            [(2016, "shipped", True, False), (2026, "loaded", False, True)]

    def test_a_year_is_loaded_once(self, intake, auth):
        client, _, _ = intake
        admin = auth("admin")
        assert client.post("/v1/eligibility/rules", json=rule_set_2026(), headers=admin).status_code == 201
        again = client.post("/v1/eligibility/rules", json=rule_set_2026(source="changed"), headers=admin)
        assert again.status_code == 409 and "2026" in again.json["detail"]
        shipped_year = client.post("/v1/eligibility/rules", json=rule_set_2026(year=2016, valid_from="2016-02-01"),
                                   headers=admin)
        assert shipped_year.status_code == 409

    @pytest.mark.parametrize("changes,words", [
        ({"valid_from": "2025-12-31"}, "not in the rule set's year"),
        ({"hrt_countries": {"Guinea": "Guinee"}}, "ISO 3166-1"),
    ])
    def test_a_rule_set_the_rules_refuse_is_422_with_what_is_wrong_in_dutch(self, intake, auth, changes, words):
        client, _, _ = intake
        response = client.post("/v1/eligibility/rules?dry_run=true", json=rule_set_2026(**changes),
                               headers={**auth("admin"), "Accept-Language": "nl"})
        assert response.status_code == 422 and words in response.json["errors"]["rules"], response.json
        assert response.json["errors"]["rules"].startswith("Geen geldige regelset: ")
        assert response.json["error_codes"] == {"rules": "rule_set"}
        assert response.json["detail"] == "De regelset is niet geldig."

    @pytest.mark.parametrize("changes,field", [
        ({"amounts_eur": {"rean_adult": 600}}, "amounts_eur"), ({"source": " "}, "source"),
        ({"year": 1999, "valid_from": "1999-01-01"}, "year"), ({"valid_from": "1-7-2026"}, "valid_from"),
        ({"extra": True}, "extra"),
    ])
    def test_a_rule_set_of_the_wrong_shape_is_422_at_its_field(self, intake, auth, changes, field):
        client, _, _ = intake
        response = client.post("/v1/eligibility/rules?dry_run=true", json=rule_set_2026(**changes),
                               headers=auth("admin"))
        assert response.status_code == 422 and any(k.split(".")[0] == field for k in response.json["errors"]), response.json

    def test_a_rule_set_before_the_latest_is_refused(self, intake, auth):
        client, _, _ = intake
        admin = auth("admin")
        assert client.post("/v1/eligibility/rules", json=rule_set_2026(), headers=admin).status_code == 201
        earlier = client.post("/v1/eligibility/rules", json=rule_set_2026(year=2025, valid_from="2025-03-01"),
                              headers=admin)
        assert earlier.status_code == 422 and "after the latest" in earlier.json["errors"]["rules"]

    @pytest.mark.parametrize("role", ["consultant", "project_lead", "partner"])
    def test_only_administrators_load_rules(self, intake, auth, role):
        client, _, _ = intake
        response = client.post("/v1/eligibility/rules", json=rule_set_2026(), headers=auth(role, org="prt_x"))
        assert response.status_code == 403
