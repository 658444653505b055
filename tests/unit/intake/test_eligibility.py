"""Tests for the REAN/HRT eligibility rules (services.intake.eligibility): the country lists, the amounts per
household and the reasons a scheme is refused."""

import json
from datetime import date

import pycountry
import pytest

from services.intake.eligibility import (
    HRT_COUNTRIES,
    REAN_EXCLUDED,
    RULES,
    assess,
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
