"""The alert list pages in the worklist's order (most serious type first, newest first within a type) and
filters by the consultant who follows the client (from intake's events) and by office; the counts answer per
country and type. Each a page or a count of the alerts asked for, never a walk of every page."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest
from ulid import ULID

from services.monitoring.api import create_app
from services.monitoring.bootstrap import MonitoringService
from services.monitoring.domain import case as cases
from services.monitoring.domain.alerts import SERIOUSNESS, raise_alert
from services.monitoring.handlers import follow_update, note_handover_requested
from services.monitoring.vocabulary import ALERT_TYPES
from shared.events import new_event

NOW = "2026-03-02T09:00:00.000000Z"
# (returnee, country, consultant, office, types of its alerts, oldest first)
CASELOAD = [("rtn_a", "NG", "web:alice", "amsterdam", ["checkin_overdue", "safety_concern"]),
            ("rtn_b", "NG", "web:bob", "utrecht", ["safety_concern", "lost_contact", "checkin_overdue"]),
            ("rtn_c", "ET", "web:alice", "utrecht", ["critical_domain", "handover_unanswered"]),
            ("rtn_d", "GH", None, None, ["safety_concern"])]


@pytest.fixture
def monitoring(build, auth):
    service = build(MonitoringService, "monitoring")
    tick = iter(range(1, 1000))
    for rid, country, consultant, office, types in CASELOAD:
        case = cases.new_case(rid, country, "prt_1")
        case.update({k: v for k, v in (("consultant", consultant), ("office", office)) if v})
        for type_ in types:  # ids in the order raised: one millisecond apart
            stamp = datetime(2026, 3, 1, tzinfo=timezone.utc).timestamp() + next(tick) / 1000
            raise_alert(case, type_, f"{type_}:{rid}", NOW, lambda prefix, rid=rid, stamp=stamp:
                        f"{prefix}_{ULID.from_timestamp(stamp)}.{rid}", "detail")
        assert service.repo.add(case, [])
    # an administrator reads every client's alerts (a consultant's are narrowed: see the need-to-know test)
    return create_app(service=service).test_client(), service, auth("admin")


def stored_alerts(service) -> list[tuple[str, str, str]]:
    """(id, type, returnee) of every stored alert."""
    return [(a["id"], a["type"], rid) for rid, *_ in CASELOAD for a in service.repo.get(rid)["alerts"]]


def pages(client, headers, **query) -> tuple[list[str], int]:
    """Every alert id the list answers, following `next_cursor`, and the number of pages."""
    ids, cursor, count = [], None, 0
    while True:
        answer = client.get("/v1/alerts", query_string={**query, **({"cursor": cursor} if cursor else {})},
                            headers=headers)
        assert answer.status_code == 200, answer.json
        count += 1
        ids += [a["id"] for a in answer.json["items"]]
        cursor = answer.json["next_cursor"]
        if not cursor:
            return ids, count


def test_the_worklist_order_ranks_every_alert_type():
    assert sorted(SERIOUSNESS) == sorted(ALERT_TYPES)


def test_the_worklist_pages_most_serious_type_first_newest_first_within_a_type(monitoring):
    client, service, consultant = monitoring
    every = stored_alerts(service)
    expected = [i for i, _, _ in sorted(every, key=lambda a: (SERIOUSNESS.index(a[1]), [-ord(c) for c in a[0]]))]
    ids, count = pages(client, consultant, order="worklist", limit=2)
    assert ids == expected and count == 4  # 8 alerts, 2 a page: the last page says there is no next one
    assert ids[:3] == [i for i, t, _ in sorted(every, reverse=True) if t == "safety_concern"]
    oldest_first, _ = pages(client, consultant, limit=3)
    assert oldest_first == sorted(i for i, _, _ in every)  # the default order stays as it was


def test_the_list_keeps_to_a_consultants_clients_an_office_and_several_statuses(monitoring):
    client, service, consultant = monitoring
    every = stored_alerts(service)
    alice, _ = pages(client, consultant, consultant="web:alice", order="worklist")
    assert {rid for i, _, rid in every if i in alice} == {"rtn_a", "rtn_c"} and len(alice) == 4
    utrecht, _ = pages(client, consultant, office="utrecht")
    assert {rid for i, _, rid in every if i in utrecht} == {"rtn_b", "rtn_c"}
    first = next(i for i, _, rid in every if rid == "rtn_b")
    assert client.post(f"/v1/alerts/{first}/acknowledge", json={}, headers=consultant).status_code == 200
    open_only, _ = pages(client, consultant, status="open")
    both, _ = pages(client, consultant, status=["open", "acknowledged"])
    assert first not in open_only and first in both and len(both) == len(every) == len(open_only) + 1
    refused = client.get("/v1/alerts?consultant=no%20spaces&order=sideways", headers=consultant)
    assert refused.status_code == 422 and set(refused.json["errors"]) == {"consultant", "order"}


def test_the_counts_answer_per_country_and_type(monitoring):
    client, service, consultant = monitoring
    counts = client.get("/v1/alerts/counts?status=open", headers=consultant)
    assert counts.status_code == 200, counts.json
    assert counts.json == {"total": 8, "by_type": {"checkin_overdue": 2, "critical_domain": 1, "handover_unanswered": 1,
                                                   "lost_contact": 1, "safety_concern": 3},
                           "by_country": {"ET": 2, "GH": 1, "NG": 5},
                           "by_country_and_type": {"ET": {"critical_domain": 1, "handover_unanswered": 1},
                                                   "GH": {"safety_concern": 1},
                                                   "NG": {"checkin_overdue": 2, "lost_contact": 1, "safety_concern": 2}}}
    mine = client.get("/v1/alerts/counts", query_string={"status": "open", "consultant": "web:alice", "country": "NG"},
                      headers=consultant).json
    assert mine["total"] == 2 and mine["by_type"] == {"checkin_overdue": 1, "safety_concern": 1}
    assert client.get("/v1/alerts/counts?status=resolved", headers=consultant).json["total"] == 0
    assert client.get("/v1/alerts/counts?status=lost", headers=consultant).status_code == 422


def test_who_follows_the_client_comes_with_the_handover_and_its_updates(build, clock, auth):
    service = build(MonitoringService, "monitoring")
    note_handover_requested(service.deps, new_event("intake", "returnee.handover_requested.v1", "rtn_1", {
        "returnee_id": "rtn_1", "handover_id": "hnd_1", "partner_id": "prt_1", "country_of_return": "NG",
        "region": None, "vulnerabilities": [], "office": "amsterdam", "office_region": "noord-holland",
        "consultant": "web:alice"}, clock.now()))
    assert service.repo.get("rtn_1")["consultant"] == "web:alice"
    follow_update(service.deps, new_event("intake", "returnee.updated.v1", "rtn_1", {
        "returnee_id": "rtn_1", "changed": ["consultant"], "consultant": "web:bob"}, clock.now()))
    assert service.repo.get("rtn_1")["consultant"] == "web:bob"


def test_the_openapi_document_names_the_new_parameters_and_the_counts(monitoring):
    client, _, _ = monitoring
    document = client.get("/openapi.json").json
    listed = {p["name"]: p for p in document["paths"]["/v1/alerts"]["get"]["parameters"] if "name" in p}
    assert {"status", "consultant", "office", "order"} <= set(listed)
    assert listed["status"]["schema"]["type"] == "array"
    counted = {p["name"] for p in document["paths"]["/v1/alerts/counts"]["get"]["parameters"] if "name" in p}
    assert counted == {"status", "country", "consultant", "office"}
    answer = document["paths"]["/v1/alerts/counts"]["get"]["responses"]["200"]
    assert "AlertCounts" in str(answer)


def test_a_consultant_lists_and_counts_only_the_alerts_of_their_caseload(monitoring, auth):
    """Need-to-know (shared.access): their offices' clients and those they or their team follow, nobody else's."""
    client, service, _ = monitoring

    def listed(headers):
        ids = pages(client, headers, order="worklist")[0]
        total = client.get("/v1/alerts/counts", headers=headers).json["total"]
        return {alert_id.rsplit(".", 1)[-1] for alert_id in ids}, total

    assert listed(auth("consultant", sub="web:alice")) == ({"rtn_a", "rtn_c"}, 4)
    assert listed(auth("consultant", sub="web:alice", offices=["utrecht"])) == ({"rtn_a", "rtn_b", "rtn_c"}, 7)
    assert listed(auth("consultant", sub="web:carol", caseload=["web:bob"])) == ({"rtn_b"}, 3)
    assert listed(auth("consultant", sub="web:carol")) == (set(), 0)
    assert listed(auth("project_lead"))[0] == {"rtn_a", "rtn_b", "rtn_c", "rtn_d"}  # pseudonymous, every client
