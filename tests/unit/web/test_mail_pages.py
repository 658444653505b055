"""The staff's mail pages: one's own settings (Dutch by default, safety concerns fixed) and the admin's log."""
from __future__ import annotations

import responses

from services.web import accounts
from tests.unit.web.conftest import PARTNERS

FORM = {"email": "consultant@example.org", "mail_language": "nl", "preferences.critical_domain": "digest",
        "preferences.lost_contact": "none", "preferences.handover_declined": "immediate",
        "preferences.handover_expired": "immediate", "preferences.re_migrated": "immediate",
        "preferences.deceased": "immediate", "preferences.checkin_overdue": "immediate"}


def test_the_settings_page_shows_the_safety_concern_fixed_and_saves_the_rest(browser):
    consultant = browser("consultant")
    page = consultant.get("/account/mail").get_data(as_text=True)
    assert "Mailinstellingen" in page and "Altijd direct: dit kunt u niet uitzetten." in page
    assert 'name="preferences.safety_concern"' not in page  # nothing to choose
    assert 'id="f-checkin_overdue-digest" name="preferences.checkin_overdue" value="digest" checked' in page
    saved = consultant.post("/account/mail", FORM)
    assert saved.status_code == 302
    account = accounts.account("consultant")
    assert account.email == "consultant@example.org" and account.mail_preferences["lost_contact"] == "none"
    assert account.mail_preferences["safety_concern"] == "immediate"


def test_turning_off_safety_concerns_or_a_bad_address_is_refused_at_the_field(browser):
    consultant = browser("consultant")
    refused = consultant.post("/account/mail", {**FORM, "preferences.safety_concern": "none"})
    body = refused.get_data(as_text=True)
    assert refused.status_code == 422 and "Een veiligheidszorg komt altijd direct" in body
    refused = consultant.post("/account/mail", {**FORM, "email": "not an address"}, headers={"Accept-Language": "en"})
    assert refused.status_code == 422 and "Geen e-mailadres." in refused.get_data(as_text=True)
    assert accounts.account("consultant").email == ""  # nothing stored


def test_new_staff_accounts_need_an_address(browser):
    admin = browser("admin")
    answer = admin.post("/staff", {"username": "nieuw", "role": "consultant", "password": "a long enough password"})
    assert answer.status_code == 422 and "Vul een e-mailadres in." in answer.get_data(as_text=True)
    answer = admin.post("/staff", {"username": "nieuw", "role": "consultant", "password": "a long enough password",
                                   "email": "nieuw@example.org"})
    assert answer.status_code == 302 and accounts.account("nieuw").email == "nieuw@example.org"


def test_the_mail_log_is_for_administrators_and_shows_no_texts(browser, web, api):
    from services.web.notifications.handlers import HANDLERS
    from shared.events import new_event
    from shared.kafka import dispatcher

    accounts.set_mail_settings("consultant", "consultant@example.org", "nl", {})
    dispatch = dispatcher(HANDLERS, web.notifications.deps)
    rtn = "rtn_01M8C64B0WCN70XCSRKNMQBNB7"
    dispatch(new_event("intake", "returnee.registered.v1", rtn, {"returnee_id": rtn, "country_of_return": "NG",
                                                                 "consultant": "web:consultant"}, web.clock.now()))
    dispatch(new_event("monitoring", "alert.raised.v1", rtn, {"returnee_id": rtn, "country": "NG",
                                                              "type": "safety_concern"}, web.clock.now()))
    web.notifications.sender.collect()
    api.add(responses.GET, f"{PARTNERS}/v1/mail-deliveries", json={"items": [
        {"id": "mail_1", "to": "fw@partner.example", "kind": "offer_new", "lang": "fr", "state": "failed",
         "attempts": 6, "created_at": "2026-03-01T09:00:00+00:00", "sent_at": None,
         "last_error": "SMTPRecipientsRefused"}], "next_cursor": None})
    page = browser("admin").get("/staff/mail").get_data(as_text=True)
    staff = page.split('id="staff-mail"')[1].split("</table>")[0]
    assert "consultant@example.org" in staff and "safety_concern" in staff and 'data-state="pending"' in staff
    assert "Veiligheidszorg" not in page  # the subject is a text: not shown
    assert "fw@partner.example" in page.split('id="partner-mail"')[1] and "SMTPRecipientsRefused" in page
    assert browser("consultant").get("/staff/mail").status_code == 403
