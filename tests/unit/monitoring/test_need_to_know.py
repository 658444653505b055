"""Need-to-know in monitoring (issue 20): a consultant records a check-in for, and reads the case of, a client of
their caseload (their offices, their own, their team's: shared.access); any other client's only with a reason in
X-Access-Reason, recorded as a glass break that administrators list at /v1/access/glass-breaks."""
from __future__ import annotations

from urllib.parse import quote

import pytest

from tests.unit.monitoring.checkin_requests import body, post

REASON = {"X-Access-Reason": quote("Bert is ziek; ik bel zijn cliënt")}


@pytest.fixture
def followed(monitoring):
    """rtn_own followed by web:bert of the office ams; rtn_other by nobody monitoring has heard of."""
    client, service, partner = monitoring
    stored = service.repo.get("rtn_own")
    service.repo.update(stored, {**stored, "consultant": "web:bert", "office": "ams"}, [])
    return client, service, partner


def test_a_consultant_outside_the_caseload_gives_a_reason_to_record_a_check_in(followed, auth):
    client, service, _ = followed
    refused = post(client, auth("consultant", sub="web:anna"), body(contact_mode="phone"))
    assert refused.status_code == 403 and refused.json["type"].endswith("/access-reason-required")
    assert refused.json["error_codes"] == {"X-Access-Reason": "access_reason_required"}
    assert service.repo.get("rtn_own")["checkins"] == []  # nothing stored, and the key is free again
    broken = post(client, {**auth("consultant", sub="web:anna"), **REASON}, body(contact_mode="phone"))
    assert broken.status_code == 201, broken.json
    [entry] = service.access.log.page(10, None)["items"]
    assert (entry["who"], entry["returnee_id"], entry["reason"]) == ("web:anna", "rtn_own", "Bert is ziek; ik bel zijn cliënt")


@pytest.mark.parametrize("claims", [{"sub": "web:bert"}, {"sub": "web:anna", "caseload": ("web:bert",)},
                                    {"sub": "web:anna", "offices": ("ams",)}])
def test_the_caseload_records_and_reads_without_a_reason(followed, auth, claims):
    client, service, _ = followed
    headers = auth("consultant", **claims)
    assert post(client, headers, body(contact_mode="video")).status_code == 201
    assert client.get("/v1/cases/rtn_own", headers=headers).status_code == 200
    assert service.access.log.page(10, None)["items"] == []


def test_a_case_outside_the_caseload_is_read_with_a_reason_and_listed_to_administrators(followed, auth):
    client, _, partner = followed
    anna = auth("consultant", sub="web:anna")
    refused = client.get("/v1/cases/rtn_own", headers={**anna, "Accept-Language": "nl"})
    assert refused.status_code == 403 and refused.json["type"].endswith("/access-reason-required")
    assert refused.json["detail"].startswith("Deze cliënt hoort niet bij uw caseload")  # the consultant's Dutch
    assert client.get("/v1/cases/rtn_own", headers={**anna, **REASON}).status_code == 200
    assert client.get("/v1/cases/rtn_own", headers={**anna, "X-Access-Reason": "x" * 501}).status_code == 403
    listed = client.get("/v1/access/glass-breaks", headers=auth("admin")).json["items"]
    assert [(e["who"], e["path"]) for e in listed] == [("web:anna", "/v1/cases/rtn_own")]
    assert client.get("/v1/access/glass-breaks", headers=anna).status_code == 403
    assert client.get("/v1/cases/rtn_own", headers=partner).status_code == 200  # the partner's own rule
    for role in ("admin", "project_lead"):
        assert client.get("/v1/cases/rtn_own", headers=auth(role)).status_code == 200


def test_a_case_monitoring_has_not_heard_whose_it_is_is_not_narrowed(followed, auth):
    client, _, _ = followed
    assert client.get("/v1/cases/rtn_other", headers=auth("consultant", sub="web:anna")).status_code == 200
