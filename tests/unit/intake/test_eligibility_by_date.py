"""Which eligibility rule set applies on a date (services.intake.eligibility.rules_for), and the dated data file
the rule sets are read from."""

import json
from datetime import date, datetime

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
