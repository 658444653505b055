"""Mail to a partner's people: who hears what, as each chose, in their language, without the returnee."""
from __future__ import annotations

from datetime import timedelta

import pytest

from services.partners.handlers import (offer_handover, remind_partner, tell_checkin_overdue,
                                        warn_expiring_offers)
from services.partners.documents import Mail
from shared.events import new_event
from shared.mail.smtp import AbstractTransport
from shared.mail.texts import PARTNER_KINDS
from tests.unit.partners.people_setup import People
from services.partners.api import create_app
from services.partners.bootstrap import PartnersService

CANARY = "Zyxwvu Canarynameson"


class Recording(AbstractTransport):
    def __init__(self):
        self.messages = []

    def send(self, message):
        self.messages.append(message)


@pytest.fixture
def team(build, auth, clock):
    transport = Recording()
    service = build(PartnersService, "partners", mail_transport=transport)
    people = People(create_app(service=service).test_client(), service, auth, clock)
    worker = people.person(people.own, "amina.field")
    coordinator = people.person(people.own, "kofi.coord", role="coordinator")
    people.create(people.other, "other.worker")  # another organisation hears nothing of this one's offers
    return people, transport, worker, coordinator


def offer(people, handover_id="hnd_01M8C64B0WCN70XCSRKNMQBNB7"):
    offer_handover(people.service.deps, new_event("intake", "returnee.handover_requested.v1", "rtn_1", {
        "returnee_id": "rtn_1", "handover_id": handover_id, "partner_id": people.own, "country_of_return": "NG",
        "personal": {"given_name": CANARY, "family_name": CANARY}, "notes": CANARY}, people.clock.now()))
    return handover_id


def sent(people, transport):
    people.service.mail_sender.tick()
    return {m["To"]: m for m in transport.messages}


def all_text(message) -> str:
    return message.as_string() + "".join(part.get_content() for part in message.iter_parts())


def test_a_new_offer_mails_the_organisations_field_worker_and_coordinator_once(team):
    people, transport, worker, coordinator = team
    handover_id = offer(people)
    offer(people)  # redelivered: no second offer, no second mail
    mails = sent(people, transport)
    assert set(mails) == {"amina.field@partner.example", "kofi.coord@partner.example"}
    mail = mails["amina.field@partner.example"]
    assert mail["Subject"] == "New handover offer" and "Nigeria" in all_text(mail)
    assert f"http://127.0.0.1:8004/offers/{handover_id}" in all_text(mail)
    assert mail["List-Unsubscribe"] == "<http://127.0.0.1:8004/settings>"  # the person's mail settings
    assert "settings (or to stop them): http://127.0.0.1:8004/settings" in all_text(mail)
    assert CANARY not in all_text(mail)
    assert sent(people, transport).keys() == mails.keys() and len(transport.messages) == 2


def test_a_person_who_chose_none_gets_nothing_and_french_comes_in_french(team):
    people, transport, worker, coordinator = team
    answer = people.client.put("/v1/partner-users/me/mail-settings", headers=people.headers("kofi.coord"),
                               json={"preferences": {"offer_new": "none"}})
    assert answer.status_code == 200 and answer.json["mail_preferences"]["offer_new"] == "none"
    assert answer.json["mail_preferences"]["checkin_due_soon"] == "immediate"
    answer = people.client.put("/v1/partner-users/me/mail-settings", headers=people.headers("amina.field"),
                               json={"language": "fr"})
    assert answer.status_code == 200 and answer.json["language"] == "fr"
    offer(people)
    mails = sent(people, transport)
    assert list(mails) == ["amina.field@partner.example"]
    assert mails["amina.field@partner.example"]["Subject"] == "Nouvelle offre de transfert"


@pytest.mark.parametrize("body", [{"preferences": {"offer_new": "sometimes"}}, {"preferences": {"gossip": "none"}},
                                  {"email": "not an address"}, {"language": "de"}])
def test_mail_settings_refuse_what_is_not_a_choice(team, body):
    people = team[0]
    answer = people.client.put("/v1/partner-users/me/mail-settings", headers=people.headers("amina.field"), json=body)
    assert answer.status_code == 422 and answer.content_type == "application/problem+json"


def test_a_new_person_needs_a_valid_address(team):
    people = team[0]
    for body in ({"email": None}, {"email": "nope"}):
        answer = people.client.post(f"/v1/partners/{people.own}/users", headers=people.admin, json={
            "username": "no.mail", "display_name": "No mail", "role": "field_worker", **body})
        assert answer.status_code == 422 and "email" in answer.json["errors"]


def test_digest_choosers_get_one_summary(team):
    people, transport, worker, coordinator = team
    people.client.put("/v1/partner-users/me/mail-settings", headers=people.headers("amina.field"),
                      json={"preferences": {"offer_new": "digest"}})
    offer(people, "hnd_01M8C64B0WCN70XCSRKNMQBNB7"), offer(people, "hnd_01M8C64B0WCN70XCSRKNMQBNB8")
    assert set(sent(people, transport)) == {"kofi.coord@partner.example"}
    assert people.service.mail_sender.digest() == 1
    digest = sent(people, transport)["amina.field@partner.example"]
    assert digest["Subject"] == "Daily summary: 2 notifications" and CANARY not in all_text(digest)


def test_an_offer_about_to_expire_is_told_once(team):
    people, transport, *_ = team
    offer(people)
    sent(people, transport)
    transport.messages.clear()
    deps, days = people.service.deps, people.service.offer_expiry_days
    assert warn_expiring_offers(deps, days) == 0  # just offered
    people.clock.advance(days=days - 2)
    assert warn_expiring_offers(deps, days) == 1 and warn_expiring_offers(deps, days) == 0
    mails = sent(people, transport)
    assert mails["amina.field@partner.example"]["Subject"] == "Handover offer expires soon"
    expires = (people.clock.now() + timedelta(days=2)).strftime("%B")
    assert expires in all_text(mails["amina.field@partner.example"]) and len(transport.messages) == 2


def arrive(people, handover_id):
    from tests.unit.partners.stored import Handover

    Handover.objects(id=handover_id).update_one(set__status="arrived")


def test_a_check_in_due_soon_and_one_overdue_reach_the_following_partners_people(team):
    people, transport, *_ = team
    handover_id = offer(people)
    arrive(people, handover_id)
    sent(people, transport)
    transport.messages.clear()
    reminder = new_event("monitoring", "checkin.reminder_due.v1", "rtn_1", {
        "returnee_id": "rtn_1", "partner_id": people.own, "country": "NG", "slot": 3, "due_on": "2026-06-01",
        "summary": {}}, people.clock.now())
    remind_partner(people.service.deps, reminder)
    remind_partner(people.service.deps, reminder)  # redelivered: once
    assert {m["Subject"] for m in sent(people, transport).values()} == {"Check-in due soon"}
    assert len(transport.messages) == 2 and "June 1, 2026" in all_text(transport.messages[0])
    transport.messages.clear()
    for kind in ("index_drop", "checkin_overdue"):
        tell_checkin_overdue(people.service.deps, new_event("monitoring", "alert.raised.v1", "rtn_1", {
            "returnee_id": "rtn_1", "partner_id": people.own, "country": "NG", "type": kind, "alert_id": "alr_1",
            "detail": CANARY, "summary": {}}, people.clock.now()))
    mails = sent(people, transport)
    assert {m["Subject"] for m in mails.values()} == {"Check-in overdue"} and len(transport.messages) == 2
    assert CANARY not in "".join(all_text(m) for m in transport.messages)


def test_the_delivery_log_shows_who_and_when_to_administrators_only(team):
    people, transport, *_ = team
    offer(people)
    sent(people, transport)
    log = people.client.get("/v1/mail-deliveries", headers=people.admin)
    assert log.status_code == 200
    rows = log.json["items"]
    assert {r["to"] for r in rows} == {"amina.field@partner.example", "kofi.coord@partner.example"}
    assert {(r["kind"], r["state"], r["attempts"]) for r in rows} == {("offer_new", "sent", 1)}
    assert all(r["sent_at"] and "text" not in r and "subject" not in r for r in rows)
    assert Mail.objects(text__ne="").count() == 0  # sent: the texts are gone from the store
    assert people.client.get("/v1/mail-deliveries", headers=people.headers("amina.field")).status_code == 403
    assert set(PARTNER_KINDS) >= {r["kind"] for r in rows}
