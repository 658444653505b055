"""Right to erasure across the three services: personal data gone everywhere, the sealing key destroyed."""
from __future__ import annotations

import json

from kafka import KafkaConsumer

from shared import sealing
from tests.helpers import eventually


def test_erasure_removes_personal_data_everywhere_and_shreds_the_log_copy(network):
    partner = network.add_partner("AM")
    rid = network.register("AM")["id"]
    handover = network.arrive(partner, rid)
    checkin = {"returnee_id": rid, "slot": "ad_hoc", "contact_date": network.clock.today().isoformat(),
               "contact_made": True, "contact_mode": "phone", "scores": {"economic": 3},
               "notes": "Lives with her sister in Gyumri"}
    network.call("POST", "monitoring", "/v1/checkins", 201, json=checkin,
                 headers={**partner["headers"], "Idempotency-Key": f"erase-{rid}"})
    assert network.call("GET", "partners", f"/v1/handovers/{handover['id']}", 200,
                        headers=partner["headers"])["personal"]["given_name"] == "Amina"

    network.call("DELETE", "intake", f"/v1/returnees/{rid}", 204)
    network.call("GET", "intake", f"/v1/returnees/{rid}", 404)

    eventually(lambda: network.call("GET", "partners", f"/v1/handovers/{handover['id']}", 200,
                                    headers=partner["headers"])["personal"] is None, message="partner copy erased")
    eventually(lambda: network.call("GET", "monitoring", f"/v1/cases/{rid}", 200)["checkins"][0]["notes"] == "",
               message="monitoring notes erased")

    # the copy in the Kafka log is still there, sealed, and its key no longer exists anywhere
    consumer = KafkaConsumer("homeward.returnees", bootstrap_servers=network.services["intake"].settings
                             .kafka_bootstrap_servers, auto_offset_reset="earliest", consumer_timeout_ms=3000)
    sealed = [json.loads(r.value)["data"]["personal"] for r in consumer
              if r.key == rid.encode() and json.loads(r.value)["type"] == "returnee.handover_requested.v1"]
    consumer.close()
    assert sealed and all(sealing.is_sealed(p) and "Amina" not in json.dumps(p) for p in sealed)
    assert network.services["intake"].repo.existing_personal_key(rid) is None
