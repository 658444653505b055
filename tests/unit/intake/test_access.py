"""Need-to-know (issue 20, "who sees whom"): a consultant reads the clients of their offices, those they follow and
those their team or the colleagues they cover for follow; any other file opens only with a reason, recorded as a glass
break; the list, the search and the progress reports follow the same rule. Administrators and project leads read all."""
from __future__ import annotations

from urllib.parse import quote

import pytest

from services.intake.access import REASON_HEADER
from shared import access
from shared.auth import Principal
from tests.unit.intake.returnees import register


@pytest.fixture
def offices_world(intake, auth):
    """Two clients of Utrecht and Haarlem, followed by anna and bram; one of no office followed by carla."""
    client, _, _ = intake
    admin = auth("admin")
    ids = {name: register(client, admin, office=office, consultant=f"web:{name}", given_name=given).json["id"]
           for name, office, given in (("anna", "utrecht", "Abebe"), ("bram", "haarlem", "Bekele"),
                                       ("carla", None, "Chidi"))}
    return client, ids


def listed(client, headers, **query) -> set[str]:
    answer = client.get("/v1/returnees", query_string=query, headers=headers)
    assert answer.status_code == 200, answer.json
    return {r["id"] for r in answer.json["items"]}


class TestTheRule:
    def test_offices_following_team_and_cover_each_open_a_file(self):
        who = Principal(sub="web:anna", role="consultant", offices=("utrecht",), caseload=("web:bram",))
        assert access.may_read(who, "utrecht", None)  # own office
        assert access.may_read(who, None, "web:anna")  # follows
        assert access.may_read(who, "haarlem", "web:bram")  # covers for bram
        assert not access.may_read(who, "haarlem", "web:carla") and not access.may_read(who, None, None)
        assert access.may_read(Principal(sub="x", role="admin"), None, None)
        assert access.may_read(Principal(sub="y", role="project_lead"), "haarlem", None)

    def test_the_filter_names_the_fields_it_is_given(self):
        who = Principal(sub="web:anna", role="consultant", offices=("utrecht",), caseload=("web:bram",))
        assert access.visible_filter(who, "office", "consultant") == {"$or": [
            {"consultant": {"$in": ["web:anna", "web:bram"]}}, {"office": {"$in": ["utrecht"]}}]}
        assert access.visible_filter(Principal(sub="x", role="admin")) is None


class TestTheFile:
    def test_a_consultant_reads_their_offices_their_own_and_their_teams_clients(self, offices_world, auth):
        client, ids = offices_world
        anna = auth("consultant", sub="web:anna", offices=["haarlem"], caseload=["web:carla"])
        for name in ("anna", "bram", "carla"):  # followed, of her office, of a colleague she covers for
            assert client.get(f"/v1/returnees/{ids[name]}", headers=anna).status_code == 200, name
            assert client.get(f"/v1/returnees/{ids[name]}/notes", headers=anna).status_code == 200, name

    def test_another_clients_file_is_refused_without_a_reason(self, offices_world, auth):
        client, ids = offices_world
        anna = auth("consultant", sub="web:anna")
        for path in ("", "/notes", "/progress-report"):
            refused = client.get(f"/v1/returnees/{ids['bram']}{path}", headers=anna)
            assert refused.status_code == 403, path
            assert refused.json["type"].endswith("/problems/access-reason-required")
            assert refused.json["error_codes"] == {REASON_HEADER: "access_reason_required"}
        blank = client.get(f"/v1/returnees/{ids['bram']}", headers={**anna, REASON_HEADER: "   "})
        assert blank.status_code == 403
        too_long = client.get(f"/v1/returnees/{ids['bram']}", headers={**anna, REASON_HEADER: "x" * 501})
        assert too_long.status_code == 403
        assert client.patch(f"/v1/returnees/{ids['bram']}", json={"region": "Lagos"}, headers=anna).status_code == 403

    def test_with_a_reason_it_opens_and_the_glass_break_is_listed_for_administrators(self, offices_world, auth):
        client, ids = offices_world
        anna = {**auth("consultant", sub="web:anna"), REASON_HEADER: quote("Bram is ziek; ik neem zijn cliënt over")}
        assert client.get(f"/v1/returnees/{ids['bram']}", headers=anna).json["given_name"] == "Bekele"
        assert client.get(f"/v1/returnees/{ids['bram']}/notes", headers=anna).status_code == 200
        assert client.get(f"/v1/returnees/{ids['anna']}", headers=anna).status_code == 200  # her own: no break
        breaks = client.get("/v1/access/glass-breaks", headers=auth("admin"))
        assert breaks.status_code == 200, breaks.json
        [entry] = breaks.json["items"]
        assert (entry["who"], entry["returnee_id"], entry["reason"], entry["requests"]) == (
            "web:anna", ids["bram"], "Bram is ziek; ik neem zijn cliënt over", 2)
        assert entry["role"] == "consultant" and entry["path"] == f"/v1/returnees/{ids['bram']}" and entry["at"]
        only = client.get("/v1/access/glass-breaks", query_string={"returnee_id": ids["anna"]}, headers=auth("admin"))
        assert only.json["items"] == []
        assert client.get("/v1/access/glass-breaks", headers=auth("consultant")).status_code == 403
        audit = client.get("/v1/audit", query_string={"returnee_id": ids["bram"]}, headers=auth("admin")).json
        assert any(e["who"] == "web:anna" and e["status"] == 200 for e in audit["items"])

    def test_administrators_and_project_leads_need_no_reason(self, offices_world, auth):
        client, ids = offices_world
        assert client.get(f"/v1/returnees/{ids['carla']}", headers=auth("admin")).status_code == 200
        lead = client.get(f"/v1/returnees/{ids['carla']}", headers=auth("project_lead"))
        assert lead.status_code == 200 and "given_name" not in lead.json  # pseudonymous, as before
        assert client.get("/v1/access/glass-breaks", headers=auth("admin")).json["items"] == []


class TestTheListAndSearch:
    def test_the_list_holds_only_the_caseload(self, offices_world, auth):
        client, ids = offices_world
        assert listed(client, auth("consultant", sub="web:anna")) == {ids["anna"]}
        assert listed(client, auth("consultant", sub="web:anna", offices=["haarlem"])) == {ids["anna"], ids["bram"]}
        assert listed(client, auth("consultant", sub="web:dirk", caseload=["web:carla"])) == {ids["carla"]}
        assert listed(client, auth("admin")) == set(ids.values())

    def test_the_search_and_the_attention_list_keep_to_it_too(self, offices_world, auth):
        client, ids = offices_world
        anna = auth("consultant", sub="web:anna", offices=["haarlem"])
        assert listed(client, anna, q="bekele") == {ids["bram"]}
        assert listed(client, anna, q="chidi") == set()  # carla's client: not found, not even by name
        assert listed(client, anna, id=[ids["carla"], ids["anna"]]) == {ids["anna"]}
        assert listed(client, anna, attention="true") <= {ids["anna"], ids["bram"]}

    def test_the_progress_reports_of_an_office_hold_only_the_caseload(self, offices_world, auth):
        client, ids = offices_world
        anna = auth("consultant", sub="web:anna")
        answer = client.get("/v1/reports/progress", query_string={"region": "west"}, headers=anna)
        assert answer.status_code == 200
        assert b"Bekele" not in answer.data  # bram's client of Haarlem (west): not in anna's caseload
