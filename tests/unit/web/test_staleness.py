"""What a page shows from another service through events (intake's copy of monitoring's open alerts, of the
partner's handover status) says how old it is once older than a minute (issue 22, item 8: with the broker
down, intake showed 4 open alerts while monitoring held 13, and nothing on the page said so)."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from services.web.i18n import stale_note
from tests.unit.web.conftest import INTAKE, MONITORING
from tests.unit.web.returnee_answer import RETURNEE


def ago(**delta) -> str:
    return (datetime.now(timezone.utc) - timedelta(**delta)).isoformat()


def caseload(browser, api, *as_of, lang="nl"):
    rows = [{**RETURNEE, "id": f"rtn_{i}", "events_as_of": moment} for i, moment in enumerate(as_of, 1)]
    api.get(f"{INTAKE}/v1/returnees", json={"items": rows, "next_cursor": None})
    return browser("consultant").client.get(f"/returnees?lang={lang}").get_data(as_text=True)


def test_the_caseload_says_how_old_its_alerts_and_check_ins_are_after_a_minute(browser, api):
    assert "Bijgewerkt 3 minuten geleden" in caseload(browser, api, ago(seconds=10), ago(minutes=3, seconds=5))


def test_the_same_in_english(browser, api):
    assert "Updated 3 minutes ago" in caseload(browser, api, ago(minutes=3), lang="en")


@pytest.mark.parametrize("seconds", [0, 45, None])
def test_a_recent_or_unknown_copy_says_nothing(browser, api, seconds):
    page = caseload(browser, api, None if seconds is None else ago(seconds=seconds))
    assert "Bijgewerkt" not in page and 'class="stale"' not in page


def test_the_returnee_page_says_how_old_its_monitoring_facts_are(browser, api):
    api.get(f"{INTAKE}/v1/returnees/rtn_1", json={**RETURNEE, "events_as_of": ago(hours=2, minutes=1)})
    api.get(f"{MONITORING}/v1/cases/rtn_1", status=404, json={"status": 404})
    page = browser("consultant").client.get("/returnees/rtn_1").get_data(as_text=True)
    assert '<p class="stale">Bijgewerkt 2 uur geleden</p>' in page


def test_the_note_counts_the_oldest_moment_on_the_wall_clock(app):
    now = datetime(2026, 5, 1, 12, 0, tzinfo=timezone.utc)
    with app.test_request_context("/?lang=nl"):
        assert stale_note(["2026-05-01T11:59:30+00:00"], now) == ""
        assert stale_note(["2026-05-01T11:59:30+00:00", "2026-05-01T11:55:00Z"], now) == "Bijgewerkt 5 minuten geleden"
        assert stale_note("2026-04-28T12:00:00+00:00", now) == "Bijgewerkt 3 dagen geleden"
        assert stale_note([None, "not a moment"], now) == "" and stale_note(None, now) == ""
