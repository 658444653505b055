"""What intake lets travel in clear about a returnee: the region only as a first-level subdivision."""
from __future__ import annotations

import pytest

from services.intake.disclosure import coarse_region, handover_part, update_part
from shared import sealing


class TestCoarseRegion:
    @pytest.mark.parametrize("country, typed, coarse", [
        ("NG", "Lagos", "Lagos"), ("NG", "Ikeja, Lagos", "Lagos"), ("ET", "Tigray", "Tigrai"),
        ("AM", "Yerevan", "Erevan"), ("GN", "Kissidougou", "Faranah"), ("IQ", "Baghdad", "Baghdād")])
    def test_a_recognised_region_travels_as_its_first_level_subdivision(self, country, typed, coarse):
        assert coarse_region(country, typed) == coarse

    @pytest.mark.parametrize("typed", ["12 Allen Avenue, near the market", "with her brother in Gyumri", "", None])
    def test_anything_else_travels_only_sealed(self, typed):
        assert coarse_region("NG", typed) is None


RETURNEE = {"id": "rtn_1", "country_of_return": "NG", "region": "Ikeja, Lagos", "languages": ["yo"],
            "household": {"adults": 1, "minors": 2}, "vulnerabilities": ["medical"],
            "reintegration_plan": {"goals": {"health": "HIV treatment"}, "planned_support": []}}


class TestEventParts:
    def test_the_handover_carries_the_profile_sealed_and_only_routing_facts_in_clear(self):
        key = sealing.new_key()
        part = handover_part(RETURNEE, key)
        assert set(part) == {"country_of_return", "region", "vulnerabilities", "planned_departure_date",
                             "planned_support", "profile"}
        assert part["region"] == "Lagos" and "HIV" not in str(part)
        assert sealing.unseal(key, part["profile"])["reintegration_plan"]["goals"]["health"] == "HIV treatment"

    def test_an_update_seals_the_whole_profile_again_when_any_of_it_changed(self):
        key = sealing.new_key()
        part = update_part(RETURNEE, {"languages": ["en"]}, lambda: key)
        assert set(part) == {"profile"}
        assert sealing.unseal(key, part["profile"])["region"] == "Ikeja, Lagos"
        assert update_part(RETURNEE, {"vulnerabilities": ["lgbt"]}, lambda: 1 / 0) == {"vulnerabilities": ["lgbt"]}

    def test_the_planned_support_travels_in_clear_without_its_description(self):
        plan = {"goals": {}, "planned_support": [
            {"type": "medical", "description": "HIV clinic fees", "amount": 120000.0, "currency": "NGN",
             "funding_source": "amif", "budget_eur": None},
            {"type": "business", "description": "sewing machine", "budget_eur": 800.0}]}  # written before currencies
        part = handover_part({**RETURNEE, "reintegration_plan": plan}, sealing.new_key())
        assert part["planned_support"] == [
            {"type": "medical", "amount": 120000.0, "currency": "NGN", "funding_source": "amif"},
            {"type": "business", "amount": 800.0, "currency": "EUR", "funding_source": None}]
        assert "HIV" not in str(part) and "sewing" not in str(part)
        changed = update_part(RETURNEE, {"reintegration_plan": plan}, sealing.new_key)
        assert changed["planned_support"] == part["planned_support"] and "profile" in changed
