"""Every query monitoring's alert list and counts send has an index declared in documents.py's `meta` (the
rule and the recorder are intake's, tests/unit/intake/test_query_indexes.py): an alert page, the worklist's and
the dashboard's counts read the cases that hold the alerts asked for, never every case."""
from __future__ import annotations

from services.monitoring import documents
from tests.unit.intake.test_query_indexes import indexed_fields, lookup, recorded, served  # noqa: F401 - a fixture
from tests.unit.monitoring.test_alert_lists import monitoring  # noqa: F401 - a fixture

LISTS = [{"status": "open"}, {"status": ["open", "acknowledged"], "order": "worklist"},
         {"status": ["open", "acknowledged"], "order": "worklist", "consultant": "web:alice"},
         {"status": ["open", "acknowledged"], "order": "worklist", "country": "NG"},
         {"status": "open", "office": "utrecht"}, {"type": "lost_contact"}, {"returnee_id": "rtn_a"},
         {"order": "worklist", "limit": 1}]
COUNTS = [{"status": "open"}, {"status": "open", "consultant": "web:alice"}, {"status": "open", "country": "ET"}]


def test_every_alert_list_and_count_has_its_index(monitoring, recorded):  # noqa: F811 - the fixtures
    client, _, consultant = monitoring
    recorded.clear()
    cursor = client.get("/v1/alerts?order=worklist&limit=1&status=open", headers=consultant).json["next_cursor"]
    for query in LISTS + [{"cursor": cursor, "order": "worklist", "status": "open"}]:
        assert client.get("/v1/alerts", query_string=query, headers=consultant).status_code == 200, query
    for query in COUNTS:
        assert client.get("/v1/alerts/counts", query_string=query, headers=consultant).status_code == 200, query
    cases = [(query, limited) for name, query, limited in recorded if name == "cases" and not lookup(query)]
    assert len(cases) >= len(LISTS) + len(COUNTS)
    leading = indexed_fields(documents.Case)
    assert [query for query, limited in cases if not served(query, leading, limited)] == []


def test_a_list_without_a_filter_is_what_the_rule_calls_a_scan():
    assert not served({"alerts.0": {"$exists": True}}, indexed_fields(documents.Case))
    assert served({"alerts.status": {"$in": ["open"]}, "alerts.type": "safety_concern"}, indexed_fields(documents.Case))
