"""A project lead's pages show no free text a person wrote and no region below the country, whatever an API
sends (issue 22, items 1 and 2): not the consultant's exit note, the plan's goals in words, a support
description, the partner's decline detail, a check-in's notes or reason, nor an alert's notes. The APIs answer
project leads without them (tests/unit/test_routes_protected.py); the pages hold to it on their own as well."""
from __future__ import annotations

import pytest

from tests.unit.web.conftest import INTAKE, MONITORING
from tests.unit.web.returnee_answer import RETURNEE

CANARY = "zqx"
WORDS = {**RETURNEE, "status": "exited", "region": "Zqxregion",
         "reintegration_plan": {"goals": {"economic": "Zqxgoal: HIV treatment"},
                                "planned_support": [{"type": "business", "description": "Zqxsupport",
                                                     "budget_eur": 500}]},
         "exit": {"reason": "irregular", "exited_on": "2026-03-02", "organisation": None,
                  "note": "Zqxexit: went to his brother"},
         "handover": {"id": "hnd_1", "partner_id": "ptn_1", "status": "declined",
                      "decline": {"reason": "other", "detail": "Zqxdecline: we know the family"}}}
CASE = {"returnee_id": "rtn_1", "country": "NG", "partner_id": "ptn_1", "state": "active", "slots": [],
        "checkins": [{"id": "chk_1", "recorded_at": "2026-04-02T10:00:00+00:00", "slot": 1, "contact_made": True,
                      "contact_date": "2026-04-02", "contact_mode": "phone", "scores": {"economic": 1},
                      "index": 0.25, "notes": "Zqxnote: HIV treatment interrupted", "reason": None,
                      "support_delivered": [{"type": "medical", "amount_eur": 80, "description": "Zqxdelivered"}]},
                     {"id": "chk_2", "recorded_at": "2026-04-20T10:00:00+00:00", "slot": "ad_hoc",
                      "contact_made": False, "contact_date": "2026-04-20", "reason": "Zqxreason: in hospital",
                      "scores": {}, "index": None, "notes": "", "support_delivered": []}],
        "alerts": [{"id": "alr_1", "type": "safety_concern", "status": "resolved", "checkin_id": "chk_1",
                    "raised_at": "2026-04-02T10:00:01+00:00", "acknowledged_at": "2026-04-03T08:00:00+00:00",
                    "acknowledged_note": "Zqxack: called her sister", "resolved_at": "2026-04-04T08:00:00+00:00",
                    "resolution": "Zqxresolve: moved to Ibadan"}]}
REPORT = {"returnee_id": "rtn_1", "period": {"start": "2025-10-02", "end": "2026-04-01"}, "office": "haarlem",
          "country_of_return": "NG", "stage": "exited", "trajectory": "future_orientation",
          "decision": {"decided_on": None, "exit": {"reason": "irregular", "organisation": None,
                                                    "exited_on": "2026-03-02", "note": "Zqxexit: went to his brother"}},
          "plan": {"goals": {"economic": "Zqxgoal: HIV treatment"},
                   "planned_support": [{"type": "business", "description": "Zqxsupport", "budget_eur": 500}],
                   "planned_departure_date": None},
          "steps_in_period": [{"on": "2026-03-02", "step": "exited", "reason": "irregular"}], "monitoring": None}


@pytest.fixture
def pages(api):
    api.get(f"{INTAKE}/v1/returnees/rtn_1", json=WORDS)
    api.get(f"{MONITORING}/v1/cases/rtn_1", json=CASE)
    api.get(f"{INTAKE}/v1/returnees/rtn_1/progress-report", json=REPORT)
    api.get(f"{INTAKE}/v1/returnees", json={"items": [WORDS], "next_cursor": None})
    return ("/returnees/rtn_1", "/returnees/rtn_1?lang=en", "/returnees/rtn_1/progress-report", "/returnees")


def _seen(b, paths) -> dict:
    return {path: [w for w in b.client.get(path).get_data(as_text=True).split() if CANARY in w.lower()]
            for path in paths}


def test_a_project_lead_sees_none_of_it(browser, pages):
    seen = _seen(browser("project_lead"), pages)
    assert seen == {path: [] for path in pages}


def test_a_consultant_sees_it_all(browser, pages):
    """The control: the same pages show the words to a consultant, so the check above can fail."""
    seen = _seen(browser("consultant"), pages)
    detail = " ".join(seen["/returnees/rtn_1"])
    for word in ("Zqxexit", "Zqxgoal", "Zqxsupport", "Zqxregion", "Zqxnote", "Zqxdelivered", "Zqxreason"):
        assert word in detail, word
    assert "Zqxgoal" in " ".join(seen["/returnees/rtn_1/progress-report"])


def test_the_project_leads_page_still_shows_the_exit_and_the_plan_without_the_words(browser, pages):
    html = browser("project_lead").client.get("/returnees/rtn_1?lang=en").get_data(as_text=True)
    assert 'class="exit"' in html and "2026" in html  # the exit, its reason and date
    assert "500" in html  # the planned support's budget
