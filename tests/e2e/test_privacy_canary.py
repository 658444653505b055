"""The canary: recognisable values in every free-text and special-category field of a returnee, in a
conversation note of its case file (corrected once) and in a document's title and bytes, both shared with the
partner, erased, then every topic and dead-letter topic read from the beginning through the real broker and every
collection of intake's and partners' stores: none of them is readable, and
what travels in clear is only what PRIVACY.md lists."""
from __future__ import annotations

import json
import uuid

import requests

from kafka import KafkaConsumer, TopicPartition

from services.intake.documents import Note
from services.partners.documents import Handover
from shared import topics
from tests.helpers import eventually

# what may travel in clear in an event's `data`, per type (PRIVACY.md, "What travels in clear")
CLEAR = {
    # `consultant`: the staff user name following the client (PRIVACY.md), for the staff mail; `planned_support`:
    # the plan's lines without their description (type, amount, currency, funding source), for the support report
    "returnee.registered.v1": {"returnee_id", "country_of_return", "registered_on", "trajectory", "office",
                               "office_region", "consultant"},
    "returnee.handover_requested.v1": {"returnee_id", "handover_id", "partner_id", "country_of_return", "region",
                                       "vulnerabilities", "planned_departure_date", "personal", "profile", "office",
                                       "office_region", "consultant", "planned_support", "imported"},
    "returnee.updated.v1": {"returnee_id", "changed", "region", "vulnerabilities", "planned_departure_date",
                            "personal", "profile", "office", "consultant", "planned_support"},
    "returnee.exited.v1": {"returnee_id", "reason", "exited_on", "organisation", "trajectory", "handover_id",
                           "partner_id", "handover_status", "office", "office_region"},
    "returnee.departed.v1": {"returnee_id", "departed_on", "handover_id", "partner_id", "country", "office",
                             "office_region"},
    "returnee.consent_changed.v1": {"returnee_id", "share_with_partner", "share_outcomes_with_chain_partners"},
    "returnee.erased.v1": {"returnee_id"},
    "returnee.item_shared.v1": {"returnee_id", "item_id", "item_type", "handover_id", "partner_id", "shared_at",
                                "content"},
    "returnee.item_unshared.v1": {"returnee_id", "item_id", "item_type", "handover_id", "partner_id"},
    "handover.accepted.v1": {"returnee_id", "handover_id", "partner_id", "accepted_at"},
    "returnee.arrived.v1": {"returnee_id", "handover_id", "partner_id", "arrived_on", "country", "region",
                            "vulnerabilities", "source", "go_live_on"},
    "partner.access_revoked.v1": {"partner_id", "subjects", "organisation", "revoked_at"},
}
SEALED = ("personal", "profile", "content")


def _every_record(bootstrap_servers: str) -> list:
    """Every record of every Homeward topic and its dead-letter topic, from the beginning to the end."""
    consumer = KafkaConsumer(bootstrap_servers=bootstrap_servers, consumer_timeout_ms=3000)
    try:
        names = [t for t in consumer.topics() if t.startswith("homeward.")]
        assert set(topics.ALL) <= set(names), names
        partitions = [TopicPartition(t, p) for t in names for p in consumer.partitions_for_topic(t) or ()]
        consumer.assign(partitions)
        consumer.seek_to_beginning(*partitions)
        end = consumer.end_offsets(partitions)
        records = []
        while any(consumer.position(tp) < end[tp] for tp in partitions):
            for batch in consumer.poll(timeout_ms=1000).values():
                records.extend(batch)
        return records
    finally:
        consumer.close()


def test_nothing_written_about_the_person_is_readable_in_any_topic_after_erasure(network):
    tag = "cnry" + uuid.uuid4().hex[:12]
    partner = network.add_partner("NG")
    rid = network.register(
        "NG", client_ref=f"REF-{tag}", given_name=f"Given-{tag}", family_name=f"Family-{tag}",
        contact={"phone": f"+234 {tag}", "email": f"{tag}@example.org", "address": f"12 {tag} Avenue"},
        region=f"Near the {tag} market, Lagos", languages=[f"lang-{tag}"[:35]], household={"adults": 2, "minors": 3},
        vulnerabilities=["mental_health", "lgbt", "trafficking_victim"],
        reintegration_plan={"goals": {d: f"{d} goal {tag}: HIV treatment" for d in
                                      ("economic", "housing", "social", "health", "resilience")},
                            "planned_support": [{"type": "medical", "description": f"support {tag}",
                                                 "budget_eur": 300}]})["id"]
    handover = network.arrive(partner, rid)

    # the consumers keep working: the partner opens the sealed profile, monitoring has the coarse region
    copy = network.call("GET", "partners", f"/v1/handovers/{handover['id']}", 200, headers=partner["headers"])
    assert copy["region"] == f"Near the {tag} market, Lagos"
    assert copy["household"] == {"adults": 2, "minors": 3, "unaccompanied_minors": 0}  # the field intake added since
    assert copy["reintegration_plan"]["planned_support"][0]["description"] == f"support {tag}"
    case = network.call("GET", "monitoring", f"/v1/cases/{rid}", 200)
    assert case["vulnerabilities"] == ["mental_health", "lgbt", "trafficking_victim"]

    # a correction after the handover travels as returnee.updated.v1, sealed again
    network.call("PATCH", "intake", f"/v1/returnees/{rid}", 200, json={
        "family_name": f"Corrected-{tag}", "region": f"Second {tag} street",
        "reintegration_plan": {"goals": {"health": f"new goal {tag}"}}})
    eventually(lambda: network.call("GET", "partners", f"/v1/handovers/{handover['id']}", 200,
                                    headers=partner["headers"])["region"] == f"Second {tag} street",
               message="corrected copy at the partner")
    checkin = {"returnee_id": rid, "slot": "ad_hoc", "contact_date": network.clock.today().isoformat(),
               "contact_made": True, "contact_mode": "phone", "scores": {"health": 1},
               "notes": f"notes {tag}: lives with her brother"}
    network.call("POST", "monitoring", "/v1/checkins", 201, json=checkin,
                 headers={**partner["headers"], "Idempotency-Key": f"canary-{rid}"})

    # the case file's notes stay in intake, sealed; a correction keeps the earlier text, sealed too
    note = network.call("POST", "intake", f"/v1/returnees/{rid}/notes", 201, json={
        "text": f"note {tag}: she spoke about her HIV treatment", "kind": "conversation", "mode": "in_person",
        "with": ["client", "doctor"], "interpreter": True, "contact_on": network.clock.today().isoformat()})
    network.call("PATCH", "intake", f"/v1/returnees/{rid}/notes/{note['id']}", 200,
                 json={"text": f"corrected {tag}: her treatment"})
    found = network.call("GET", "intake", f"/v1/returnees/{rid}/notes?q={tag}", 200)["items"]
    assert [n["id"] for n in found] == [note["id"]]
    # a document of the case file: its title and its bytes (in GridFS: case_files.files and .chunks), encrypted
    pdf = f"%PDF-1.4 scan {tag}: her medical certificate\n%%EOF\n".encode()
    document = network.call("POST", "intake", f"/v1/returnees/{rid}/documents", 201, files={
        "file": ("scan.pdf", pdf, "application/pdf")}, data={"kind": "medical", "title": f"certificate {tag}"})
    assert requests.get(f"{network.urls['intake']}/v1/returnees/{rid}/documents/{document['id']}/content",
                        headers=network.staff["consultant"], timeout=10).content == pdf

    # the note and the document shared with the partner (issue 20): sealed on Kafka, opened at the partner, the
    # document's bytes fetched from intake through the partners API
    for kind, item in (("notes", note), ("documents", document)):
        network.call("POST", "intake", f"/v1/returnees/{rid}/{kind}/{item['id']}/share", 200)
    shared_path = f"/v1/handovers/{handover['id']}/shared"
    eventually(lambda: len(network.call("GET", "partners", shared_path, 200, headers=partner["headers"])["items"]) == 2,
               message="both shared items at the partner")
    shared = {i["type"]: i for i in network.call("GET", "partners", shared_path, 200, headers=partner["headers"])["items"]}
    assert shared["note"]["text"] == f"corrected {tag}: her treatment"
    assert shared["document"]["title"] == f"certificate {tag}"
    assert requests.get(network.urls["partners"] + shared["document"]["content"], headers=partner["headers"],
                        timeout=10).content == pdf

    network.call("DELETE", "intake", f"/v1/returnees/{rid}", 204)
    network.call("GET", "intake", f"/v1/returnees/{rid}/notes", 404)
    store = Note._get_db()
    readable_here = [name for name in store.list_collection_names()
                     if tag in json.dumps(list(store[name].find()), default=str)]
    assert not readable_here, f"the canary is readable in intake's {readable_here}"
    assert Note.objects(returnee_id=rid).count() == 0
    assert "case_files.chunks" in store.list_collection_names()  # the bytes' collection was looked in
    assert [store[name].count_documents({}) for name in ("case_documents", "case_files.files")] == [0, 0]
    eventually(lambda: network.call("GET", "partners", f"/v1/handovers/{handover['id']}", 200,
                                    headers=partner["headers"])["personal"] is None, message="partner copy erased")
    eventually(lambda: network.call("GET", "monitoring", f"/v1/cases/{rid}", 200)["checkins"][0]["notes"] == "",
               message="monitoring notes erased")
    assert network.call("GET", "partners", shared_path, 200, headers=partner["headers"])["items"] == []
    assert requests.get(network.urls["partners"] + shared["document"]["content"], headers=partner["headers"],
                        timeout=10).status_code == 404
    partners_store = Handover._get_db()
    readable_there = [name for name in partners_store.list_collection_names()
                      if tag in json.dumps(list(partners_store[name].find()), default=str)]
    assert not readable_there, f"the canary is readable in partners' {readable_there}"

    records = _every_record(network.services["intake"].settings.kafka_bootstrap_servers)
    ours = [r for r in records if r.key == rid.encode()]
    assert {json.loads(r.value)["type"] for r in ours} >= {"returnee.handover_requested.v1", "returnee.updated.v1",
                                                           "returnee.arrived.v1", "returnee.erased.v1"}
    readable = [r.topic for r in records
                if tag in r.value.decode("utf-8", "replace") + repr(r.headers)]
    assert not readable, f"the canary is readable in {sorted(set(readable))}"
    for record in ours:
        event = json.loads(record.value)
        if event["type"] in CLEAR:
            assert set(event["data"]) <= CLEAR[event["type"]], (event["type"], sorted(event["data"]))
            for name in SEALED:
                assert event["data"].get(name) is None or event["data"][name]["sealed"] == "fernet"
        if "region" in event["data"]:
            assert event["data"]["region"] in (None, "Lagos"), event["data"]["region"]  # generalised, or nothing
