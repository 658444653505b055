"""The progress report shows the judgement before return beside the check-ins after it (issue 20, item 4):
`before_after` per domain with the change, in JSON and in the PDF; the judgement in words only with names."""
from __future__ import annotations

from datetime import date

from services.intake.documents import Returnee
from services.intake.handlers import follow_monitoring
from services.intake.progress import before_after
from shared.events import new_event
from tests.unit.intake.test_assessments_api import BODY, assess
from tests.unit.intake.test_report_downloads import pdf_text
from tests.unit.intake.returnees import register

DAY = date(2026, 3, 2)
BEFORE = {"assessed_on": date(2026, 1, 10), "moment": "after_action_plan", "judgement": "Haalbaar.",
          "scores": {"economic": 2, "housing": 3, "social": 4, "health": 3, "resilience": 2}}
AFTER = {"latest_scores": {"economic": 4, "housing": 3, "social": 2, "health": None, "resilience": 5},
         "latest_scored_on": "2026-02-20"}


def changes(report: dict) -> dict:
    return {row["domain"]: (row["before"], row["after"], row["change"]) for row in report["domains"]}


class TestBeforeAfter:
    def test_the_last_assessment_beside_the_latest_scores_with_the_change_per_domain(self):
        earlier = {**BEFORE, "assessed_on": date(2025, 12, 1), "moment": "after_intake", "scores": {"economic": 1}}
        report = before_after([earlier, BEFORE], AFTER, DAY, with_names=True)
        assert report["before"] == {"assessed_on": "2026-01-10", "moment": "after_action_plan",
                                    "scores": BEFORE["scores"], "judgement": "Haalbaar."}
        assert report["after"] == {"scored_on": "2026-02-20", "scores": AFTER["latest_scores"]}
        assert changes(report) == {"economic": (2, 4, 2), "housing": (3, 3, 0), "social": (4, 2, -2),
                                   "health": (3, None, None), "resilience": (2, 5, 3)}

    def test_the_pseudonymous_report_has_the_scores_but_not_the_judgement_in_words(self):
        report = before_after([BEFORE], AFTER, DAY, with_names=False)
        assert "judgement" not in report["before"] and report["before"]["scores"] == BEFORE["scores"]

    def test_without_an_assessment_only_the_scores_after_return(self):
        report = before_after([], AFTER, DAY, with_names=True)
        assert report["before"] is None and report["after"]["scored_on"] == "2026-02-20"
        assert changes(report)["economic"] == (None, 4, None)

    def test_without_a_scored_checkin_only_the_assessment(self):
        for monitoring in (None, {"latest_index": None, "open_alerts": 0},
                           {"latest_scores": None, "latest_scored_on": None}):
            report = before_after([BEFORE], monitoring, DAY, with_names=True)
            assert report["after"] is None and changes(report)["social"] == (4, None, None)

    def test_nothing_after_the_reports_end_day(self):
        report = before_after([BEFORE], AFTER, date(2026, 1, 5), with_names=True)
        assert report["before"] is None and report["after"] is None
        assert [row["domain"] for row in report["domains"]] == ["economic", "housing", "social", "health",
                                                                 "resilience"]


def scored(service, clock, rid: str) -> None:
    """Monitoring's summary after a scored check-in, as its checkin.recorded.v1 carries it."""
    follow_monitoring(service.deps, new_event("monitoring", "checkin.recorded.v1", rid, {
        "returnee_id": rid, "checkin_id": "chk_1", "slot": 1, "contact_date": "2026-03-02", "index": 0.6,
        "supersedes": None, "support_delivered_on": None,
        "summary": {"next_due_on": "2026-05-02", "latest_index": 0.6, "open_alerts": 0, "state": "active",
                    "latest_scores": {"economic": 4, "housing": 5, "social": 4, "health": 1, "resilience": 7},
                    "latest_scored_on": "2026-03-02"}}, clock.now()))


class TestTheReportThroughTheApi:
    def test_intake_keeps_the_latest_scores_and_the_report_compares_them(self, intake, clock, auth):
        client, service, headers = intake
        rid = register(client, headers).json["id"]
        assert assess(client, headers, rid).status_code == 201
        scored(service, clock, rid)
        monitoring = client.get(f"/v1/returnees/{rid}", headers=headers).json["monitoring"]
        assert monitoring["latest_scores"] == {"economic": 4, "housing": 5, "social": 4, "health": 1,
                                               "resilience": None}  # off the scale: dropped
        assert monitoring["latest_scored_on"] == "2026-03-02"
        named = client.get(f"/v1/returnees/{rid}/progress-report", headers=headers).json["before_after"]
        assert changes(named)["economic"] == (2, 4, 2) and changes(named)["health"] == (3, 1, -2)
        assert named["before"]["judgement"] == BODY["judgement"]
        lead = client.get(f"/v1/returnees/{rid}/progress-report", headers=auth("project_lead")).json
        assert changes(lead["before_after"]) == changes(named) and BODY["judgement"] not in str(lead)

    def test_erasure_removes_the_latest_scores_from_the_tombstone(self, intake, clock):
        client, service, headers = intake
        rid = register(client, headers).json["id"]
        scored(service, clock, rid)
        assert client.delete(f"/v1/returnees/{rid}", headers=headers).status_code == 204
        kept = Returnee.objects(id=rid).as_pymongo().first()
        assert kept is not None and kept["monitoring"]["latest_index"] == 0.6
        assert "latest_scores" not in kept["monitoring"] and "latest_scored_on" not in kept["monitoring"]

    def test_the_pdf_prints_the_table_with_its_figures_in_dutch(self, intake, clock):
        client, service, headers = intake
        rid = register(client, headers).json["id"]
        assess(client, headers, rid, scores={"economic": 2, "housing": 3, "social": 4, "health": 3, "resilience": 2})
        scored(service, clock, rid)
        text = pdf_text(client.get(f"/v1/returnees/{rid}/progress-report?format=pdf",
                                   headers={**headers, "Accept-Language": "nl"}))
        assert "Voor en na terugkeer" in text and "Voor terugkeer (2026-03-02" in text
        assert "Na terugkeer (2026-03-02)" in text and "+2" in text and "-2" in text
        assert BODY["judgement"] in text

    def test_the_pdf_says_so_when_there_is_no_scored_checkin(self, intake):
        client, _, headers = intake
        rid = register(client, headers).json["id"]
        text = pdf_text(client.get(f"/v1/returnees/{rid}/progress-report?format=pdf", headers=headers))
        assert "Before and after return" not in text
        assess(client, headers, rid)
        text = pdf_text(client.get(f"/v1/returnees/{rid}/progress-report?format=pdf", headers=headers))
        assert "Before and after return" in text and "no scored check-in yet" in text
