"""The partner portal's filters on GET /v1/cases: a list of returnees (one call names a page of cases), the cases
due by a day (the portal's "check-ins due"), and those with an alert not resolved; each served by an index."""
from __future__ import annotations

from datetime import date

import pytest

from services.monitoring import documents
from services.monitoring.api import create_app
from services.monitoring.bootstrap import MonitoringService
from services.monitoring.domain import case as cases
from services.monitoring.domain.alerts import raise_alert
from services.monitoring.domain.schedule import Rules
from tests.unit.intake.test_query_indexes import indexed_fields, lookup, recorded, served  # noqa: F401 - a fixture

ARRIVALS = {"rtn_a": date(2026, 1, 20), "rtn_b": date(2025, 12, 1), "rtn_c": date(2025, 6, 1)}


@pytest.fixture
def monitoring(build, auth):
    service = build(MonitoringService, "monitoring")
    for rid, arrived in ARRIVALS.items():
        case = cases.new_case(rid, "NG", "prt_1")
        cases.start_plan(case, arrived, Rules())
        if rid == "rtn_c":
            raise_alert(case, "safety_concern", "note", "2026-03-01T09:00:00.000000Z", lambda p: f"{p}_c", "detail")
        assert service.repo.add(case, [])
    other = cases.new_case("rtn_z", "NG", "prt_2")
    cases.start_plan(other, date(2026, 1, 20), Rules())
    assert service.repo.add(other, [])
    return create_app(service=service).test_client(), service, auth("partner", org="prt_1")


def ids(client, headers, **query) -> list[str]:
    answer = client.get("/v1/cases", query_string=query, headers=headers)
    assert answer.status_code == 200, answer.json
    return sorted(item["returnee_id"] for item in answer.json["items"])


def test_the_next_due_day_is_kept_with_the_case_as_the_summary_gives_it(monitoring):
    _, service, _ = monitoring
    case = service.repo.get("rtn_a")
    assert case["next_due_on"] == "2026-02-20" == cases.summary(case)["next_due_on"]
    after = {**case, "slots": [{**s, "status": "completed"} if s["slot"] == 1 else s for s in case["slots"]]}
    assert service.repo.update(case, after, [])
    assert service.repo.get("rtn_a")["next_due_on"] == "2026-04-20"


def test_a_partner_asks_its_cases_by_returnee_by_due_day_and_by_open_alerts(monitoring):
    client, _, partner = monitoring
    assert ids(client, partner, returnee_id=["rtn_a", "rtn_c", "rtn_z"]) == ["rtn_a", "rtn_c"]  # never another's
    assert ids(client, partner, due_by="2026-02-20") == ["rtn_a", "rtn_b", "rtn_c"]
    assert ids(client, partner, due_by="2026-01-31") == ["rtn_b", "rtn_c"]  # rtn_a's first is due 2026-02-20
    assert ids(client, partner, due_by="2025-12-31") == ["rtn_c"]
    assert ids(client, partner, open_alerts="true") == ["rtn_c"]


def test_bad_filters_are_refused_with_the_field_named(monitoring):
    client, _, partner = monitoring
    answer = client.get("/v1/cases", query_string={"due_by": "soon"}, headers=partner)
    assert answer.status_code == 422 and "due_by" in answer.json["errors"]
    answer = client.get("/v1/cases", query_string={"returnee_id": [f"rtn_{n}" for n in range(201)]}, headers=partner)
    assert answer.status_code == 422 and "returnee_id" in answer.json["errors"]


def test_each_filter_the_portal_sends_has_its_index(monitoring, recorded):  # noqa: F811 - the fixture
    client, _, partner = monitoring
    recorded.clear()
    for query in ({"returnee_id": ["rtn_a", "rtn_b"]}, {"due_by": "2026-03-01"}, {"open_alerts": "true"}):
        assert client.get("/v1/cases", query_string=query, headers=partner).status_code == 200
    reads = [(query, limited) for name, query, limited in recorded if name == "cases"]
    assert len(reads) >= 3
    leading = indexed_fields(documents.Case)
    assert [q for q, limited in reads if not (lookup(q) or served(q, leading, limited))] == []
    assert ("partner_id", "next_due_on") in [tuple(f for f, _ in spec["fields"])
                                             for spec in documents.Case._meta["index_specs"]]
