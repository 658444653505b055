"""What else sends a partner a webhook message: withdrawn consent, an exit (which also forgets the personal
data), a departure, a check-in falling due soon; each once, however often its event is redelivered."""
from __future__ import annotations

import json

from ulid import ULID

from services.partners.handlers import apply_consent_change, record_departure, withdraw_for_exit
from shared.events import new_event
from tests.unit.partners.stored import Handover, stored_handover
from tests.unit.partners.webhook_setup import HOOK, mocked_responses, partners  # noqa: F401 - fixtures

__all__ = ["mocked_responses", "partners"]


class TestWhatElseNotifiesThePartner:
    def test_withdrawn_consent_sends_handover_withdrawn_once(self, partners, mocked_responses, clock):
        partners.set_webhook()
        mocked_responses.post(HOOK, status=200)
        partners.offer()
        withdrawn = new_event("intake", "returnee.consent_changed.v1", "rtn_1",
                              {"returnee_id": "rtn_1", "share_with_partner": False}, clock.now())
        apply_consent_change(partners.service.deps, withdrawn)
        apply_consent_change(partners.service.deps, withdrawn)  # redelivered
        assert partners.tick() == 2
        bodies = [json.loads(c.request.body) for c in mocked_responses.calls]
        assert [b["type"] for b in bodies] == ["handover.offered", "handover.withdrawn"]
        assert bodies[1]["data"] == {"handover_id": "hnd_1", "returnee_id": "rtn_1"}

    def test_an_exit_withdraws_the_offered_and_accepted_handovers_once_and_forgets_personal_data(
            self, partners, mocked_responses, clock, auth):
        partners.set_webhook()
        mocked_responses.post(HOOK, status=200)
        hnd = {n: f"hnd_{ULID()}" for n in (1, 2, 3)}
        rtn = {n: f"rtn_{ULID()}" for n in (1, 2, 3)}
        partners.offer(hnd[1], rtn[1], personal={"given_name": "Amaka"})
        partners.offer(hnd[2], rtn[2], personal={"given_name": "Chidi"})
        partners.offer(hnd[3], rtn[3], country="ET")  # declined at once: not served
        accepted = partners.client.post(f"/v1/handovers/{hnd[2]}/accept", headers=auth("partner", org=partners.org))
        assert accepted.status_code == 200, accepted.json
        assert stored_handover(hnd[1]).get("personal") and stored_handover(hnd[2]).get("personal")
        for rid in rtn.values():
            exited = new_event("intake", "returnee.exited.v1", rid, {"returnee_id": rid, "reason": "irregular",
                                                                      "exited_on": "2026-03-01"}, clock.now())
            withdraw_for_exit(partners.service.deps, exited)
            withdraw_for_exit(partners.service.deps, exited)  # redelivered
        assert [stored_handover(hnd[n])["status"] for n in (1, 2, 3)] == ["withdrawn", "withdrawn", "declined"]
        assert not stored_handover(hnd[1]).get("personal") and not stored_handover(hnd[2]).get("personal")
        partners.tick()
        withdrawn = [json.loads(c.request.body)["data"] for c in mocked_responses.calls
                     if json.loads(c.request.body)["type"] == "handover.withdrawn"]
        assert sorted(d["handover_id"] for d in withdrawn) == sorted([hnd[1], hnd[2]])
        seen = partners.client.get(f"/v1/handovers/{hnd[2]}", headers=auth("partner", org=partners.org))
        assert seen.status_code == 200 and seen.json["status"] == "withdrawn"

    def test_a_departure_sends_returnee_departed(self, partners, mocked_responses, clock):
        partners.offer()
        partners.set_webhook()
        mocked_responses.post(HOOK, status=200)
        record_departure(partners.service.deps, new_event("intake", "returnee.departed.v1", "rtn_1", {
            "returnee_id": "rtn_1", "departed_on": "2026-03-01"}, clock.now()))
        assert partners.tick() == 1
        (call,) = mocked_responses.calls
        assert json.loads(call.request.body)["type"] == "returnee.departed"
        departed = stored_handover("hnd_1")["departed_on"]
        assert departed.date().isoformat() == "2026-03-01"

    def test_a_check_in_falling_due_soon_sends_checkin_due_soon_once(self, partners, mocked_responses, clock):
        from services.partners.handlers import remind_partner

        partners.offer()
        Handover.objects(id="hnd_1").update_one(set__status="arrived")
        partners.set_webhook()
        mocked_responses.post(HOOK, status=200)
        reminder = new_event("monitoring", "checkin.reminder_due.v1", "rtn_1", {
            "returnee_id": "rtn_1", "partner_id": partners.org, "slot": 3, "due_on": "2026-06-01",
            "summary": {}}, clock.now())
        remind_partner(partners.service.deps, reminder)
        remind_partner(partners.service.deps, reminder)  # redelivered
        other = new_event("monitoring", "checkin.reminder_due.v1", "rtn_1", {
            "returnee_id": "rtn_1", "partner_id": "prt_someone_else", "slot": 3, "due_on": "2026-06-01"}, clock.now())
        remind_partner(partners.service.deps, other)  # not this partner's returnee
        assert partners.tick() == 1
        (call,) = mocked_responses.calls
        assert json.loads(call.request.body)["type"] == "checkin.due_soon"
        assert json.loads(call.request.body)["data"] == {"handover_id": "hnd_1", "returnee_id": "rtn_1",
                                                         "slot": 3, "due_on": "2026-06-01"}
