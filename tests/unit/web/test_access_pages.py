"""Need-to-know in the staff app (issue 20): another client's file asks for a reason in Dutch before it opens and then
carries it to intake; an administrator sets a consultant's offices, team and cover, which the APIs' tokens carry; the
glass breaks are listed for administrators only."""
from __future__ import annotations

import json

import jwt
import pytest

from services.web import accounts
from tests.unit.web.conftest import INTAKE, MONITORING, PASSWORD
from tests.unit.web.returnee_answer import RETURNEE

REFUSED = {"type": "https://homeward.example/problems/access-reason-required", "status": 403,
           "detail": "This client is not in your caseload", "errors": {"X-Access-Reason": "Give the reason"},
           "error_codes": {"X-Access-Reason": "access_reason_required"}}
OFFICES = {"regions": [{"id": "west", "name": "West-Nederland", "offices": [{"id": "haarlem", "name": "Haarlem"}]},
                       {"id": "midden", "name": "Midden-Nederland", "offices": [{"id": "utrecht", "name": "Utrecht"}]}]}


@pytest.fixture
def guarded(api):
    """Intake refuses rtn_1's file without a reason and answers it with one; what each call carried is kept."""
    asked = []

    def answer(request):
        asked.append(request.headers.get("X-Access-Reason"))
        if request.headers.get("X-Access-Reason"):
            return 200, {"Content-Type": "application/json"}, json.dumps(RETURNEE)
        return 403, {"Content-Type": "application/problem+json"}, json.dumps(REFUSED)

    api.add_callback("GET", f"{INTAKE}/v1/returnees/rtn_1", callback=answer)
    api.get(f"{INTAKE}/v1/returnees/rtn_1/notes", json={"items": [], "next_cursor": None})
    api.get(f"{MONITORING}/v1/cases/rtn_1", status=404, json={"status": 404})
    return asked


def claims_of(call) -> dict:
    token = call.request.headers["Authorization"].removeprefix("Bearer ")
    return jwt.decode(token, options={"verify_signature": False})


class TestBreakingTheGlass:
    def test_another_clients_file_asks_why_in_dutch_then_opens_with_the_reason(self, browser, guarded):
        consultant = browser("consultant")
        asking = consultant.get("/returnees/rtn_1")
        html = asking.get_data(as_text=True)
        assert asking.status_code == 403 and "Waarom opent u dit dossier?" in html
        assert 'action="/returnees/rtn_1/access"' in html and 'name="reason"' in html and "Amina" not in html
        given = consultant.post("/returnees/rtn_1/access", {"reason": "Collega Bram is ziek", "next": "/returnees/rtn_1"})
        assert given.status_code == 302 and given.headers["Location"].endswith("/returnees/rtn_1")
        opened = consultant.get("/returnees/rtn_1")
        assert opened.status_code == 200 and "Amina" in opened.get_data(as_text=True)
        assert guarded[0] is None and guarded[-1] == "Collega Bram is ziek"

    def test_the_reason_reaches_monitorings_case_too(self, browser, guarded, api):
        consultant = browser("consultant")
        consultant.get("/returnees/rtn_1")
        consultant.post("/returnees/rtn_1/access", {"reason": "Invallen voor Bram", "next": "/returnees/rtn_1"})
        consultant.get("/returnees/rtn_1")
        cases = [c.request for c in api.calls if c.request.url.startswith(f"{MONITORING}/v1/cases/rtn_1")]
        assert cases and cases[-1].headers.get("X-Access-Reason") == "Invallen voor Bram"

    def test_a_blank_reason_is_asked_again(self, browser, guarded):
        consultant = browser("consultant")
        consultant.get("/returnees/rtn_1")
        again = consultant.post("/returnees/rtn_1/access", {"reason": "   ", "next": "/returnees/rtn_1"})
        assert again.status_code == 422 and "Geef een reden van hoogstens 500 tekens." in again.get_data(as_text=True)

    def test_the_reason_stays_with_its_session_and_its_client(self, browser, guarded, app):
        first = browser("consultant")
        first.get("/returnees/rtn_1")
        first.post("/returnees/rtn_1/access", {"reason": "Invallen", "next": "/returnees/rtn_1"})
        other = browser("consultant")  # another session of the same person: asked again
        assert other.get("/returnees/rtn_1").status_code == 403


class TestWhoSeesWhom:
    def test_an_administrator_sets_offices_team_and_cover_and_the_tokens_carry_them(self, browser, api, web):
        now = web.clock.now()
        for name in ("bram", "carla"):
            accounts.create_account(name, "consultant", PASSWORD, now)
        api.get(f"{INTAKE}/v1/offices", json=OFFICES)
        admin = browser("admin")
        form = admin.get("/staff/consultant/access").get_data(as_text=True)
        assert "Kantoren" in form and "Haarlem" in form and 'value="bram"' in form
        saved = admin.post("/staff/consultant/access", {"offices": ["haarlem", "utrecht"], "team": "West 2",
                                                       "covers_for": ["bram"]})
        assert saved.status_code == 302
        admin.post("/staff/carla/access", {"team": "west 2"})
        assert admin.post("/staff/consultant/access", {"offices": ["atlantis"]}).status_code == 422
        listed = api.get(f"{INTAKE}/v1/returnees", json={"items": [], "next_cursor": None})
        browser("consultant").get("/returnees")
        claims = claims_of(listed.calls[-1])
        assert claims["offices"] == ["haarlem", "utrecht"] and claims["caseload"] == ["web:bram", "web:carla"]
        assert "haarlem, utrecht" in admin.get("/staff").get_data(as_text=True)

    def test_a_consultant_may_not_set_access(self, browser):
        assert browser("consultant").get("/staff/consultant/access").status_code == 403


class TestTheGlassBreaksPage:
    def test_administrators_see_who_opened_which_file_and_why(self, browser, api):
        api.get(f"{INTAKE}/v1/access/glass-breaks", json={"items": [{
            "id": "01JBREAK", "at": "2026-03-02T09:00:00+00:00", "last_at": "2026-03-02T09:05:00+00:00",
            "who": "web:anna", "role": "consultant", "returnee_id": "rtn_1", "reason": "Collega Bram is ziek",
            "path": "/v1/returnees/rtn_1", "requests": 3}], "next_cursor": None})
        api.get(f"{MONITORING}/v1/access/glass-breaks", json={"items": [{
            "id": "01JCASE", "at": "2026-03-03T09:00:00+00:00", "last_at": "2026-03-03T09:00:00+00:00",
            "who": "web:anna", "role": "consultant", "returnee_id": "rtn_2", "reason": "Bel namens Bram",
            "path": "/v1/cases/rtn_2", "requests": 1}], "next_cursor": "01JOLDER"})
        html = browser("admin").get("/admin/glass-breaks").get_data(as_text=True)
        assert "Dossiers geopend met een reden" in html and "anna" in html and "Collega Bram is ziek" in html
        assert "rtn_1" in html and "Tijden in de tijdzone" in html
        cases = html.split('id="monitoring-cases"')[1]
        assert "Bel namens Bram" in cases and "rtn_2" in cases and "case_cursor=01JOLDER" in cases
        assert "Collega Bram is ziek" not in cases
        assert browser("consultant").get("/admin/glass-breaks").status_code == 403
