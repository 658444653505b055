"""Country insights against hand-computed figures, and small-cell suppression (incl. subtraction)."""
from __future__ import annotations

from services.monitoring.domain.insights import country_insight, suppress_partition


def case(rid, region=None, checkins=(), latest=None):
    return {"returnee_id": rid, "region": region, "latest_index": latest,
            "checkins": [{"id": f"{rid}-{i}", "slot": slot, "contact_date": day, "recorded_at": day,
                          "scores": scores, "safety_concern": safety, "support_delivered": support,
                          "superseded_by": None, "contact_made": True}
                         for i, (slot, day, scores, safety, support) in enumerate(checkins)]}


def simple(rid, region, slot1_scores, safety=False, support=(), latest=0.5):
    return case(rid, region, [(1, "2026-02-01", slot1_scores, safety, [{"type": t} for t in support])], latest)


class TestSuppressPartition:
    def test_groups_under_k_are_hidden(self):
        assert suppress_partition({"a": 6, "b": 7, "c": 2}, 5) >= {"c"}

    def test_one_small_group_takes_the_next_smallest_with_it_so_subtraction_reveals_nothing(self):
        # total 15 is shown; hiding only c (2) would let anyone compute c = 15 - 6 - 7
        hidden = suppress_partition({"a": 6, "b": 7, "c": 2}, 5)
        assert hidden == {"a", "c"}
        assert sum({"a": 6, "b": 7, "c": 2}[g] for g in hidden) >= 5

    def test_small_groups_that_together_reach_k_need_no_company(self):
        assert suppress_partition({"a": 6, "b": 3, "c": 2}, 5) == {"b", "c"}

    def test_nothing_hidden_when_all_groups_are_big_enough(self):
        assert suppress_partition({"a": 5, "b": 9}, 5) == set()


class TestCountryInsight:
    def test_fewer_than_k_returnees_shows_counts_but_no_figures(self):
        cases = [simple(f"r{i}", None, {"economic": 3}) for i in range(4)]
        insight = country_insight("NG", cases, 5, "t")
        assert insight["suppressed"] is True and insight["returnees"] == 4
        assert "mean_scores_by_slot" not in insight and "safety_concern_share" not in insight

    def test_returnees_without_check_ins_do_not_count(self):
        cases = [simple(f"r{i}", None, {"economic": 3}) for i in range(4)] + [case("r9")]
        assert country_insight("NG", cases, 5, "t")["returnees"] == 4

    def test_figures_match_hand_computed_values(self):
        cases = [
            simple("r1", "Lagos", {"economic": 1, "housing": 4}, safety=True, support=["business"], latest=0.25),
            simple("r2", "Lagos", {"economic": 2, "housing": 4}, support=["business"], latest=0.5),
            simple("r3", "Lagos", {"economic": 3, "housing": 5}, support=["business", "housing"], latest=0.75),
            simple("r4", "Lagos", {"economic": 4, "housing": 3}, support=["business"], latest=1.0),
            simple("r5", "Lagos", {"economic": 5, "housing": 4}, safety=True, support=["business"], latest=0.5),
        ]
        insight = country_insight("NG", cases, 5, "2026-03-01T00:00:00Z")
        assert insight["suppressed"] is False and insight["checkins"] == 5
        slot1 = insight["mean_scores_by_slot"]["1"]
        assert slot1["returnees"] == 5
        assert slot1["economic"] == 3.0          # (1+2+3+4+5)/5
        assert slot1["housing"] == 4.0           # (4+4+5+3+4)/5
        assert slot1["social"] is None
        assert insight["weakest_domain"] == "economic"
        assert insight["safety_concern_share"] == 0.4  # 2 of 5
        assert insight["support"]["business"] == {"suppressed": False, "returnees": 5, "mean_latest_index": 0.6}
        assert insight["support"]["housing"] == {"suppressed": True, "suppressed_reason": "small_group"}  # one
        assert insight["mean_latest_index"] == 0.6
        assert insight["latest_contact_on"] == "2026-02-01"

    def test_a_slot_cell_built_from_fewer_than_k_returnees_is_hidden(self):
        cases = [simple(f"r{i}", None, {"economic": 3}) for i in range(5)]
        cases[0]["checkins"].append({"id": "x", "slot": 3, "contact_date": "2026-04-01", "recorded_at": "x",
                                     "scores": {"economic": 1}, "safety_concern": False, "support_delivered": [],
                                     "superseded_by": None, "contact_made": True})
        assert country_insight("NG", cases, 5, "t")["mean_scores_by_slot"]["3"] == {
            "suppressed": True, "suppressed_reason": "small_group"}

    def test_superseded_check_ins_do_not_count(self):
        cases = [simple(f"r{i}", None, {"economic": 3}) for i in range(5)]
        cases[0]["checkins"][0]["superseded_by"] = "y"
        cases[0]["checkins"].append({"id": "y", "slot": 1, "contact_date": "2026-02-01", "recorded_at": "z",
                                     "scores": {"economic": 5}, "safety_concern": False, "support_delivered": [],
                                     "superseded_by": None, "contact_made": True})
        insight = country_insight("NG", cases, 5, "t")
        assert insight["checkins"] == 5 and insight["mean_scores_by_slot"]["1"]["economic"] == 3.4

    def test_a_small_region_is_hidden_together_with_another_so_it_cannot_be_subtracted(self):
        cases = ([simple(f"a{i}", "Lagos", {"economic": 4}) for i in range(6)] +
                 [simple(f"b{i}", "Abuja", {"economic": 4}) for i in range(7)] +
                 [simple(f"c{i}", "Kano", {"economic": 1}, safety=True) for i in range(2)])
        insight = country_insight("NG", cases, 5, "t")
        regions = insight["regions"]
        assert regions["Kano"] == {"suppressed": True, "suppressed_reason": "small_group"}
        # complementary suppression: Lagos is large enough, hidden so that Kano cannot be subtracted
        assert regions["Lagos"] == {"suppressed": True, "suppressed_reason": "protects_other"}
        assert regions["Abuja"]["suppressed"] is False and regions["Abuja"]["returnees"] == 7
        shown = sum(r["returnees"] for r in regions.values() if not r["suppressed"])
        assert insight["returnees"] - shown >= 5  # what subtraction yields covers at least k people
