"""The returnee page's conversations (Gesprekken): listed, searched, written without JavaScript, corrected with
the earlier versions shown to the author; a project lead's page shows none and never asks intake for them."""
from __future__ import annotations

import json

import pytest
import responses

from tests.unit.web.conftest import INTAKE, MONITORING
from tests.unit.web.returnee_answer import RETURNEE

NOTES = f"{INTAKE}/v1/returnees/rtn_1/notes"
NOTE = {"id": "not_1", "returnee_id": "rtn_1", "kind": "conversation", "with": ["client", "lawyer"], "mode": "phone",
        "interpreter": True, "contact_on": "2026-03-01", "written_by": "web:consultant",
        "written_at": "2026-03-01T11:00:00+00:00", "version": 1, "corrected_by": None, "corrected_at": None,
        "text": "Cliënt wil een naaiatelier beginnen."}


def returnee_page(api, returnee: dict):
    """The APIs behind rtn_1's page: intake knows `returnee`, monitoring has no case yet."""
    api.get(f"{INTAKE}/v1/returnees/rtn_1", json=returnee)
    api.get(f"{MONITORING}/v1/cases/rtn_1", status=404, json={"status": 404})
    return api


@pytest.fixture
def page(api):
    return returnee_page(api, RETURNEE)


def test_the_consultant_sees_the_newest_conversations_in_dutch_and_in_the_timeline(browser, page):
    page.get(NOTES, json={"items": [NOTE], "next_cursor": "not_1"})
    html = browser("consultant").client.get("/returnees/rtn_1").get_data(as_text=True)
    assert "Gesprekken" in html and "Cliënt wil een naaiatelier beginnen." in html
    assert "Telefonisch" in html and "Advocaat" in html and "met een tolk" in html
    assert "Corrigeren of eerdere versies bekijken" in html  # the author's link
    assert 'data-kind="note"' in html and "Oudere gesprekken" in html
    assert 'name="notes_q"' in html and 'action="/returnees/rtn_1/notes"' in html


def test_a_colleague_gets_the_note_without_the_correction_link(browser, page):
    page.get(NOTES, json={"items": [{**NOTE, "written_by": "web:someone-else"}], "next_cursor": None})
    html = browser("consultant").client.get("/returnees/rtn_1").get_data(as_text=True)
    assert "Cliënt wil een naaiatelier" in html and "Corrigeren of eerdere versies bekijken" not in html


def test_the_search_box_asks_intake_for_the_words(browser, page):
    page.get(NOTES, json={"items": [], "next_cursor": None})
    html = browser("consultant").client.get("/returnees/rtn_1?notes_q=naaiatelier").get_data(as_text=True)
    asked = [c.request for c in page.calls if c.request.url.startswith(NOTES)]
    assert "q=naaiatelier" in asked[-1].url and "Geen gesprek bevat deze woorden." in html


def test_a_project_lead_sees_no_conversations_and_intake_is_not_asked(browser, page):
    html = browser("project_lead").client.get("/returnees/rtn_1").get_data(as_text=True)
    assert "Gesprekken" not in html and 'data-kind="note"' not in html
    assert not [c for c in page.calls if "/notes" in c.request.url]
    assert browser("project_lead").client.get("/returnees/rtn_1/notes/not_1").status_code == 403


def test_writing_a_conversation_sends_the_form_as_the_apis_body(browser, page):
    page.post(NOTES, status=201, json=NOTE)
    b = browser("consultant")
    page.get(NOTES, json={"items": [], "next_cursor": None})
    b.get("/returnees/rtn_1")
    response = b.post("/returnees/rtn_1/notes", {"kind": "conversation", "contact_on": "2026-03-01", "mode": "phone",
                                                 "with": ["client", "lawyer"], "interpreter": "1",
                                                 "text": "Cliënt wil een naaiatelier beginnen."})
    assert response.status_code == 302 and response.headers["Location"] == "/returnees/rtn_1"
    sent = json.loads([c.request for c in page.calls if c.request.method == "POST"][-1].body)
    assert sent == {"kind": "conversation", "contact_on": "2026-03-01", "mode": "phone", "with": ["client", "lawyer"],
                    "interpreter": True, "text": "Cliënt wil een naaiatelier beginnen."}


def test_a_refused_conversation_comes_back_with_the_text_kept_and_the_message_in_dutch(browser, page):
    page.post(NOTES, status=422, json={"status": 422, "errors": {"contact_on": "Must not be before the registration."},
                                       "error_codes": {}})
    page.get(NOTES, json={"items": [], "next_cursor": None})
    b = browser("consultant")
    b.get("/returnees/rtn_1")
    response = b.post("/returnees/rtn_1/notes", {"kind": "contact", "contact_on": "2020-01-01", "mode": "video",
                                                 "text": "Een lange tekst die niet verloren mag gaan."})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Het gesprek kon niet worden opgeslagen" in html and "Een lange tekst die niet verloren mag gaan." in html


def test_the_author_sees_the_earlier_versions_and_corrects_the_note(browser, page):
    corrected = {**NOTE, "version": 2, "text": "Cliënt wil een kapsalon beginnen.", "corrected_by": "web:consultant",
                 "corrected_at": "2026-03-02T09:00:00+00:00",
                 "versions": [{"version": 1, "text": "Cliënt wil een naaiatelier beginnen.",
                               "written_by": "web:consultant", "written_at": "2026-03-01T11:00:00+00:00"}]}
    page.get(f"{NOTES}/not_1", json=corrected)
    page.patch(f"{NOTES}/not_1", json=corrected)
    b = browser("consultant")
    html = b.get("/returnees/rtn_1/notes/not_1").get_data(as_text=True)
    assert "Eerdere versies" in html and "naaiatelier" in html and "kapsalon" in html and "versie 2" in html
    response = b.post("/returnees/rtn_1/notes/not_1", {"text": "Cliënt wil een kapsalon beginnen."})
    assert response.status_code == 302
    patched = [c.request for c in page.calls if c.request.method == "PATCH"][-1]
    assert json.loads(patched.body) == {"text": "Cliënt wil een kapsalon beginnen."}


def test_a_colleague_opening_a_note_sees_the_current_text_only(browser, page):
    page.get(f"{NOTES}/not_1", json={**NOTE, "written_by": "web:someone-else", "version": 2})
    html = browser("consultant").client.get("/returnees/rtn_1/notes/not_1").get_data(as_text=True)
    assert "naaiatelier" in html and "Eerdere versies" not in html and "Correctie opslaan" not in html


def test_when_intake_cannot_list_the_notes_the_page_still_shows_and_says_so(browser, page):
    page.get(NOTES, body=responses.ConnectionError("down"))
    response = browser("consultant").client.get("/returnees/rtn_1")
    assert response.status_code == 200 and "De gesprekken konden nu niet worden geladen" in response.get_data(as_text=True)
