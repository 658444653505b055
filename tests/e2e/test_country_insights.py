"""The feedback loop: check-ins become country information at intake, suppressed below k returnees."""
from __future__ import annotations

from tests.helpers import eventually


def test_check_ins_become_country_insights_for_counselling(network):
    partner_ng, partner_et = network.add_partner("NG"), network.add_partner("ET")
    economic = [1, 2, 3, 4, 5]
    nigerians = []
    for score in economic:
        rid = network.register("NG")["id"]
        network.arrive(partner_ng, rid)
        nigerians.append(rid)
    ethiopians = []
    for _ in range(2):
        rid = network.register("ET")["id"]
        network.arrive(partner_et, rid)
        ethiopians.append(rid)

    def checkin(partner, rid, key, slot=1, **fields):
        body = {"returnee_id": rid, "slot": slot, "contact_date": network.clock.today().isoformat(),
                "contact_made": True, "contact_mode": "phone", **fields}
        network.call("POST", "monitoring", "/v1/checkins", 201, json=body,
                     headers={**partner["headers"], "Idempotency-Key": key})

    for rid, score in zip(nigerians, economic):
        checkin(partner_ng, rid, f"ng-{rid}", scores={"economic": score, "housing": 4},
                safety_concern=score == 1, support_delivered=[{"type": "business", "amount_eur": 500}])
    for rid in ethiopians:
        checkin(partner_et, rid, f"et-{rid}", scores={"economic": 2, "housing": 2})

    insight = eventually(lambda: (i := network.call("GET", "intake", "/v1/countries/NG/insights", 200))["returnees"] == 5
                         and i, message="NG insights at intake")
    assert insight["suppressed"] is False and insight["checkins"] == 5
    assert insight["mean_scores_by_slot"]["1"]["economic"] == 3.0
    assert insight["mean_scores_by_slot"]["1"]["housing"] == 4.0
    assert insight["weakest_domain"] == "economic"
    assert insight["safety_concern_share"] == 0.2
    assert insight["support"]["business"]["returnees"] == 5

    small = eventually(lambda: (i := network.call("GET", "intake", "/v1/countries/ET/insights", 200))["returnees"] == 2
                       and i, message="ET insights at intake")
    assert small["suppressed"] is True
    assert "mean_scores_by_slot" not in small and "safety_concern_share" not in small

    checkin(partner_ng, nigerians[0], "ng-extra", slot="ad_hoc", scores={"economic": 3, "housing": 4})
    updated = eventually(lambda: (i := network.call("GET", "intake", "/v1/countries/NG/insights", 200))["checkins"] == 6
                         and i, message="insights updated after a new check-in")
    assert updated["version"] > insight["version"]
    assert updated["mean_scores_by_slot"]["ad_hoc"] == {"suppressed": True}  # one returnee only

    lead = {"Authorization": network.staff["project_lead"]["Authorization"]}
    outcomes = network.call("GET", "monitoring", "/v1/outcomes?by=country", 200, headers=lead)
    rows = {r["group"]: r for r in outcomes["rows"]}
    # ET (2) is under k, and NG must hide with it: otherwise ET = total - NG
    assert rows["ET"] == {"group": "ET", "suppressed": True} and rows["NG"]["suppressed"] is True
    assert outcomes["total"]["returnees"] == 7
    card = network.call("GET", "monitoring", "/v1/scorecard", 200, headers=lead)["partners"]
    assert {c["partner_id"] for c in card} >= {partner_ng["id"], partner_et["id"]}


def test_the_counselling_brief_is_served_by_intake(network):
    import requests

    response = requests.get(network.urls["intake"] + "/v1/countries/NG/brief?lang=nl", timeout=10,
                            headers=network.staff["consultant"])
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("text/html")
    assert "Counselingsbrief: Nigeria" in response.text
