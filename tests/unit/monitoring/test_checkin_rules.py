"""Recording check-ins on a monitoring case, on plain dicts: completing a slot, conflicts, corrections, impossible
check-ins, ad hoc check-ins, and rescoring that keeps the old values traceable."""
from __future__ import annotations

from datetime import date

import pytest

from services.monitoring.domain import case as cases
from tests.unit.monitoring.plain_cases import RULES, SCHEME, active_case, checkin, new_id, types


class TestRecordingCheckins:
    def test_a_check_in_completes_its_slot_and_stores_index_and_scheme(self):
        case = active_case()
        stored, _ = checkin(case, date(2026, 2, 11), 1)
        assert case["slots"][0]["status"] == "completed"
        assert stored["index"] == 0.75 and stored["scheme_version"] == "2026.1"
        assert case["latest_index"] == 0.75

    def test_a_second_check_in_for_a_completed_slot_is_a_conflict(self):
        case = active_case()
        checkin(case, date(2026, 2, 11), 1)
        with pytest.raises(cases.Rejected) as err:
            checkin(case, date(2026, 2, 12), 1)
        assert err.value.status == 409

    def test_a_correction_supersedes_the_first_and_both_are_kept(self):
        case = active_case()
        first, _ = checkin(case, date(2026, 2, 11), 1, scores={"economic": 1})
        second, events = checkin(case, date(2026, 2, 11), 1, scores={"economic": 5}, supersedes=first["id"])
        assert len(case["checkins"]) == 2
        assert first["superseded_by"] == second["id"]
        assert case["slots"][0]["checkin_id"] == second["id"]
        assert case["latest_index"] == 1.0
        assert ("alert.resolved.v1", "critical_domain") in types(events)

    @pytest.mark.parametrize("day,slot,field", [
        (date(2026, 1, 9), 1, "contact_date"),    # before arrival
        (date(2026, 2, 11), 2, "slot"),           # no such slot
    ])
    def test_impossible_check_ins_are_rejected_with_the_field(self, day, slot, field):
        case = active_case()
        with pytest.raises(cases.Rejected) as err:
            checkin(case, day, slot)
        assert err.value.status == 422 and field in err.value.errors

    def test_a_contact_date_in_the_future_is_rejected(self):
        case = active_case()
        data_day = date(2026, 2, 11)
        with pytest.raises(cases.Rejected) as err:
            cases.record_checkin(case, {"returnee_id": "rtn_1", "slot": 1, "contact_date": "2026-02-12",
                                        "contact_made": True, "scores": {}}, data_day, "now", RULES, SCHEME,
                                 new_id, {})
        assert "contact_date" in err.value.errors

    def test_no_check_in_before_arrival_is_confirmed(self):
        case = cases.new_case("rtn_1", "NG", "prt_1")
        with pytest.raises(cases.Rejected) as err:
            checkin(case, date(2026, 2, 11), 1)
        assert err.value.status == 409

    def test_ad_hoc_check_ins_are_allowed_any_number_of_times(self):
        case = active_case()
        checkin(case, date(2026, 1, 20), "ad_hoc")
        checkin(case, date(2026, 1, 25), "ad_hoc")
        assert len(case["checkins"]) == 2 and all(s["checkin_id"] is None for s in case["slots"])


class TestRescoring:
    def test_rescoring_keeps_the_old_values_traceable(self):
        case = active_case()
        checkin(case, date(2026, 2, 11), 1, scores={"economic": 5, "housing": 1})
        strict = type(SCHEME)("2027.1", {"economic": {"economic": 1}})
        assert cases.rescore(case, strict, "now") == 1
        stored = case["checkins"][0]
        assert stored["scheme_version"] == "2027.1"
        assert stored["score_history"][0]["scheme_version"] == "2026.1"
        assert stored["rss"]["economic"] == 1.0
        assert cases.rescore(case, strict, "later") == 0


class TestCorrectionFlag:
    def test_correction_true_supersedes_the_slots_current_check_in(self):
        case = active_case()
        first, _ = checkin(case, date(2026, 2, 11), 1, scores={"economic": 2})
        second, _ = checkin(case, date(2026, 2, 11), 1, scores={"economic": 4}, correction=True)
        assert second["supersedes"] == first["id"] and first["superseded_by"] == second["id"]
        assert "correction" not in second

    def test_a_correction_of_an_empty_slot_is_rejected(self):
        case = active_case()
        with pytest.raises(cases.Rejected) as err:
            checkin(case, date(2026, 2, 11), 1, correction=True)
        assert err.value.status == 422 and "correction" in err.value.errors
