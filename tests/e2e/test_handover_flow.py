"""The foundation flow across the three services, through HTTP and the real broker."""
from __future__ import annotations

from datetime import timedelta

from tests.helpers import eventually


def test_a_case_goes_from_registration_to_monitoring(network):
    partner = network.add_partner("NG")
    returnee = network.register("NG")
    rid = returnee["id"]
    assert returnee["status"] == "registered"

    requested = network.call("POST", "intake", f"/v1/returnees/{rid}/handover", 202, json={"partner_id": partner["id"]})
    assert requested["status"] == "handover_requested"

    handover = network.wait_handover(partner, rid)
    assert handover["personal"]["given_name"] == "Amina"  # shared with consent
    assert "client_ref" not in handover["personal"]  # the NGO's file number never leaves intake
    assert handover["reintegration_plan"]["planned_support"][0]["type"] == "business"

    network.call("POST", "partners", f"/v1/handovers/{handover['id']}/accept", 200, headers=partner["headers"])
    accepted = network.wait_status(rid, "handover_accepted")
    assert accepted["handover"]["status"] == "accepted"

    departed_on = network.clock.today() - timedelta(days=1)
    network.call("POST", "intake", f"/v1/returnees/{rid}/departure", 200, json={"departed_on": departed_on.isoformat()})
    departed = eventually(lambda: network.call("GET", "partners", f"/v1/handovers/{handover['id']}", 200,
                                               headers=partner["headers"])["departed_on"], message="departure at partner")
    assert departed == departed_on.isoformat()

    arrived_on = network.clock.today()
    network.call("POST", "partners", f"/v1/handovers/{handover['id']}/arrival", 200, headers=partner["headers"],
                 json={"arrived_on": arrived_on.isoformat()})
    arrived = network.wait_status(rid, "arrived")
    assert arrived["arrived_on"] == arrived_on.isoformat()
    assert [step["status"] for step in arrived["history"]] == [
        "registered", "handover_requested", "handover_accepted", "departed", "arrived"]

    case = eventually(lambda: network.call("GET", "monitoring", f"/v1/cases/{rid}", 200)["slots"] and
                      network.call("GET", "monitoring", f"/v1/cases/{rid}", 200), message="monitoring plan")
    assert case["country"] == "NG" and case["partner_id"] == partner["id"]
    assert [s["slot"] for s in case["slots"]] == [1, 3, 6, 9, 12]
    assert "given_name" not in str(case) and "Amina" not in str(case)  # monitoring holds no names
    shown = eventually(lambda: network.returnee(rid)["monitoring"]["next_due_on"], message="next due at intake")
    assert shown == case["slots"][0]["due_on"]


def test_a_declined_case_can_be_handed_to_another_partner(network):
    first, second = network.add_partner("ET"), network.add_partner("ET")
    rid = network.register("ET")["id"]
    network.call("POST", "intake", f"/v1/returnees/{rid}/handover", 202, json={"partner_id": first["id"]})
    offered = network.wait_handover(first, rid)
    network.call("POST", "partners", f"/v1/handovers/{offered['id']}/decline", 200, headers=first["headers"],
                 json={"reason": "no_capacity", "detail": "full until March"})
    declined = network.wait_status(rid, "handover_declined")
    assert declined["handover"]["decline"]["reason"] == "no_capacity"

    network.call("POST", "intake", f"/v1/returnees/{rid}/handover", 202, json={"partner_id": second["id"]})
    again = network.wait_handover(second, rid)
    network.call("GET", "partners", f"/v1/handovers/{again['id']}", 404, headers=first["headers"])
    network.call("POST", "partners", f"/v1/handovers/{again['id']}/accept", 200, headers=second["headers"])
    assert network.wait_status(rid, "handover_accepted")["handover"]["partner_id"] == second["id"]


def test_a_handover_to_a_partner_outside_the_country_is_declined_automatically(network):
    elsewhere = network.add_partner("AM")
    rid = network.register("IQ")["id"]
    network.call("POST", "intake", f"/v1/returnees/{rid}/handover", 202, json={"partner_id": elsewhere["id"]})
    declined = network.wait_status(rid, "handover_declined")
    assert declined["handover"]["decline"]["reason"] == "not_in_coverage_area"


def test_no_handover_without_consent(network):
    partner = network.add_partner("GN")
    rid = network.register("GN", consent=False)["id"]
    problem = network.call("POST", "intake", f"/v1/returnees/{rid}/handover", 409, json={"partner_id": partner["id"]})
    assert problem["status"] == 409 and "consent" in problem["detail"]


def test_an_exit_before_departure_withdraws_the_handover_and_closes_the_monitoring_case(network):
    partner = network.add_partner("NG")
    rid = network.register("NG")["id"]
    network.call("POST", "intake", f"/v1/returnees/{rid}/handover", 202, json={"partner_id": partner["id"]})
    handover = network.wait_handover(partner, rid)
    network.call("POST", "partners", f"/v1/handovers/{handover['id']}/accept", 200, headers=partner["headers"])
    network.wait_status(rid, "handover_accepted")
    exited = network.call("POST", "intake", f"/v1/returnees/{rid}/exit", 200,
                          json={"reason": "irregular", "exited_on": network.clock.today().isoformat()})
    assert exited["status"] == "exited" and exited["handover"]["status"] == "withdrawn"

    def at_partner():
        seen = network.call("GET", "partners", f"/v1/handovers/{handover['id']}", 200, headers=partner["headers"])
        return seen if seen["status"] == "withdrawn" else None

    withdrawn = eventually(at_partner, message="handover withdrawn at the partner")
    assert not withdrawn.get("personal")  # the partner's copy forgets the person
    case = eventually(lambda: (c := network.call("GET", "monitoring", f"/v1/cases/{rid}", 200))["state"] == "closed"
                      and c, message="monitoring case closed")
    assert case["outcome"] == "exited" and case["next_due_on"] is None and case["open_alerts"] == 0
