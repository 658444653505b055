"""The staff notifications: who follows a returnee, who hears what, as each chose, once, without names."""
from __future__ import annotations

import re

import pytest

from services.web import accounts
from services.web.notifications import Notifications
from services.web.notifications.handlers import HANDLERS
from shared.events import new_event
from shared.kafka import dispatcher
from shared.mail.smtp import AbstractTransport
from shared.mail.texts import STAFF_KINDS

RTN = "rtn_01M8C64B0WCN70XCSRKNMQBNB7"
CANARY = "Wxyzabc Canarynameson"


class Recording(AbstractTransport):
    def __init__(self):
        self.messages = []

    def send(self, message):
        self.messages.append(message)


@pytest.fixture
def staff(web):
    transport = Recording()
    settings = web.settings.with_(mail_teams=(("utrecht", "team.utrecht@example.org"),))
    notifications = Notifications(settings, web.clock, transport=transport)
    accounts.create_account("anna", "consultant", None, web.clock.now(), email="anna@example.org")
    dispatch = dispatcher(HANDLERS, notifications.deps)

    def deliver(type_, source, **data):
        event = new_event(source, type_, RTN, {"returnee_id": RTN, **data}, web.clock.now())
        dispatch(event)
        return event

    deliver("returnee.registered.v1", "intake", country_of_return="ET", registered_on="2026-03-01",
            trajectory="return", office="utrecht", office_region="midden", consultant="web:anna")
    return notifications, transport, deliver, dispatch


def sent(notifications, transport) -> dict:
    notifications.sender.tick()
    return {m["To"]: m for m in transport.messages}


def text_of(message) -> str:
    return message.as_string() + "".join(part.get_content() for part in message.iter_parts())


def alert(deliver, kind="safety_concern"):
    return deliver("alert.raised.v1", "monitoring", country="ET", partner_id="prt_1", alert_id="alr_1", type=kind,
                   detail=f"Reported by {CANARY}", summary={"next_due_on": None, "latest_index": 2.0,
                                                            "open_alerts": 1, "state": "active"})


def test_a_safety_concern_mails_the_following_consultant_and_the_office_team_once(staff, web):
    notifications, transport, deliver, dispatch = staff
    event = alert(deliver)
    dispatch(event)  # redelivered: nothing twice
    mails = sent(notifications, transport)
    assert set(mails) == {"anna@example.org", "team.utrecht@example.org"}
    mail = mails["anna@example.org"]
    assert mail["Subject"] == "Veiligheidszorg gemeld" and "Ethiopië" in text_of(mail)
    assert f"http://127.0.0.1:8000/returnees/{RTN}" in text_of(mail)
    assert mail["List-Unsubscribe"] == "<http://127.0.0.1:8000/account/mail>"  # the account's mail settings
    assert "ook om ze te stoppen): http://127.0.0.1:8000/account/mail" in text_of(mail)
    assert mails["team.utrecht@example.org"]["List-Unsubscribe"] is None  # a setting, no page of its own
    assert CANARY not in text_of(mail) and len(transport.messages) == 2


def test_a_safety_concern_cannot_be_turned_off_but_others_can(staff, web):
    notifications, transport, deliver, _ = staff
    with pytest.raises(accounts.AccountError) as refused:
        accounts.set_mail_settings("anna", "anna@example.org", "en", {"safety_concern": "none"})
    assert refused.value.field == "preferences.safety_concern"
    accounts.set_mail_settings("anna", "anna@example.org", "en", {"critical_domain": "none"})
    alert(deliver, "critical_domain")
    alert(deliver, "safety_concern")
    to_anna = [m for m in (sent(notifications, transport) and transport.messages) if m["To"] == "anna@example.org"]
    assert [m["Subject"] for m in to_anna] == ["Safety concern reported"]  # in English now, the other one off


def test_overdue_check_ins_come_in_the_daily_digest(staff, web):
    notifications, transport, deliver, _ = staff
    alert(deliver, "checkin_overdue")
    assert sent(notifications, transport) == {}
    assert notifications.sender.digest() == 2  # the consultant's and the team's
    mails = sent(notifications, transport)
    assert mails["anna@example.org"]["Subject"] == "Dagelijks overzicht: 1 meldingen"
    assert "Check-in te laat" in text_of(mails["anna@example.org"])


@pytest.mark.parametrize("type_,subject", [("handover.declined.v1", "Overdracht geweigerd"),
                                           ("handover.expired.v1", "Overdrachtsaanbod verlopen")])
def test_a_declined_or_expired_handover_is_told(staff, type_, subject):
    notifications, transport, deliver, _ = staff
    deliver(type_, "partners", handover_id="hnd_1", partner_id="prt_1", reason="no_capacity",
            detail=f"We cannot help {CANARY}", alternatives=[])
    mail = sent(notifications, transport)["anna@example.org"]
    assert mail["Subject"] == subject and "Ethiopië" in text_of(mail) and CANARY not in text_of(mail)


def test_another_consultant_follows_after_an_update_and_erasure_forgets(staff, web):
    notifications, transport, deliver, _ = staff
    accounts.create_account("bram", "consultant", None, web.clock.now(), email="bram@example.org")
    deliver("returnee.updated.v1", "intake", changed=["consultant", "office"], consultant="web:bram", office=None,
            office_region=None)
    alert(deliver)
    assert set(sent(notifications, transport)) == {"bram@example.org"}
    transport.messages.clear()
    deliver("returnee.erased.v1", "intake")
    alert(deliver, "lost_contact")
    assert sent(notifications, transport) == {}


def test_alerts_that_are_not_mailed_and_unknown_consultants_queue_nothing(staff, web):
    notifications, transport, deliver, _ = staff
    alert(deliver, "index_drop")
    deliver("returnee.updated.v1", "intake", changed=["consultant"], consultant="dev-consultant")
    alert(deliver, "deceased")
    mails = sent(notifications, transport)
    assert list(mails) == ["team.utrecht@example.org"]  # the office's team still hears of it
    assert mails["team.utrecht@example.org"]["Subject"] == "Gemeld als overleden"


def test_the_kinds_staff_hear_of_are_the_ones_the_texts_have():
    from services.web.notifications.rules import ALERT_KINDS, DEFAULTS, HANDOVER_KINDS

    assert set(ALERT_KINDS) | set(HANDOVER_KINDS.values()) == set(STAFF_KINDS) == set(DEFAULTS)


def test_a_mail_carries_a_one_click_unsubscribe_that_turns_only_its_kind_off(staff, web, app):
    notifications, transport, deliver, _ = staff
    accounts.set_mail_settings("anna", "anna@example.org", "en", {})
    alert(deliver, "critical_domain")
    mail = sent(notifications, transport)["anna@example.org"]
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert {m.one_click for m in notifications.mails.record.objects(state="sent")} == {""}  # not kept once sent
    link = mail["List-Unsubscribe"].strip("<>")
    assert link.startswith("http://127.0.0.1:8000/mail/unsubscribe?u=anna&k=critical_domain&t=")
    path = link.removeprefix("http://127.0.0.1:8000")
    client = app.test_client()  # no session, no CSRF token: a mail program's POST (RFC 8058)
    asked = client.get(path)  # following the link (or a mail scanner) changes nothing, it asks
    assert asked.status_code == 200 and "Stop mails about: A critical score in a check-in?" in asked.get_data(True)
    assert accounts.account("anna").mail_preferences["critical_domain"] == "immediate"
    done = client.post(path, data={"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200 and "You no longer get mails about" in done.get_data(as_text=True)
    prefs = accounts.account("anna").mail_preferences
    assert prefs["critical_domain"] == "none" and prefs["lost_contact"] == "immediate"
    for forged in (path.replace("k=critical_domain", "k=lost_contact"), path.replace("u=anna", "u=bert"),
                   re.sub(r"t=\w{4}", "t=0000", path), path.replace("k=critical_domain", "k=safety_concern")):
        assert client.post(forged).status_code == 404, forged
    assert accounts.account("anna").mail_preferences["lost_contact"] == "immediate"


def test_a_safety_concern_has_no_one_click_link_only_the_settings_page(staff, web):
    notifications, transport, deliver, _ = staff
    alert(deliver, "safety_concern")
    mail = sent(notifications, transport)["anna@example.org"]
    assert mail["List-Unsubscribe"] == "<http://127.0.0.1:8000/account/mail>"
    assert mail["List-Unsubscribe-Post"] is None
