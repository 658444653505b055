"""The home and cases pages cost a page, not the organisation's caseload (issue 23): each asks the APIs one
bounded page (a fake client, the real one with its list reads answered from memory, records every call), the
cases page links to the next page and page 2 shows the next cases; nothing in the portal walks an API's pages."""
from __future__ import annotations

import ast
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from ulid import ULID

from services.portal.clients import PAGE_MOST, MonitoringApi, PartnersApi
from tests.unit.portal.conftest import ORG, sign_in

PORTAL = Path(__file__).resolve().parents[3] / "services" / "portal"
TODAY = date(2026, 3, 2)  # the portal fixture's clock


def caseload(size: int) -> tuple[list[dict], list[dict]]:
    """`size` arrived handovers (offered one second apart, so in id order) and their cases, each due soon."""
    handovers, cases = [], []
    for n in range(size):
        rid, hid = f"rtn_{ULID.from_timestamp(1767225600 + n)}", f"hnd_{ULID.from_timestamp(1767225600 + n)}"
        handovers.append({"id": hid, "returnee_id": rid, "partner_id": ORG, "country": "GN", "status": "arrived",
                          "offered_at": f"2026-01-01T00:{n // 60 % 60:02d}:{n % 60:02d}+00:00",
                          "personal": {"given_name": f"Client{n:04d}", "family_name": "Diallo"}})
        due = (TODAY + timedelta(days=n % 5)).isoformat()
        cases.append({"returnee_id": rid, "state": "active", "next_due_on": due, "open_alerts": 0,
                      "next_due": {"slot": 1, "due_on": due, "status": "scheduled"}})
    return handovers, cases


def paged(items: list, params: dict, keep, newest: bool = False) -> dict:
    """The APIs' keyset page: the matches after the cursor in id order (backwards when newest), at most limit."""
    limit = int(params["limit"])
    assert 1 <= limit <= PAGE_MOST
    key = lambda item: item.get("id") or item["returnee_id"]  # noqa: E731 - a sort key
    found = sorted((i for i in items if keep(i)), key=key, reverse=newest)
    if params.get("cursor"):
        found = [i for i in found if (key(i) < params["cursor"]) == newest and key(i) != params["cursor"]]
    return {"items": found[:limit], "next_cursor": key(found[limit - 1]) if len(found) > limit else None}


class Recording:
    """The real client, its list `PATH` answered from `held` and every call of it recorded."""
    PATH = ""

    def __init__(self, real, held: list):
        super().__init__(real.base_url, real._token, real._timeout, real._http)
        self.held, self.calls = held, []

    def get(self, path: str, **params):
        if path != self.PATH:
            return super().get(path, **params)
        params = {k: v for k, v in params.items() if v not in (None, "")}  # as the real one sends them
        self.calls.append((path, params))
        return paged(self.held, params, lambda item: self.keeps(item, params), params.get("order") == "newest")


class RecordingPartners(Recording, PartnersApi):
    PATH = "/v1/handovers"

    @staticmethod
    def keeps(handover: dict, params: dict) -> bool:
        statuses, ids = params.get("status") or [], params.get("returnee_id") or []
        return (not statuses or handover["status"] in statuses) and (not ids or handover["returnee_id"] in ids)


class RecordingMonitoring(Recording, MonitoringApi):
    PATH = "/v1/cases"

    @staticmethod
    def keeps(case: dict, params: dict) -> bool:
        ids, due_by = params.get("returnee_id") or [], params.get("due_by")
        return ((not ids or case["returnee_id"] in ids) and (not due_by or case["next_due_on"] <= due_by)
                and (not params.get("open_alerts") or case["open_alerts"] > 0))


@pytest.fixture
def recording(app, api, portal):
    def start(size: int):
        handovers, cases = caseload(size)
        portal.partners = RecordingPartners(portal.partners, handovers)
        portal.monitoring = RecordingMonitoring(portal.monitoring, cases)
        client = app.test_client()
        sign_in(client, api)
        portal.partners.calls.clear(), portal.monitoring.calls.clear()
        return client, portal.partners, portal.monitoring
    return start


def portal_due_days() -> int:
    from services.portal.config import PortalSettings

    return PortalSettings().due_days


def next_link(page: str) -> str:
    return re.search(r'id="next-page" rel="next" href="(/cases\?cursor=[^"]+)"', page).group(1)


def names_on(page: str) -> list[str]:
    return re.findall(r"Client(\d{4})", page)


def test_the_cases_page_reads_one_page_of_each_api_and_page_two_shows_the_next_cases(recording):
    client, partners, monitoring = recording(120)
    first = client.get("/cases").get_data(as_text=True)
    assert names_on(first) == [f"{n:04d}" for n in range(119, 69, -1)]  # the 50 newest, newest first
    assert [p["limit"] for _, p in partners.calls] == [50] and partners.calls[0][1]["status"] == ["accepted", "arrived"]
    assert len(monitoring.calls) == 1 and len(monitoring.calls[0][1]["returnee_id"]) == 50
    assert "Prochain suivi : mois 1" in first  # the case's next check-in, from monitoring's page of those 50
    second = client.get(next_link(first)).get_data(as_text=True)
    assert names_on(second) == [f"{n:04d}" for n in range(69, 19, -1)]
    assert "Première page" in second
    third = client.get(next_link(second)).get_data(as_text=True)
    assert names_on(third) == [f"{n:04d}" for n in range(19, -1, -1)] and 'id="next-page"' not in third
    assert len(partners.calls) == len(monitoring.calls) == 3  # one call to each API per page


@pytest.mark.parametrize("size", [30, 600])
def test_the_home_page_makes_the_same_bounded_calls_for_30_cases_as_for_600(recording, api, size):
    client, partners, monitoring = recording(size)
    page = client.get("/").get_data(as_text=True)
    assert [sorted(p) for _, p in monitoring.calls] == [["due_by", "limit"], ["limit", "open_alerts"]]
    assert monitoring.calls[0][1]["due_by"] == (TODAY + timedelta(days=portal_due_days())).isoformat() and monitoring.calls[0][1]["limit"] == 100
    assert [p.get("status") for _, p in partners.calls] == [["arrived"], ["offered"]]
    assert len(partners.calls[0][1]["returnee_id"]) == min(size, 100)  # the names of the cases listed, one call
    due = page.split('id="due"')[1].split("</ul>")[0]
    assert len(re.findall(r'<li class="card', due)) == min(size, 100) and "Client0000 Diallo" in due
    assert ('id="more-due"' in page) == (size > 100)


def test_no_loop_over_an_apis_pages_remains_in_the_portal():
    """The portal's code reads `next_cursor` only to link to the next page, never in a loop."""
    for source in PORTAL.rglob("*.py"):
        for node in ast.walk(ast.parse(source.read_text())):
            if isinstance(node, (ast.While, ast.For)):
                assert "next_cursor" not in ast.unparse(node), source
            assert getattr(node, "attr", None) != "all_pages", source
