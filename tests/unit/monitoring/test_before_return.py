"""Before return beside after it (issue 20, items 4 and 5): intake's `returnee.assessed.v1` kept per returnee
(newest wins, redelivery a no-op), the comparison per group with small cells hidden, project leads and admins
only; and the consultant's check-in, recorded by a staff member (need-to-know: test_need_to_know.py)."""
from __future__ import annotations

from datetime import date, datetime, timezone

from services.monitoring.handlers import note_assessment
from services.monitoring.repository.before_return import BeforeReturnRepository
from services.monitoring.domain.comparison import before_after_table, supersedes
from shared.events import new_event
from tests.unit.monitoring.checkin_requests import body, post


def assessed(rid, day="2025-12-01", aid="asm_1", **scores):
    return new_event("intake", "returnee.assessed.v1", rid, {
        "returnee_id": rid, "assessment_id": aid, "assessed_on": day, "moment": "at_end",
        "scores": scores or {"economic": 2, "housing": 2}, "documents": "complete", "safety": "safe"}, datetime(2026, 3, 2, tzinfo=timezone.utc))


def test_the_newest_assessment_is_kept_and_a_late_or_repeated_one_changes_nothing(monitoring):
    note_assessment(None, assessed("rtn_a", "2025-12-01", "asm_2", economic=3))
    note_assessment(None, assessed("rtn_a", "2025-11-01", "asm_1", economic=1))  # older, late
    note_assessment(None, assessed("rtn_a", "2025-12-01", "asm_2", economic=3))  # redelivered
    assert BeforeReturnRepository().all()["rtn_a"] == {"moment": "at_end", "assessed_on": "2025-12-01",
                                                       "scores": {"economic": 3}}


def case(rid, country, *checkins):
    return {"returnee_id": rid, "country": country, "partner_id": "prt", "arrived_on": "2026-01-05",
            "state": "active", "checkins": [{"id": f"c{n}", "slot": n, "contact_date": f"2026-0{n + 1}-01",
                                             "scores": s, "superseded_by": None, "recorded_at": "x"} for n, s in enumerate(checkins, 1)]}


def test_the_comparison_takes_the_latest_score_after_return_and_hides_small_groups():
    before = {f"r{n}": {"scores": {"economic": 2, "housing": 3}} for n in range(17)}
    cases = [case(f"r{n}", "ET", {"economic": 3}, {"economic": 4, "housing": 2}) for n in range(5)]
    cases += [case(f"r{n}", "GN", {"economic": 3}) for n in range(10, 14)]
    cases += [case("r5", "NG", {"economic": 1}), case("r6", "NG", {"economic": 5}), case("rx9", "NG", {"economic": 5})]
    table = before_after_table(cases, before, "country", k=5)
    et = next(r for r in table["rows"] if r["group"] == "ET")
    assert et["returnees"] == 5 and et["domains"]["economic"] == {
        "returnees": 5, "mean_before": 2, "mean_after": 4, "mean_change": 2}
    assert et["domains"]["housing"]["mean_change"] == -1 and et["domains"]["health"]["mean_change"] is None
    ng = next(r for r in table["rows"] if r["group"] == "NG")
    assert ng == {"group": "NG", "suppressed": True, "suppressed_reason": "small_group"}  # rx9: never assessed
    gn = next(r for r in table["rows"] if r["group"] == "GN")
    assert gn["suppressed_reason"] == "small_group"
    assert table["total"]["returnees"] == 11 and table["total"]["domains"]["economic"]["returnees"] == 11


def test_the_comparison_is_for_project_leads_and_never_per_returnee(monitoring, auth):
    client, _, partner = monitoring
    answer = client.get("/v1/outcomes/before-after", headers=auth("project_lead"))
    assert answer.status_code == 200 and answer.json["by"] == "country"
    assert client.get("/v1/outcomes/before-after?by=returnee", headers=auth("project_lead")).status_code == 422
    assert client.get("/v1/outcomes/before-after", headers=auth("consultant")).status_code == 403
    assert client.get("/v1/outcomes/before-after", headers=partner).status_code == 403


def test_a_consultants_phone_check_in_is_recorded_by_them_and_counts_for_the_slot(monitoring, auth):
    client, service, _ = monitoring
    response = post(client, auth("consultant", sub="web:anna"), body(contact_mode="phone"))
    assert response.status_code == 201, response.json
    assert response.json["recorded_by"]["role"] == "consultant" and response.json["recorded_by"]["sub"] == "web:anna"
    slot = next(s for s in service.repo.get("rtn_own")["slots"] if s["slot"] == 1)
    assert slot["checkin_id"] == response.json["id"]


def test_an_assessment_replaces_the_kept_one_only_when_newer_by_day_then_id():
    kept = {"assessed_on": "2025-12-01", "assessment_id": "asm_2"}
    assert supersedes({"assessed_on": date(2025, 12, 2), "assessment_id": "asm_1"}, kept)
    assert supersedes({"assessed_on": date(2025, 12, 1), "assessment_id": "asm_3"}, kept)
    assert not supersedes({"assessed_on": date(2025, 12, 1), "assessment_id": "asm_2"}, kept)
    assert not supersedes({"assessed_on": date(2025, 11, 30), "assessment_id": "asm_9"}, kept)
    assert supersedes({"assessed_on": date(2025, 1, 1), "assessment_id": "asm_1"}, None)
