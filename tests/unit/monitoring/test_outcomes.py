"""Outcome tables and the partner scorecard against hand-computed figures."""
from __future__ import annotations

from datetime import date

from services.monitoring.domain.outcomes import cohort, outcome_table, scorecard
from services.monitoring.domain.schedule import Rules

MONTHS = (1, 3, 6, 9, 12)


def make(rid, country="NG", partner="p1", arrived="2026-01-15", state="active", latest=0.5, vuln=(), slots=(),
         checkins=(), departed=None, handovers=()):
    return {"returnee_id": rid, "country": country, "partner_id": partner, "arrived_on": arrived, "state": state,
            "latest_index": latest, "vulnerabilities": list(vuln), "slots": list(slots), "checkins": list(checkins),
            "alerts": [], "departed_on": departed, "handover_log": list(handovers)}


def chk(cid, slot, day, index=0.5, scores=None, contact=True):
    return {"id": cid, "slot": slot, "contact_date": day, "recorded_at": day, "index": index,
            "scores": scores if scores is not None else {"economic": 3}, "contact_made": contact,
            "superseded_by": None}


class TestOutcomeTable:
    def test_cohorts_are_arrival_quarters(self):
        assert cohort({"arrived_on": "2026-03-31"}) == "2026-Q1"
        assert cohort({"arrived_on": "2026-10-01"}) == "2026-Q4"

    def test_rows_per_country_with_completion_and_index_distribution(self):
        cases = [make(f"n{i}", latest=v, state="completed" if i < 2 else "active",
                      checkins=[chk(f"c{i}", 1, "2026-02-15", index=v)]) for i, v in enumerate([0.1, 0.3, 0.6, 0.8, 1.0])]
        cases += [make(f"e{i}", country="ET") for i in range(5)]
        table = outcome_table(cases, "country", 5, MONTHS)
        ng = next(r for r in table["rows"] if r["group"] == "NG")
        assert ng["returnees"] == 5 and ng["completed_share"] == 0.4
        assert ng["mean_index_by_slot"]["1"] == 0.56  # (0.1+0.3+0.6+0.8+1.0)/5
        assert ng["latest_index_distribution"] == {"0.00-0.25": 1, "0.25-0.50": 1, "0.50-0.75": 1, "0.75-1.00": 2}
        assert table["total"]["returnees"] == 10

    def test_small_groups_are_suppressed_with_a_complement(self):
        cases = [make(f"a{i}", partner="p1") for i in range(6)] + [make(f"b{i}", partner="p2") for i in range(7)] + \
                [make("c0", partner="p3")]
        rows = {r["group"]: r for r in outcome_table(cases, "partner", 5, MONTHS)["rows"]}
        # p3 is too small itself; p1 is hidden so that p3 cannot be worked out: the reason says which
        assert rows["p3"] == {"group": "p3", "suppressed": True, "suppressed_reason": "small_group"}
        assert rows["p1"] == {"group": "p1", "suppressed": True, "suppressed_reason": "protects_other"}
        assert rows["p2"]["suppressed"] is False and "suppressed_reason" not in rows["p2"]

    def test_vulnerability_groups_overlap_and_count_each_person_in_each_category(self):
        cases = [make(f"v{i}", vuln=["medical", "single_parent"]) for i in range(5)]
        rows = {r["group"]: r for r in outcome_table(cases, "vulnerability", 5, MONTHS)["rows"]}
        assert rows["medical"]["returnees"] == 5 and rows["single_parent"]["returnees"] == 5

    def test_offices_and_their_regions_partition_the_monitored_with_a_group_for_the_unrecorded(self):
        cases = [{**make(f"a{i}"), "office": "den-haag", "office_region": "west"} for i in range(5)]
        cases += [{**make(f"b{i}"), "office": "rotterdam", "office_region": "west"} for i in range(2)]
        cases += [{**make(f"c{i}"), "office": "zwolle", "office_region": "oost"} for i in range(5)]
        cases += [make(f"d{i}") for i in range(5)]  # handed over before offices were recorded
        by_office = {r["group"]: r for r in outcome_table(cases, "office", 5, MONTHS)["rows"]}
        shown = {g: r["returnees"] for g, r in by_office.items() if not r["suppressed"]}
        hidden = {g for g, r in by_office.items() if r["suppressed"]}
        assert set(by_office) == {"den-haag", "rotterdam", "zwolle", "none"}
        # rotterdam's 2 are hidden, and one more office with them: alone, they would follow from the total
        assert "rotterdam" in hidden and len(hidden) == 2 and set(shown.values()) == {5} and len(shown) == 2
        by_region = {r["group"]: r for r in outcome_table(cases, "office_region", 5, MONTHS)["rows"]}
        assert (by_region["west"]["returnees"], by_region["oost"]["returnees"], by_region["none"]["returnees"]) == (7, 5, 5)

    def test_the_returnee_table_has_pseudonymous_ids_only(self):
        rows = outcome_table([make("rtn_1")], "returnee", 5, MONTHS)["rows"]
        assert rows[0]["returnee_id"] == "rtn_1"
        assert not {"given_name", "family_name", "date_of_birth"} & set(rows[0])


class TestScorecard:
    def test_partner_figures_match_hand_computed_values(self):
        slots = [{"slot": 1, "due_on": "2026-02-15", "status": "completed", "checkin_id": "c1"},
                 {"slot": 3, "due_on": "2026-04-15", "status": "completed", "checkin_id": "c3"},
                 {"slot": 6, "due_on": "2026-07-15", "status": "missed", "checkin_id": None},
                 {"slot": 9, "due_on": "2026-10-15", "status": "scheduled", "checkin_id": None}]
        checkins = [chk("c1", 1, "2026-02-16", scores={"economic": 3, "housing": 3, "social": 3, "health": 3,
                                                       "resilience": 3}),
                    chk("c3", 3, "2026-05-10", scores={"economic": 3})]  # 25 days after due: late
        cases = [make("r1", slots=slots, checkins=checkins, departed="2026-01-12",
                      handovers=[{"id": "h1", "partner_id": "p1", "requested_on": "2026-01-01",
                                  "answered_on": "2026-01-03", "answer": "accepted"},
                                 {"id": "h0", "partner_id": "p0", "requested_on": "2025-12-20",
                                  "answered_on": "2025-12-21", "answer": "declined"}])]
        rows = {r["partner_id"]: r for r in scorecard(cases, date(2026, 9, 1), Rules())}
        card = rows["p1"]
        assert card["mean_days_to_accept"] == 2
        assert card["mean_days_to_confirm_arrival"] == 3
        assert card["checkin_completion"] == {"1": 1.0, "3": 1.0, "6": 0.0, "12": None}
        assert card["overdue_rate"] == round(2 / 3, 3)  # slot 3 late, slot 6 missed, of 3 judged
        assert card["missing_answers"]["economic"] == 0.0 and card["missing_answers"]["housing"] == 0.5
        assert rows["p0"]["mean_days_to_accept"] is None and rows["p0"]["returnees"] == 0
        assert rows["p0"]["handovers_declined"] == 1 and card["handovers_offered"] == 1
