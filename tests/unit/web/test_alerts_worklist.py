"""The alerts worklist is one page of monitoring's list (open and acknowledged, in the worklist's order), names
the returnee (read from intake once per returnee of the page) and keeps, on request, to the consultant's own
clients (monitoring filters by who follows the client); a link asks for the next page."""
from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest
from responses import matchers

from tests.unit.web.conftest import INTAKE, MONITORING


def _alert(alert_id: str, returnee_id: str, country: str = "NG") -> dict:
    return {"id": alert_id, "type": "safety_concern", "status": "open", "raised_at": "2026-03-01T00:00:00",
            "returnee_id": returnee_id, "country": country}


@pytest.fixture
def alerts(api):
    open_alerts = [_alert("a1", "rtn_1"), _alert("a2", "rtn_1"), _alert("a3", "rtn_2"), _alert("a4", "rtn_3")]
    api.get(f"{MONITORING}/v1/alerts", json={"items": open_alerts, "next_cursor": None},
            match=[matchers.query_param_matcher({"status": ["open", "acknowledged"], "order": "worklist",
                                                 "limit": "50"}, strict_match=False)])
    return api


def _row_link(html: str, alert_id: str) -> str:
    row = html.split(f'data-alert="{alert_id}"')[1].split("</tr>")[0]
    return row.split("<a ")[1].split("</a>")[0]


def test_each_alert_names_its_returnee_read_once_per_returnee(browser, alerts):
    one = alerts.get(f"{INTAKE}/v1/returnees/rtn_1", json={"id": "rtn_1", "given_name": "Amina", "family_name": "Okafor"})
    two = alerts.get(f"{INTAKE}/v1/returnees/rtn_2", json={"id": "rtn_2", "given_name": "Tigist", "family_name": "Bekele"})
    alerts.get(f"{INTAKE}/v1/returnees/rtn_3", status=404, json={"status": 404, "detail": "No such returnee."})
    html = browser("consultant").get("/alerts").get_data(as_text=True)
    assert _row_link(html, "a1") == 'href="/returnees/rtn_1">Amina Okafor'
    assert _row_link(html, "a2") == 'href="/returnees/rtn_1">Amina Okafor'
    assert _row_link(html, "a3") == 'href="/returnees/rtn_2">Tigist Bekele'
    assert _row_link(html, "a4") == 'href="/returnees/rtn_3">rtn_3'  # erased: the id, the page still works
    assert len(one.calls) == 1 and len(two.calls) == 1


def test_only_my_clients_asks_monitoring_for_the_alerts_of_the_clients_i_follow(browser, api):
    mine = api.get(f"{MONITORING}/v1/alerts", json={"items": [_alert("a3", "rtn_2")], "next_cursor": None})
    api.get(f"{INTAKE}/v1/returnees/rtn_2", json={"id": "rtn_2", "given_name": "Tigist", "family_name": "Bekele"})
    listed = api.get(f"{INTAKE}/v1/returnees", json={"items": [], "next_cursor": None})
    html = browser("consultant").get("/alerts?mine=1").get_data(as_text=True)
    assert [k.split('"')[0] for k in html.split('data-alert="')[1:]] == ["a3"]
    assert _row_link(html, "a3") == 'href="/returnees/rtn_2">Tigist Bekele'
    (call,) = mine.calls
    assert parse_qs(urlparse(call.request.url).query)["consultant"] == ["web:consultant"]
    assert not listed.calls  # intake's list is not walked any more
    assert 'id="mine" name="mine" type="checkbox" value="1" checked' in html
    assert "Alleen mijn cliënten" in html


def test_an_administrator_has_no_clients_of_their_own(browser, alerts):
    for rid in ("rtn_1", "rtn_2", "rtn_3"):
        alerts.get(f"{INTAKE}/v1/returnees/{rid}", json={"id": rid, "given_name": "A", "family_name": rid})
    html = browser("admin").get("/alerts?mine=1").get_data(as_text=True)
    assert len(html.split('data-alert="')) == 5 and 'id="mine"' not in html


def test_the_country_filter_is_a_list_of_names_in_the_pages_language(browser, alerts):
    for rid in ("rtn_1", "rtn_2", "rtn_3"):
        alerts.get(f"{INTAKE}/v1/returnees/{rid}", json={"id": rid})
    html = browser("consultant").get("/alerts?country=gn").get_data(as_text=True)
    assert '<option value="GN" selected>Guinee</option>' in html and '<option value="GU" >Guam</option>' in html
    assert alerts.calls[0].request.params["country"] == "GN"


def test_a_page_is_one_call_and_links_to_the_next_one(browser, api):
    first = api.get(f"{MONITORING}/v1/alerts", json={"items": [_alert("a1", "rtn_1")], "next_cursor": "a1"},
                    match=[matchers.query_param_matcher({"cursor": "a1"}, strict_match=False)])
    rest = api.get(f"{MONITORING}/v1/alerts", json={"items": [_alert("a1", "rtn_1")], "next_cursor": "a1"})
    api.get(f"{INTAKE}/v1/returnees/rtn_1", json={"id": "rtn_1", "given_name": "Amina", "family_name": "Okafor"})
    html = browser("consultant").get("/alerts?country=NG&mine=1").get_data(as_text=True)
    assert len(rest.calls) == 1 and not first.calls  # one page: the first
    link = html.split('rel="next" href="')[1].split('"')[0].replace("&amp;", "&")
    assert parse_qs(urlparse(link).query) == {"cursor": ["a1"], "country": ["NG"], "mine": ["1"]}
    api.replace("GET", f"{MONITORING}/v1/alerts", json={"items": [], "next_cursor": None})
    later = browser("consultant").get("/alerts" + link).get_data(as_text=True)
    assert "Geen open signalen meer." in later and 'rel="next"' not in later


def test_the_returnees_of_a_page_are_named_in_one_call(browser, api):
    ids = ["rtn_01JABCDEFGHJKMNPQRSTVWXYZ0", "rtn_01JABCDEFGHJKMNPQRSTVWXYZ1"]
    api.get(f"{MONITORING}/v1/alerts", json={"items": [_alert("a1", ids[0]), _alert("a2", ids[1]),
                                                       _alert("a3", ids[1])], "next_cursor": None})
    listed = api.get(f"{INTAKE}/v1/returnees", json={"items": [
        {"id": ids[1], "given_name": "Tigist", "family_name": "Bekele"}], "next_cursor": None})  # the other erased
    html = browser("consultant").get("/alerts").get_data(as_text=True)
    (call,) = listed.calls
    assert parse_qs(urlparse(call.request.url).query)["id"] == ids
    assert _row_link(html, "a2") == f'href="/returnees/{ids[1]}">Tigist Bekele'
    assert _row_link(html, "a1") == f'href="/returnees/{ids[0]}">{ids[0]}'
