import pytest

from services.monitoring.domain.scoring import SCHEMES, ScoringScheme

SCHEME = SCHEMES["2026.1"]


class TestSustainabilityIndex:
    def test_the_index_is_the_mean_of_score_minus_one_over_four(self):
        assert SCHEME.index({"economic": 5, "housing": 5, "social": 5, "health": 5, "resilience": 5}) == 1.0
        assert SCHEME.index({"economic": 1, "housing": 1}) == 0.0
        # (2-1)/4=0.25, (3-1)/4=0.5, (4-1)/4=0.75 -> mean 0.5
        assert SCHEME.index({"economic": 2, "housing": 3, "social": 4}) == 0.5

    def test_only_scored_domains_count(self):
        assert SCHEME.index({"economic": 3}) == 0.5
        assert SCHEME.index({}) is None


class TestRssView:
    def test_dimensions_follow_the_configured_domains(self):
        scheme = ScoringScheme("t", {"economic": {"economic": 1}, "psychosocial": {"resilience": 1}})
        rss = scheme.rss({"economic": 5, "resilience": 1, "housing": 3})
        assert rss == {"economic": 1.0, "psychosocial": 0.0, "composite": 0.5}

    def test_weights_are_applied_and_missing_domains_skipped(self):
        scheme = ScoringScheme("t", {"social": {"housing": 1, "health": 3}})
        # housing (3-1)/4 = 0.5 weight 1; health (5-1)/4 = 1.0 weight 3 -> 3.5/4 = 0.875
        assert scheme.rss({"housing": 3, "health": 5})["social"] == 0.875
        assert scheme.rss({"economic": 2})["social"] is None

    def test_every_score_records_the_scheme_version(self):
        assert SCHEME.score({"economic": 3})["scheme_version"] == "2026.1"

    @pytest.mark.parametrize("version", list(SCHEMES))
    def test_every_shipped_scheme_only_names_known_domains(self, version):
        domains = {"economic", "housing", "social", "health", "resilience"}
        for weights in SCHEMES[version].dimensions.values():
            assert set(weights) <= domains
