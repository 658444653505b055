"""A small caseload of four clients in three offices, for the report tests (the `caseload` fixture)."""
from __future__ import annotations

from datetime import datetime, timezone


def register(client, headers, **fields):
    body = {"client_ref": "F-9", "given_name": "Ada", "family_name": "Obi", "country_of_return": "NG",
            "consent": {"share_with_partner": True, "given_on": "2026-01-05"}, **fields}
    response = client.post("/v1/returnees", json=body, headers=headers)
    assert response.status_code == 201, response.json
    return response.json["id"]


def post(client, headers, path, body):
    response = client.post(path, json=body, headers=headers)
    assert response.status_code in (200, 202), response.json
    return response.json


def build_caseload(intake, clock) -> dict:
    """Registered on 2 March 2026: amsterdam (west) FO, decides 2 March; haarlem (west) FO, to IOM 2 March;
    utrecht (midden) RG; one without office. On 1 April the amsterdam client is handed over."""
    client, service, headers = intake
    ams = register(client, headers, office="amsterdam", trajectory="future_orientation")
    post(client, headers, f"/v1/returnees/{ams}/trajectory", {"trajectory": "return_guidance", "decided_on": "2026-03-02"})
    hlm = register(client, headers, office="haarlem", trajectory="future_orientation")
    post(client, headers, f"/v1/returnees/{hlm}/exit",
         {"reason": "other_return_organisation", "organisation": "iom", "exited_on": "2026-03-02"})
    utr = register(client, headers, office="utrecht")
    nowhere = register(client, headers)
    clock.set(datetime(2026, 4, 1, 9, tzinfo=timezone.utc))
    return {"amsterdam": ams, "haarlem": hlm, "utrecht": utr, "none": nowhere}


def quarterly(client, lead, **query):
    return client.get("/v1/reports/quarterly", query_string={"year": 2026, "quarter": 1, **query}, headers=lead)
