"""The administrators' pages: a new credential's secret shown once, a partner's webhook panel (the pause, the
attempts newest first, sending again), new staff accounts, and a partner form's errors at their fields."""
from __future__ import annotations

from tests.unit.web.conftest import PARTNERS
from tests.unit.web.webhook_answer import webhook_page


class TestAdmin:
    def test_a_new_credential_secret_is_shown_once(self, browser, api):
        api.post(f"{PARTNERS}/v1/partners/ptn_1/credentials", status=201,
                 json={"client_id": "cid_1", "client_secret": "s3cret-shown-once"})
        b = browser("admin")
        b.get("/staff")
        page = b.post("/partners/ptn_1/credentials").get_data(as_text=True)
        assert "s3cret-shown-once" in page and "maar één keer" in page

    def test_the_webhook_panel_shows_a_pause_the_attempts_newest_first_and_what_can_be_sent_again(
            self, browser, api):
        webhook_page(api)
        html = browser("admin").get("/partners/ptn_1").get_data(as_text=True)
        assert "gepauzeerd sinds" in html and "Weer versturen" in html and "Alle mislukte berichten" in html
        assert html.index("msg_new") < html.index("msg_old")  # newest first
        assert 'action="/partners/ptn_1/deliveries/msg_new/replay"' in html
        assert 'action="/partners/ptn_1/deliveries/msg_old/replay"' not in html  # delivered: nothing to resend
        assert "HTTP-status 503" in html and ">Mislukt<" in html and ">Afgeleverd<" in html

    def test_resume_and_send_all_failed_again_call_the_partners_api(self, browser, api):
        webhook_page(api)
        resumed = api.post(f"{PARTNERS}/v1/partners/ptn_1/webhook/resume", json={"messages_due": 3})
        replayed = api.post(f"{PARTNERS}/v1/partners/ptn_1/webhook/deliveries/replay", status=202,
                            json={"replayed": 2})
        b = browser("admin")
        b.get("/partners/ptn_1")
        answer = b.post("/partners/ptn_1/webhook/resume")
        assert answer.status_code == 302 and answer.headers["Location"].endswith("/partners/ptn_1")
        assert b.post("/partners/ptn_1/deliveries/replay").status_code == 302
        assert resumed.call_count == 1 and replayed.call_count == 1
        html = b.get("/partners/ptn_1").get_data(as_text=True)
        assert "3 wachtende berichten" in html and "2 mislukte berichten" in html

    def test_a_message_that_cannot_be_sent_again_is_said_not_an_error_page(self, browser, api):
        webhook_page(api, status="active")
        api.post(f"{PARTNERS}/v1/partners/ptn_1/webhook/deliveries/msg_new/replay", status=409,
                 json={"status": 409, "detail": "pending"})
        b = browser("admin")
        b.get("/partners/ptn_1")
        assert b.post("/partners/ptn_1/deliveries/msg_new/replay").status_code == 302
        html = b.get("/partners/ptn_1").get_data(as_text=True)
        assert "kan nu niet opnieuw" in html and "gepauzeerd" not in html and "verstuurt" in html

    def test_admins_add_staff_accounts_and_bad_fields_are_named(self, browser):
        b = browser("admin")
        b.get("/staff")
        bad = b.post("/staff", {"username": "X!", "role": "consultant", "password": "short"})
        assert bad.status_code == 422 and 'id="username-error"' in bad.get_data(as_text=True)
        assert b.post("/staff", {"username": "new.person", "role": "consultant", "email": "new.person@example.org",
                                 "password": "long enough password"}).status_code == 302
        assert browser().sign_in("new.person", "long enough password").status_code == 302

    def test_a_partner_form_error_from_the_api_lands_at_its_field(self, browser, api):
        api.post(f"{PARTNERS}/v1/partners", status=422, json={"status": 422, "errors": {
            "countries.0": "Not an ISO 3166-1 alpha-2 country code."}, "error_codes": {"countries.0": "invalid_country"}})
        b = browser("admin")
        b.get("/staff")
        html = b.post("/partners", {"name": "X", "countries": "Nowhere"}).get_data(as_text=True)
        assert "Geen landcode" in html
