"""Monitoring's reports as XLSX, read back with openpyxl: the JSON's figures as numbers, the total row, the
header in the request's language."""
from __future__ import annotations

import io

from openpyxl import load_workbook

from tests.unit.monitoring.checkin_requests import body, post

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def rows(response) -> list[tuple]:
    assert response.status_code == 200 and response.content_type == XLSX, response.data[:300]
    return list(load_workbook(io.BytesIO(response.data)).active.iter_rows(values_only=True))


def test_the_outcomes_with_their_total_row_in_french(monitoring, auth):
    client, _, partner = monitoring
    post(client, partner, body())
    lead = {**auth("project_lead"), "Accept-Language": "fr"}
    table = client.get("/v1/outcomes?by=partner", headers=lead).json
    response = client.get("/v1/outcomes?by=partner&format=xlsx", headers=lead)
    got = rows(response)
    assert response.headers["Content-Language"] == "fr"
    assert got[0][:3] == ("Groupe", "Personnes rentrées", "Terminé (part)")
    assert [r[0] for r in got[1:]] == [r["group"] for r in table["rows"]] + ["Total"]
    for row, expected in zip(got[1:], table["rows"] + [table["total"]]):
        assert row[1] == (expected.get("returnees") if not expected["suppressed"]
                          else f"Moins de {table['k']} : non affiché")  # two returnees: below k, hidden


def test_the_scorecard_and_the_per_returnee_rows(monitoring, auth):
    client, _, partner = monitoring
    post(client, partner, body())
    lead = auth("project_lead")
    cards = client.get("/v1/scorecard", headers=lead).json["partners"]
    got = rows(client.get("/v1/scorecard?format=xlsx", headers=lead))
    assert got[0][:3] == ("Partner", "Returnees", "Handovers offered")
    assert [(r[0], r[1]) for r in got[1:]] == [(c["partner_id"], c["returnees"]) for c in cards]
    assert all(isinstance(r[1], int) for r in got[1:])
    per_returnee = rows(client.get("/v1/outcomes?by=returnee&format=xlsx", headers=lead))
    assert per_returnee[0][0] == "returnee_id" and sorted(r[0] for r in per_returnee[1:]) == ["rtn_other", "rtn_own"]
