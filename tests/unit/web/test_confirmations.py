"""Irreversible actions ask first and say what happened: revoking a partner's credential, deactivating a
staff account (never the last active administrator), withdrawing all consent; and the returnee page's
answers when the API refuses a handover, in the page's language."""
from __future__ import annotations

import json

from services.web import accounts, repository
from tests.unit.web.conftest import INTAKE, MONITORING, PARTNERS, PASSWORD
from tests.unit.web.returnee_answer import RETURNEE


class TestRevokeCredential:
    def partner_page(self, api):
        api.get(f"{PARTNERS}/v1/partners/ptn_1", json={"id": "ptn_1", "name": "Lagos Desk", "countries": ["NG"]})
        api.get(f"{PARTNERS}/v1/partners/ptn_1/credentials", json={"items": [
            {"client_id": "cid_1", "created_at": "2026-01-05T09:00:00Z", "revoked_at": None}]})
        api.get(f"{PARTNERS}/v1/partners/ptn_1/webhook", status=404, json={"status": 404})
        return api.delete(f"{PARTNERS}/v1/partners/ptn_1/credentials/cid_1", status=204)

    def test_revoking_asks_first_and_says_the_partners_systems_stop_working(self, browser, api):
        revoked = self.partner_page(api)
        b = browser("admin")
        b.get("/partners/ptn_1")
        first = b.post("/partners/ptn_1/credentials/cid_1/revoke")
        page = first.get_data(as_text=True)
        assert first.status_code == 200 and revoked.call_count == 0
        assert "cid_1" in page and "Lagos Desk" in page and "systemen" in page and "stoppen met werken" in page
        assert 'name="confirm"' in page and "required" in page
        unticked = b.post("/partners/ptn_1/credentials/cid_1/revoke", {"confirming": "1"})
        assert unticked.status_code == 422 and revoked.call_count == 0  # checked on the server, not only by the browser
        done = b.post("/partners/ptn_1/credentials/cid_1/revoke", {"confirming": "1", "confirm": "yes"})
        assert done.status_code == 302 and revoked.call_count == 1
        html = b.get("/partners/ptn_1").get_data(as_text=True)
        assert "cid_1 ingetrokken" in html


class TestDeactivateAccount:
    def test_deactivating_asks_first_and_then_says_whose_account_it_was(self, browser):
        b = browser("admin")
        b.get("/staff")
        first = b.post("/staff/consultant", {"action": "deactivate"})
        assert first.status_code == 200 and "consultant" in first.get_data(as_text=True)
        assert repository.find_account("consultant").active
        assert b.post("/staff/consultant", {"action": "deactivate", "confirming": "1"}).status_code == 422
        assert repository.find_account("consultant").active
        done = b.post("/staff/consultant", {"action": "deactivate", "confirming": "1", "confirm": "yes"})
        assert done.status_code == 302 and not repository.find_account("consultant").active
        assert "Account consultant gedeactiveerd" in b.get("/staff").get_data(as_text=True)
        assert browser().sign_in("consultant").status_code != 302

    def test_the_last_active_administrator_cannot_be_deactivated(self, browser):
        b = browser("admin")
        b.get("/staff")
        page = b.post("/staff/admin", {"action": "deactivate"}).get_data(as_text=True)
        assert "laatste" in page and 'name="confirm"' not in page  # nothing to confirm: it cannot be done
        refused = b.post("/staff/admin", {"action": "deactivate", "confirming": "1", "confirm": "yes"})
        assert refused.status_code == 409 and "laatste" in refused.get_data(as_text=True)
        assert repository.find_account("admin").active
        assert b.get("/staff").status_code == 200  # still signed in

    def test_deactivating_oneself_says_one_is_signed_out_and_does_so(self, browser, web):
        accounts.create_account("second-admin", "admin", PASSWORD, web.clock.now())
        b = browser("admin")
        b.get("/staff")
        page = b.post("/staff/admin", {"action": "deactivate"}).get_data(as_text=True)
        assert "uitgelogd" in page and 'name="confirm"' in page
        done = b.post("/staff/admin", {"action": "deactivate", "confirming": "1", "confirm": "yes"})
        assert done.status_code == 302 and not repository.find_account("admin").active
        assert "/login" in b.client.get("/staff").headers["Location"]


class TestReturneePageActions:
    def returnee(self, api, **changes):
        api.get(f"{INTAKE}/v1/returnees/rtn_1", json={**RETURNEE, **changes})
        api.get(f"{MONITORING}/v1/cases/rtn_1", status=404, json={"status": 404})

    def test_without_consent_the_handover_form_is_not_offered(self, browser, api):
        self.returnee(api, consent={"share_with_partner": False, "given_on": "2026-03-01"})
        html = browser("consultant").get("/returnees/rtn_1").get_data(as_text=True)
        assert 'action="/returnees/rtn_1/handover"' not in html
        assert "consent-needed" in html and 'href="#consent"' in html
        assert 'name="withdraw"' not in html  # nothing to withdraw

    def test_a_refused_handover_is_said_in_dutch_and_the_page_shows_the_next_step(self, browser, api):
        self.returnee(api)
        api.post(f"{INTAKE}/v1/returnees/rtn_1/handover", status=409,
                 json={"type": "https://homeward.example/problems/409", "status": 409,
                       "detail": "Some English sentence from the API."})
        b = browser("consultant")
        b.get("/returnees/rtn_1")
        response = b.post("/returnees/rtn_1/handover", {"partner_id": "ptn_1"})
        html = response.get_data(as_text=True)
        assert response.status_code == 409
        assert "Some English sentence" not in html and "kon niet" in html
        assert 'action="/returnees/rtn_1/handover"' in html and "Lagos Desk" in html  # the same page as detail

    def test_withdrawing_all_consent_asks_first_and_then_says_it_was_withdrawn(self, browser, api):
        self.returnee(api, handover={"partner_id": "ptn_1", "status": "offered"}, status="handover_requested")
        put = api.put(f"{INTAKE}/v1/returnees/rtn_1/consent", json=RETURNEE)
        b = browser("consultant")
        b.get("/returnees/rtn_1")
        first = b.post("/returnees/rtn_1/consent", {"share_with_partner": "true", "given_on": "2026-03-01",
                                                    "withdraw": "1"})
        page = first.get_data(as_text=True)
        assert first.status_code == 200 and put.call_count == 0
        assert "Lagos Desk" in page and "ketenpartners" in page
        assert b.post("/returnees/rtn_1/consent", {"withdraw": "1", "confirming": "1"}).status_code == 422
        assert put.call_count == 0
        done = b.post("/returnees/rtn_1/consent", {"withdraw": "1", "confirming": "1", "confirm": "yes",
                                                   "given_on": "2026-03-01"})
        assert done.status_code == 302 and put.call_count == 1
        assert json.loads(put.calls[0].request.body) == {"share_with_partner": False,
                                                          "share_outcomes_with_chain_partners": False,
                                                          "given_on": "2026-03-01"}
        html = b.get("/returnees/rtn_1").get_data(as_text=True)
        assert "Alle toestemming ingetrokken" in html and "Toestemming vastgelegd" not in html

    def test_the_checkin_and_its_alert_show_the_partners_words_and_amounts_in_the_pages_locale(self, browser, api):
        api.get(f"{INTAKE}/v1/returnees/rtn_1", json={**RETURNEE, "status": "arrived"})
        api.get(f"{MONITORING}/v1/cases/rtn_1", json={
            "checkins": [{"id": "chk_1", "recorded_at": "2026-04-02T10:00:00+00:00", "slot": 1,
                          "contact_made": True, "contact_mode": "in_person", "status": "unreachable",
                          "scores": {"economic": 2}, "index": 0.25, "safety_concern": True,
                          "notes": "<script>alert(1)</script> bang", "support_delivered": [
                              {"type": "housing", "amount_eur": 300, "delivered_on": "2026-04-01"},
                              {"type": "business", "amount_eur": 800, "amount": 7_500_000, "currency": "GNF"},
                              {"type": "medical", "amount_eur": 50, "amount": 50, "currency": "EUR"}]}],
            "alerts": [{"id": "alr_1", "type": "safety_concern", "status": "open", "checkin_id": "chk_1",
                        "raised_at": "2026-04-02T10:00:01+00:00", "acknowledged_at": None, "resolved_at": None}],
            "slots": []})
        html = browser("consultant").get("/returnees/rtn_1?lang=en").get_data(as_text=True)
        assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt; bang" in html
        assert "€300.00" in html and "In person" in html and "Unreachable" in html
        assert html.count('class="paid"') == 1 and "€800.00</span> <span class=\"paid\">(paid GNF7,500,000)</span>" in html
        dutch = browser("consultant").get("/returnees/rtn_1?lang=nl").get_data(as_text=True)
        assert "(betaald: GNF\xa07.500.000)" in dutch
        assert 'action="/alerts/alr_1/resolve"' in html and 'value="/returnees/rtn_1"' in html
