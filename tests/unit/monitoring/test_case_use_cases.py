"""The monitoring use cases on stored cases: what the insights feed is handed, every check-in rescored with its
old scores kept, an exit before departure closing the case, the office following the case."""
from __future__ import annotations

from services.monitoring.handlers import close_for_exit, judge_due_cases, note_handover_requested, record_checkin
from services.monitoring.insights_feed import InsightsFeed
from shared.events import new_event
from tests.unit.monitoring.stored_cases import CONSULTANT, arrive, checkin
from tests.unit.monitoring.stored_cases import deps, notified, repo  # noqa: F401 - fixtures

__all__ = ["deps", "notified", "repo"]


class FakeFeed(InsightsFeed):
    """The insights feed, recording what it is handed instead of following it."""

    def __init__(self):
        super().__init__(follow=lambda cases: None)
        self.calls = []

    def changed(self, case):
        if case.get("erased"):
            self.calls.append(("removed", case["returnee_id"], case["country"]))
        else:
            self.calls.append(("changed", case["returnee_id"], len(case["checkins"])))


class TestWhatInsightsAreTold:
    def test_a_check_in_hands_over_the_case_as_written_and_erasure_removes_it(self, deps):
        deps.insights = FakeFeed()
        arrive(deps, "rtn_1")
        record_checkin(deps, CONSULTANT, checkin())
        from services.monitoring.handlers import anonymise

        anonymise(deps, new_event("intake", "returnee.erased.v1", "rtn_1", {"returnee_id": "rtn_1"},
                                  deps.clock.now()))
        # the arrival names the country (nothing to count yet), the check-in adds one, erasure removes it
        assert deps.insights.calls == [("changed", "rtn_1", 0), ("changed", "rtn_1", 1), ("removed", "rtn_1", "NG")]


class TestRescoringHistory:
    def test_every_check_in_is_rescored_and_keeps_its_old_scores(self, deps, repo):
        from services.monitoring.domain.scoring import ScoringScheme
        from services.monitoring.handlers import rescore_all

        arrive(deps, "rtn_1")
        arrive(deps, "rtn_2")
        record_checkin(deps, CONSULTANT, checkin())
        assert rescore_all(deps, ScoringScheme("2027.1", {"economic": {"economic": 1.0}})) == 1
        stored = repo.get("rtn_1")["checkins"][0]
        assert stored["scheme_version"] == "2027.1"
        assert stored["score_history"][0]["scheme_version"] == "2026.1"
        assert stored["score_history"][0]["replaced_at"].endswith("Z")


class TestAnExitBeforeDeparture:
    def requested(self, deps, rid):
        note_handover_requested(deps, new_event("intake", "returnee.handover_requested.v1", rid, {
            "returnee_id": rid, "handover_id": f"hnd_{rid}", "partner_id": "prt_1", "country_of_return": "NG"},
            deps.clock.now()))

    def exited(self, deps, rid):
        return new_event("intake", "returnee.exited.v1", rid, {"returnee_id": rid, "reason": "irregular",
                                                               "exited_on": deps.clock.today().isoformat()},
                         deps.clock.now())

    def test_closes_a_case_awaiting_arrival_and_resolves_its_handover_alert(self, deps, repo):
        self.requested(deps, "rtn_1")
        deps.clock.advance(days=6)
        judge_due_cases(deps)
        assert [(a["type"], a["status"]) for a in repo.get("rtn_1")["alerts"]] == [("handover_unanswered", "open")]
        event = self.exited(deps, "rtn_1")
        close_for_exit(deps, event)
        close_for_exit(deps, event)  # redelivered
        case = repo.get("rtn_1")
        assert (case["state"], case["outcome"], case["next_check_on"]) == ("closed", "exited", None)
        assert [(a["type"], a["status"]) for a in case["alerts"]] == [("handover_unanswered", "resolved")]
        deps.clock.advance(days=30)
        assert judge_due_cases(deps) == 0 and len(repo.get("rtn_1")["alerts"]) == 1

    def test_leaves_an_arrived_case_and_ignores_an_unknown_returnee(self, deps, repo):
        arrive(deps, "rtn_2")
        before = repo.get("rtn_2")
        close_for_exit(deps, self.exited(deps, "rtn_2"))
        close_for_exit(deps, self.exited(deps, "rtn_unknown"))
        after = repo.get("rtn_2")
        assert (after["state"], after["outcome"]) == (before["state"], None) == ("active", None)
        assert repo.get("rtn_unknown") is None


class TestTheOfficeFollowsTheCase:
    def test_the_handover_request_brings_the_office_and_a_correction_moves_it(self, deps, repo):
        note_handover_requested(deps, new_event("intake", "returnee.handover_requested.v1", "rtn_1", {
            "returnee_id": "rtn_1", "handover_id": "hnd_1", "partner_id": "prt_1", "country_of_return": "NG",
            "office": "den-haag", "office_region": "west"}, deps.clock.now()))
        assert (repo.get("rtn_1")["office"], repo.get("rtn_1")["office_region"]) == ("den-haag", "west")
        from services.monitoring.handlers import follow_update

        follow_update(deps, new_event("intake", "returnee.updated.v1", "rtn_1", {
            "returnee_id": "rtn_1", "changed": ["office", "office_region"], "office": "zwolle",
            "office_region": "oost"}, deps.clock.now()))
        assert (repo.get("rtn_1")["office"], repo.get("rtn_1")["office_region"]) == ("zwolle", "oost")
