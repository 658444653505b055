"""What intake sends partners about a returnee: personal data sealed under a key only services get while consent
lasts, and corrections sent on once someone holds a copy."""
from __future__ import annotations

import json

from tests.unit.intake.returnees import PARTNER_P, outbox_types, register, stored


class TestSealedPersonalData:
    def test_the_handover_event_carries_personal_data_sealed_and_never_the_file_number(self, intake):
        client, service, headers = intake
        rid = register(client, headers).json["id"]
        client.post(f"/v1/returnees/{rid}/handover", json={"partner_id": PARTNER_P}, headers=headers)
        raw = stored(rid)["outbox"][-1]["value"]
        assert "Yonas" not in raw and "Tesfaye" not in raw and "F-1" not in raw
        personal = json.loads(raw)["data"]["personal"]
        assert personal["sealed"] == "fernet" and personal["key_id"] == rid

    def test_only_services_get_the_key_and_only_while_consent_lasts(self, intake, auth):
        from shared import sealing

        client, service, headers = intake
        rid = register(client, headers).json["id"]
        client.post(f"/v1/returnees/{rid}/handover", json={"partner_id": PARTNER_P}, headers=headers)
        assert client.get(f"/v1/personal-keys/{rid}", headers=headers).status_code == 403
        answer = client.get(f"/v1/personal-keys/{rid}", headers=auth("service", sub="partners"))
        sealed = json.loads(stored(rid)["outbox"][-1]["value"])["data"]["personal"]
        assert sealing.unseal(answer.json["key"], sealed)["given_name"] == "Yonas"
        client.put(f"/v1/returnees/{rid}/consent", headers=headers,
                   json={"share_with_partner": False, "given_on": "2026-02-01"})
        assert client.get(f"/v1/personal-keys/{rid}", headers=auth("service", sub="partners")).status_code == 404

    def test_erasure_destroys_the_key(self, intake, auth):
        client, service, headers = intake
        rid = register(client, headers).json["id"]
        client.post(f"/v1/returnees/{rid}/handover", json={"partner_id": PARTNER_P}, headers=headers)
        client.delete(f"/v1/returnees/{rid}", headers=headers)
        assert service.repo.existing_personal_key(rid) is None
        assert client.get(f"/v1/personal-keys/{rid}", headers=auth("service", sub="partners")).status_code == 404


class TestCorrectionsReachTheCopies:
    def test_a_new_office_after_the_handover_is_sent_on_with_its_region(self, intake):
        client, service, headers = intake
        rid = register(client, headers, office="amsterdam").json["id"]
        client.post(f"/v1/returnees/{rid}/handover", json={"partner_id": PARTNER_P}, headers=headers)
        assert client.patch(f"/v1/returnees/{rid}", json={"office": "utrecht"}, headers=headers).status_code == 200
        event = json.loads(stored(rid)["outbox"][-1]["value"])
        assert event["type"] == "returnee.updated.v1" and event["data"]["changed"] == ["office", "office_region"]
        assert (event["data"]["office"], event["data"]["office_region"]) == ("utrecht", "midden")

    def test_no_event_before_anyone_holds_a_copy(self, intake):
        client, service, headers = intake
        rid = register(client, headers).json["id"]
        client.patch(f"/v1/returnees/{rid}", json={"vulnerabilities": ["medical"]}, headers=headers)
        assert outbox_types(service, rid) == ["returnee.registered.v1"]

    def test_after_the_handover_corrections_are_sent_on_with_personal_data_sealed(self, intake):
        from shared import sealing

        client, service, headers = intake
        rid = register(client, headers).json["id"]
        client.post(f"/v1/returnees/{rid}/handover", json={"partner_id": PARTNER_P}, headers=headers)
        response = client.patch(f"/v1/returnees/{rid}", headers=headers, json={
            "vulnerabilities": ["medical"], "family_name": "Tesfaye-Bekele", "client_ref": "F-2"})
        assert response.status_code == 200
        raw = stored(rid)["outbox"][-1]["value"]
        event = json.loads(raw)
        assert event["type"] == "returnee.updated.v1" and "F-2" not in raw and "Bekele" not in raw
        assert event["data"]["changed"] == ["personal", "vulnerabilities"]
        key = service.repo.existing_personal_key(rid)
        opened = sealing.unseal(key, event["data"]["personal"])
        assert opened["family_name"] == "Tesfaye-Bekele" and opened["date_of_birth"] == "1988-02-03"
