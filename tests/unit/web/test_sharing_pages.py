"""Sharing a note or document with the partner holding the case, on the returnee's page: the button only while a
partner holds it (accepted or arrived, with consent), what is shared said with whom and since when, the button's
form sent to intake's share route (or its DELETE to stop), and a refusal said in Dutch on the page."""
from __future__ import annotations

import pytest

from tests.unit.web.test_notes_pages import NOTE, NOTES, returnee_page
from tests.unit.web.returnee_answer import RETURNEE

HELD = {**RETURNEE, "status": "handover_accepted",
        "handover": {"id": "hnd_1", "partner_id": "ptn_1", "status": "accepted"}}
SHARE = f"{NOTES}/not_1/share"


@pytest.fixture
def held(api):
    return returnee_page(api, HELD)


def test_no_share_button_before_a_partner_holds_the_case(browser, api):
    returnee_page(api, RETURNEE).get(NOTES, json={"items": [{**NOTE, "shared": None}], "next_cursor": None})
    html = browser("consultant").client.get("/returnees/rtn_1").get_data(as_text=True)
    assert "Cliënt wil een naaiatelier" in html and "Delen met partner" not in html and "share-form" not in html


def test_a_held_case_offers_to_share_and_a_shared_note_says_with_whom_and_since_when(browser, held):
    held.get(NOTES, json={"items": [{**NOTE, "shared": None},
                                    {**NOTE, "id": "not_2", "shared": {"partner_id": "ptn_1",
                                                                       "shared_at": "2026-03-04T09:00:00+00:00"}}],
                          "next_cursor": None})
    html = browser("consultant").client.get("/returnees/rtn_1").get_data(as_text=True)
    assert 'action="/returnees/rtn_1/notes/not_1/share"' in html and "Delen met partner" in html
    assert "Gedeeld met Lagos Desk op 4 mrt 2026" in html and "Niet meer delen" in html


def test_the_buttons_ask_intake_to_share_and_to_stop(browser, held):
    held.get(NOTES, json={"items": [{**NOTE, "shared": None}], "next_cursor": None})
    held.post(SHARE, json={"item_id": "not_1", "type": "note", "partner_id": "ptn_1", "handover_id": "hnd_1",
                           "shared_at": "2026-03-04T09:00:00+00:00", "shared_by": "web:consultant"})
    held.delete(SHARE, status=204)
    b = browser("consultant")
    b.get("/returnees/rtn_1")
    shared = b.post("/returnees/rtn_1/notes/not_1/share", {})
    assert shared.status_code == 302 and shared.headers["Location"] == "/returnees/rtn_1"
    stopped = b.post("/returnees/rtn_1/notes/not_1/share", {"stop": "1"})
    assert stopped.status_code == 302
    sent = [(c.request.method, c.request.url) for c in held.calls if c.request.url == SHARE]
    assert sent == [("POST", SHARE), ("DELETE", SHARE)]


def test_a_refused_share_is_said_in_dutch_on_the_page(browser, held):
    held.get(NOTES, json={"items": [{**NOTE, "shared": None}], "next_cursor": None})
    held.post(SHARE, status=409, json={"status": 409, "detail": "No partner holds the case: share once a partner "
                                                                "has accepted it (with consent to share)."})
    b = browser("consultant")
    b.get("/returnees/rtn_1")
    answer = b.post("/returnees/rtn_1/notes/not_1/share", {})
    html = answer.get_data(as_text=True)
    assert answer.status_code == 409 and "Dit kon niet worden gedeeld" in html and "No partner holds" not in html


def test_a_project_lead_may_not_share_and_an_unknown_kind_is_not_found(browser, held):
    assert browser("project_lead").post("/returnees/rtn_1/notes/not_1/share", {}).status_code == 403
    assert browser("consultant").post("/returnees/rtn_1/tasks/not_1/share", {}).status_code == 404
    assert not [c for c in held.calls if c.request.url.endswith("/share")]
