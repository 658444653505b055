"""Monitoring's summary carries the latest scored check-in's domain scores and its contact date (issue 20,
item 4: intake's progress report shows them beside the judgement before return), typed in its events schema."""
from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from services.monitoring.domain import case as cases
from services.monitoring.events import CHECKIN_RECORDED, PLAN_UPDATED, build_event
from shared.events import UndeclaredEvent
from tests.unit.monitoring.plain_cases import active_case, checkin

SCORES = {"economic": 2, "housing": 3, "social": None, "health": 5, "resilience": 1}
NOW = datetime(2026, 3, 2, tzinfo=timezone.utc)


class TestSummaryScores:
    def test_no_scores_before_the_first_scored_checkin(self):
        summary = cases.summary(active_case())
        assert summary["latest_scores"] is None and summary["latest_scored_on"] is None

    def test_the_latest_scored_checkin_gives_the_five_domains_and_its_contact_date(self):
        case = active_case()
        checkin(case, date(2026, 2, 10), 1)
        checkin(case, date(2026, 4, 10), 3, scores={"economic": 2, "housing": 3, "health": 5, "resilience": 1})
        summary = cases.summary(case)
        assert summary["latest_scores"] == SCORES and summary["latest_scored_on"] == "2026-04-10"

    def test_a_later_checkin_without_scores_keeps_the_last_scores(self):
        case = active_case()
        checkin(case, date(2026, 2, 10), 1)
        checkin(case, date(2026, 4, 10), 3, contact_made=False, scores={})
        summary = cases.summary(case)
        assert summary["latest_scored_on"] == "2026-02-10" and summary["latest_scores"]["economic"] == 4

    def test_a_correction_replaces_the_scores_it_corrects(self):
        case = active_case()
        first, _ = checkin(case, date(2026, 2, 10), 1)
        checkin(case, date(2026, 2, 10), 1, supersedes=first["id"], scores={**SCORES, "social": 3})
        assert cases.summary(case)["latest_scores"]["social"] == 3


class TestTheEventSchema:
    def base(self, **summary) -> dict:
        return {"returnee_id": "rtn_1", "country": "NG", "partner_id": "prt_1",
                "summary": {"next_due_on": None, "latest_index": 0.5, "open_alerts": 0, "state": "active",
                            "latest_scores": SCORES, "latest_scored_on": "2026-04-10", **summary}}

    def test_a_case_event_carries_the_scores(self):
        event = build_event(PLAN_UPDATED, "rtn_1", self.base(), NOW)
        assert event.data["summary"]["latest_scores"] == SCORES

    def test_the_summary_of_a_real_checkin_is_what_the_schema_declares(self):
        case = active_case()
        checkin(case, date(2026, 2, 10), 1)
        data = {"checkin_id": "chk_1", "slot": 1, "contact_date": "2026-02-10", "index": 0.75, "supersedes": None,
                "support_delivered_on": None, **self.base(), "summary": cases.summary(case)}
        assert build_event(CHECKIN_RECORDED, "rtn_1", data, NOW).data["summary"]["latest_scored_on"] == "2026-02-10"

    @pytest.mark.parametrize("summary", [
        {"latest_scores": {**SCORES, "economic": 6}}, {"latest_scores": {**SCORES, "notes": "free text"}},
        {"latest_scores": {"economic": 2}}, {"latest_scored_on": "soon"}])
    def test_scores_off_the_scale_free_text_or_a_missing_domain_are_refused(self, summary):
        with pytest.raises(UndeclaredEvent):
            build_event(PLAN_UPDATED, "rtn_1", self.base(**summary), NOW)

    def test_the_summary_must_say_both_even_when_null(self):
        data = self.base()
        del data["summary"]["latest_scores"]
        with pytest.raises(UndeclaredEvent):
            build_event(PLAN_UPDATED, "rtn_1", data, NOW)
