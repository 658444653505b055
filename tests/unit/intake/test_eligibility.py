"""Tests for the REAN/HRT eligibility rules (services.intake.eligibility)."""

import json
from datetime import date, datetime

import pycountry
import pytest

from services.intake.eligibility import (
    HRT_COUNTRIES,
    REAN_EXCLUDED,
    RULES,
    RULES_FILE,
    RulesFileError,
    SchemeRules,
    assess,
    load_rules,
    rules_for,
)

ON = date(2016, 6, 1)


class TestCountryLists:
    @pytest.mark.parametrize("code", sorted(REAN_EXCLUDED | HRT_COUNTRIES))
    def test_every_code_is_iso_3166_alpha_2(self, code):
        assert pycountry.countries.get(alpha_2=code) is not None

    def test_rean_excluded_has_the_40_countries_of_appendix_2(self):
        assert len(REAN_EXCLUDED) == 40

    def test_hrt_list_has_106_names_minus_one_for_west_bank_and_gaza(self):
        assert len(HRT_COUNTRIES) == 105
        assert "PS" in HRT_COUNTRIES

    def test_lists_do_not_overlap(self):
        assert not REAN_EXCLUDED & HRT_COUNTRIES

    @pytest.mark.parametrize(
        "code", ["GR", "GL", "VA", "GB", "US", "NL", "AU", "JP", "CH", "NO"]
    )
    def test_spot_check_excluded(self, code):
        assert code in REAN_EXCLUDED

    @pytest.mark.parametrize(
        "code",
        ["SZ", "TL", "CG", "CD", "SS", "KP", "CI", "CV", "FM", "MN", "SO", "AF"],
    )
    def test_spot_check_hrt(self, code):
        assert code in HRT_COUNTRIES

    def test_2016_rules_use_the_module_lists(self):
        r = RULES[2016]
        assert r.rean_excluded is REAN_EXCLUDED
        assert r.hrt_countries is HRT_COUNTRIES
        assert (
            r.rean_adult_eur,
            r.rean_accompanied_minor_eur,
            r.hrt_adult_eur,
            r.hrt_accompanied_minor_eur,
            r.ngo_extra_eur,
        ) == (500, 100, 1750, 880, 1500)
        assert r.source


class TestFocusCountryHousehold:
    @pytest.mark.parametrize("code", ["NG", "ET", "GN", "AM", "IQ"])
    def test_two_adults_one_accompanied_minor(self, code):
        result = assess(code, adults=2, accompanied_minors=1, on=ON)
        assert result["country"] == code
        assert result["rule_year"] == 2016
        assert result["rean"] == {"eligible": True, "reasons": [], "amount_eur": 1100}
        assert result["hrt"] == {"eligible": True, "reasons": [], "amount_eur": 4380}
        assert result["ngo_support_eur"] == 1500
        assert result["total_eur"] == 1100 + 4380 + 1500

    def test_single_adult_defaults(self):
        result = assess("NG", on=ON)
        assert result["rean"]["amount_eur"] == 500
        assert result["hrt"]["amount_eur"] == 1750
        assert result["total_eur"] == 500 + 1750 + 1500

    def test_unaccompanied_minors_get_the_adult_rate(self):
        result = assess("AF", adults=0, unaccompanied_minors=2, on=ON, via_ngo=False)
        assert result["rean"]["amount_eur"] == 2 * 500
        assert result["hrt"]["amount_eur"] == 2 * 1750
        assert result["ngo_support_eur"] == 0
        assert result["total_eur"] == 1000 + 3500

    def test_mixed_household(self):
        result = assess(
            "ET", adults=1, unaccompanied_minors=1, accompanied_minors=3, on=ON
        )
        assert result["rean"]["amount_eur"] == 2 * 500 + 3 * 100  # 1300
        assert result["hrt"]["amount_eur"] == 2 * 1750 + 3 * 880  # 6140
        assert result["total_eur"] == 1300 + 6140 + 1500

    def test_notes_mention_travel_documents_and_in_kind_support(self):
        notes = " ".join(assess("IQ", on=ON)["notes"]).lower()
        assert "travel document" in notes
        assert "in-kind" in notes

    def test_result_is_json_ready(self):
        result = assess("GN", adults=2, accompanied_minors=1, on=ON)
        assert json.loads(json.dumps(result)) == result


class TestExcludedCountry:
    @pytest.mark.parametrize("code", ["NL", "US"])
    def test_no_rean_no_hrt_no_ngo(self, code):
        result = assess(code, on=ON)
        assert result["rean"] == {
            "eligible": False,
            "reasons": ["country_excluded"],
            "amount_eur": 0,
        }
        assert result["hrt"]["eligible"] is False
        assert result["hrt"]["reasons"] == ["requires_rean", "country_not_on_hrt_list"]
        assert result["hrt"]["amount_eur"] == 0
        assert result["ngo_support_eur"] == 0
        assert result["total_eur"] == 0


class TestCountryNotOnHrtList:
    @pytest.mark.parametrize("code", ["BR", "RU"])
    def test_rean_only(self, code):
        result = assess(code, adults=2, accompanied_minors=1, on=ON)
        assert result["rean"] == {"eligible": True, "reasons": [], "amount_eur": 1100}
        assert result["hrt"] == {
            "eligible": False,
            "reasons": ["country_not_on_hrt_list"],
            "amount_eur": 0,
        }
        assert result["ngo_support_eur"] == 1500
        assert result["total_eur"] == 2600


class TestRecentReanDeparture:
    def test_excludes_both_schemes(self):
        result = assess("NG", left_via_rean_within_5_years=True, on=ON)
        assert result["rean"] == {
            "eligible": False,
            "reasons": ["rean_in_last_5_years"],
            "amount_eur": 0,
        }
        assert result["hrt"] == {
            "eligible": False,
            "reasons": ["requires_rean"],
            "amount_eur": 0,
        }
        assert result["ngo_support_eur"] == 0
        assert result["total_eur"] == 0

    def test_both_rean_reasons_reported(self):
        result = assess("NL", left_via_rean_within_5_years=True, on=ON)
        assert result["rean"]["reasons"] == ["country_excluded", "rean_in_last_5_years"]


class TestMongoliaDublinClaimant:
    def test_dublin_claimant_gets_rean_but_not_hrt(self):
        result = assess("MN", dublin_claimant=True, on=ON)
        assert result["rean"]["eligible"] is True
        assert result["rean"]["amount_eur"] == 500
        assert result["hrt"] == {
            "eligible": False,
            "reasons": ["dublin_claimant_excluded"],
            "amount_eur": 0,
        }
        assert result["total_eur"] == 500 + 1500

    def test_non_dublin_mongolian_gets_hrt(self):
        result = assess("MN", on=ON)
        assert result["hrt"]["eligible"] is True
        assert result["hrt"]["amount_eur"] == 1750

    def test_dublin_claim_does_not_matter_elsewhere(self):
        assert assess("NG", dublin_claimant=True, on=ON)["hrt"]["eligible"] is True


class TestNgoSupport:
    def test_not_via_ngo(self):
        result = assess("NG", via_ngo=False, on=ON)
        assert result["ngo_support_eur"] == 0
        assert result["total_eur"] == 500 + 1750


class TestRulesFor:
    @pytest.mark.parametrize(
        "on",
        [date(2016, 1, 1), date(2016, 12, 31), date(2017, 3, 1), date(2030, 1, 1)],
    )
    def test_2016_and_later_use_2016(self, on):
        assert rules_for(on).year == 2016

    def test_earlier_dates_fall_back_to_earliest(self):
        assert rules_for(date(2010, 5, 5)).year == min(RULES)

    def test_accepts_datetime(self):
        assert rules_for(datetime(2016, 5, 5, 12, 0)).year == 2016

    def test_picks_latest_year_not_after_date(self, monkeypatch):
        newer = SchemeRules(
            year=2018,
            rean_adult_eur=600,
            rean_accompanied_minor_eur=120,
            hrt_adult_eur=1800,
            hrt_accompanied_minor_eur=900,
            ngo_extra_eur=1500,
            rean_excluded=REAN_EXCLUDED,
            hrt_countries=HRT_COUNTRIES,
            source="test",
        )
        monkeypatch.setitem(RULES, 2018, newer)
        assert rules_for(date(2017, 12, 31)).year == 2016
        assert rules_for(date(2018, 1, 1)).year == 2018
        assert rules_for(date(2025, 1, 1)).year == 2018
        result = assess("NG", on=date(2019, 1, 1))
        assert result["rule_year"] == 2018
        assert result["rean"]["amount_eur"] == 600

    def test_rules_are_frozen(self):
        with pytest.raises(Exception):
            RULES[2016].rean_adult_eur = 1  # type: ignore[misc]


class TestInvalidInput:
    @pytest.mark.parametrize("code", ["ng", "Ng", "NGA", "N", "", "N1", "12", "ÉT", None, 42])
    def test_bad_country_code(self, code):
        with pytest.raises(ValueError):
            assess(code, on=ON)

    @pytest.mark.parametrize(
        "kwargs",
        [
            {"adults": -1},
            {"unaccompanied_minors": -1},
            {"accompanied_minors": -2},
            {"adults": 1.5},
            {"adults": True},
        ],
    )
    def test_bad_counts(self, kwargs):
        with pytest.raises(ValueError):
            assess("NG", on=ON, **kwargs)

    def test_zero_people(self):
        with pytest.raises(ValueError):
            assess("NG", adults=0, on=ON)

    def test_date_is_required(self):
        with pytest.raises(TypeError):
            assess("NG")  # type: ignore[call-arg]


class TestRulesAsDatedData:
    """The lists and amounts live in a data file; a new rule set is a data change that takes effect on its date."""

    LATER = {"year": 2027, "valid_from": "2027-07-01", "source": "test: a later year's figures",
             "amounts_eur": {"rean_adult": 600, "rean_accompanied_minor": 120, "hrt_adult": 2000,
                             "hrt_accompanied_minor": 900, "ngo_extra": 1500},
             "hrt_countries": {"NG": "Nigeria"}}

    @staticmethod
    def write(tmp_path, data, name="rules.json"):
        path = tmp_path / name
        path.write_text(json.dumps(data) if not isinstance(data, str) else data, encoding="utf-8")
        return path

    @pytest.fixture
    def shipped(self):
        return json.loads(RULES_FILE.read_text(encoding="utf-8"))

    def test_the_shipped_file_holds_the_rules_the_module_uses(self):
        assert load_rules(RULES_FILE) == RULES

    def test_a_second_rule_set_takes_effect_from_its_date(self, tmp_path, shipped):
        rules = load_rules(self.write(tmp_path, {"rule_sets": shipped["rule_sets"] + [self.LATER]}))
        assert rules_for(date(2027, 6, 30), rules).year == 2016
        assert rules_for(date(2027, 7, 1), rules).year == 2027
        before = assess("NG", on=date(2027, 6, 30), rules=rules)
        after = assess("NG", on=date(2027, 7, 1), rules=rules)
        assert (before["rule_year"], before["rean"]["amount_eur"], before["hrt"]["amount_eur"]) == (2016, 500, 1750)
        assert (after["rule_year"], after["rean"]["amount_eur"], after["hrt"]["amount_eur"]) == (2027, 600, 2000)
        # lists a rule set leaves out are the previous ones; a list it gives replaces the previous one
        assert rules[2027].rean_excluded is rules[2016].rean_excluded
        assert assess("ET", on=date(2027, 7, 1), rules=rules)["hrt"]["reasons"] == ["country_not_on_hrt_list"]
        assert assess("NG", on=date(2027, 7, 1))["rule_year"] == 2016  # the shipped rules are untouched

    @pytest.mark.parametrize("year,valid_from,message", [
        (2016, "2016-06-01", "a second rule set for 2016"),
        (2015, "2015-01-01", "must take effect after"),
    ])
    def test_rule_sets_follow_each_other_in_time(self, tmp_path, shipped, year, valid_from, message):
        out_of_order = {**self.LATER, "year": year, "valid_from": valid_from}
        with pytest.raises(RulesFileError, match=message):
            load_rules(self.write(tmp_path, {"rule_sets": shipped["rule_sets"] + [out_of_order]}))

    @pytest.mark.parametrize("change,message", [
        ({"amounts_eur": {"rean_adult": 500}}, "amounts_eur must have exactly"),
        ({"amounts_eur": {"rean_adult": -1, "rean_accompanied_minor": 100, "hrt_adult": 1750,
                          "hrt_accompanied_minor": 880, "ngo_extra": 1500}}, "amounts_eur.rean_adult"),
        ({"valid_from": "2016-13-01"}, "valid_from must be a day"),
        ({"valid_from": "2017-01-01"}, "is not in the rule set's year"),
        ({"year": "2016"}, "year must be a whole number"),
        ({"source": ""}, "source must say"),
        ({"hrt_countries": ["NG"]}, "hrt_countries must be an object"),
        ({"rean_excluded": {"nl": "Nederland"}}, "'nl' is not an ISO 3166-1 alpha-2 code"),
        ({"rean_adult_euro": 500}, "unknown keys"),
    ])
    def test_a_malformed_rule_set_is_refused_with_what_is_wrong(self, tmp_path, shipped, change, message):
        broken = {**shipped["rule_sets"][0], **change}
        path = self.write(tmp_path, {"rule_sets": [broken]})
        with pytest.raises(RulesFileError, match=message) as refused:
            load_rules(path)
        assert str(path) in str(refused.value) and "rule set 1" in str(refused.value)

    @pytest.mark.parametrize("text,message", [
        ("{not json", "not a readable JSON file"),
        ('{"rule_sets": []}', "non-empty list"),
        ('{"rule_sets": [{"year": 2016}], "rule_sets": []}', "repeated keys"),
        ('{"rule_sets": [{"rean_excluded": {"NL": "Nederland", "NL": "Holland"}}]}', "repeated keys"),
    ])
    def test_a_malformed_file_is_refused(self, tmp_path, text, message):
        with pytest.raises(RulesFileError, match=message):
            load_rules(self.write(tmp_path, text))

    def test_the_first_rule_set_needs_the_lists(self, tmp_path):
        with pytest.raises(RulesFileError, match="the first rule set needs rean_excluded"):
            load_rules(self.write(tmp_path, {"rule_sets": [{k: v for k, v in self.LATER.items()}]}))

    def test_a_missing_file_is_refused(self, tmp_path):
        with pytest.raises(RulesFileError, match="not a readable JSON file"):
            load_rules(tmp_path / "absent.json")
