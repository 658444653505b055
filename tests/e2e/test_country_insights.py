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

    # the release rule: ET's two returnees are never published (fewer than k returnees' data changed)
    lead = {"Authorization": network.staff["project_lead"]["Authorization"]}
    assert network.call("GET", "monitoring", "/v1/insights/ET", 200, headers=lead) == {
        "country": "ET", "returnees": 0, "checkins": 0, "suppressed": True, "k": 5, "updated_at": None}
    small = network.call("GET", "intake", "/v1/countries/ET/insights", 200)
    assert small["returnees"] == 0 and small["suppressed"] is True and "mean_scores_by_slot" not in small

    # one more returnee's check-in is not published (comparing two publications would reveal it) ...
    checkin(partner_ng, nigerians[0], "ng-extra-0", slot="ad_hoc", scores={"economic": 3, "housing": 4})
    assert network.call("GET", "monitoring", "/v1/insights/NG", 200, headers=lead)["checkins"] == 5
    # ... until check-ins of k distinct returnees came in since the last publication
    for i, rid in enumerate(nigerians[1:], 1):
        checkin(partner_ng, rid, f"ng-extra-{i}", slot="ad_hoc", scores={"economic": 3, "housing": 4})
    assert network.call("GET", "monitoring", "/v1/insights/NG", 200, headers=lead)["checkins"] == 10
    updated = eventually(lambda: (i := network.call("GET", "intake", "/v1/countries/NG/insights", 200))["checkins"] == 10
                         and i, timeout=5, message="insights updated once k returnees checked in again")
    assert updated["version"] == insight["version"] + 1
    assert updated["mean_scores_by_slot"]["ad_hoc"] == {"suppressed": False, "returnees": 5, "economic": 3,
                                                        "housing": 4, "social": None, "health": None,
                                                        "resilience": None}

    outcomes = network.call("GET", "monitoring", "/v1/outcomes?by=country", 200, headers=lead)
    rows = {r["group"]: r for r in outcomes["rows"]}
    # ET (2) is under k, and NG must hide with it: otherwise ET = total - NG
    assert rows["ET"] == {"group": "ET", "suppressed": True, "suppressed_reason": "small_group"}
    assert rows["NG"] == {"group": "NG", "suppressed": True, "suppressed_reason": "protects_other"}
    assert outcomes["total"]["returnees"] == 7
    card = network.call("GET", "monitoring", "/v1/scorecard", 200, headers=lead)["partners"]
    assert {c["partner_id"] for c in card} >= {partner_ng["id"], partner_et["id"]}


def test_the_counselling_brief_is_served_by_intake(network):
    import requests

    response = requests.get(network.urls["intake"] + "/v1/countries/NG/brief?lang=nl", timeout=10,
                            headers=network.staff["consultant"])
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("text/html")
    assert "Counselingsbrief: Nigeria" in response.text
