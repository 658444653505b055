"""Subject access across the services: one export of everything held about a returnee who went through the
whole flow, and every service's audit log searchable by that returnee."""
from __future__ import annotations


def test_the_export_and_the_subject_audit_answer_for_a_returnee_after_the_whole_flow(network):
    partner = network.add_partner("ET")
    rid = network.register("ET", region="Tigray")["id"]
    handover = network.arrive(partner, rid)
    network.call("POST", "monitoring", "/v1/checkins", 201, headers={**partner["headers"], "Idempotency-Key": rid},
                 json={"returnee_id": rid, "slot": "ad_hoc", "contact_date": network.clock.today().isoformat(),
                       "contact_made": True, "contact_mode": "phone", "scores": {"housing": 4},
                       "notes": "found a room"})
    network.call("GET", "partners", f"/v1/handovers/{handover['id']}", 200, headers=partner["headers"])

    network.call("GET", "intake", f"/v1/returnees/{rid}/export", 403)  # a consultant may not
    export = network.call("GET", "intake", f"/v1/returnees/{rid}/export", 200, role="admin")
    assert export["complete"] and export["returnee_id"] == rid
    held = export["services"]
    assert held["intake"]["returnee"]["given_name"] == "Amina" and held["intake"]["sealing_key"] == "held"
    assert held["partners"]["handovers"][0]["personal"]["given_name"] == "Amina"
    assert held["partners"]["handovers"][0]["region"] == "Tigray"
    assert held["monitoring"]["case"]["checkins"][0]["notes"] == "found a room"

    # the partner reading its handover is found under the returnee's id, not only the handover's
    audit = network.call("GET", "partners", f"/v1/audit?returnee_id={rid}", 200, role="admin")["items"]
    reads = [e for e in audit if e["path"] == f"/v1/handovers/{handover['id']}" and e["role"] == "partner"]
    assert reads and reads[0]["org"] == partner["id"] and reads[0]["request_id"]
    for service in ("intake", "monitoring"):
        assert network.call("GET", service, f"/v1/audit?returnee_id={rid}", 200, role="admin")["items"]
    assert any(e["path"] == f"/v1/returnees/{rid}/export" for e in held["intake"]["audit"]) is False  # not yet
    again = network.call("GET", "intake", f"/v1/returnees/{rid}/export", 200, role="admin")["services"]["intake"]
    assert any(e["path"] == f"/v1/returnees/{rid}/export" for e in again["audit"])  # the export itself is audited
