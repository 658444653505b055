"""Monitoring's identifiers never reach a query as anything but a string (issue 10, item 1): operator
objects, arrays and numbers in a body, a path or a query string answer 4xx and change nothing."""
from __future__ import annotations

from urllib.parse import quote

import pytest

from tests.unit.monitoring.checkin_requests import body, post

HOSTILE = [{"$ne": None}, {"$in": ["rtn_own"]}, {"$regex": "^rtn_"}, ["rtn_own"], 42, 4.2, True, None]
HOSTILE_TEXT = ['{"$ne": null}', '["rtn_own"]', "42", "$where", ".*", "a" * 300]


class TestHostileIdentifiers:
    @pytest.mark.parametrize("value", HOSTILE, ids=repr)
    def test_a_check_in_for_an_operator_object_or_a_number_is_422_and_stores_nothing(self, monitoring, value):
        client, service, partner = monitoring
        before = service.repo.get("rtn_own")["checkins"]
        response = post(client, partner, body(returnee_id=value), key=f"k-{abs(hash(repr(value)))}")
        assert response.status_code == 422 and "returnee_id" in response.json["errors"]
        assert service.repo.get("rtn_own")["checkins"] == before

    @pytest.mark.parametrize("value", [v for v in HOSTILE if v is not None], ids=repr)  # null: no correction
    def test_a_correction_naming_an_operator_object_is_422(self, monitoring, value):
        client, _, partner = monitoring
        response = post(client, partner, body(supersedes=value), key=f"s-{abs(hash(repr(value)))}")
        assert response.status_code == 422

    @pytest.mark.parametrize("value", HOSTILE_TEXT)
    def test_paths_and_query_strings_carry_only_text_and_find_nothing(self, monitoring, value, auth):
        client, _, _ = monitoring
        staff = auth("consultant")
        assert client.get(f"/v1/cases/{quote(value, safe='')}", headers=staff).status_code == 404
        assert client.post(f"/v1/alerts/{quote(value, safe='')}/acknowledge", json={"note": "x"},
                           headers=staff).status_code in (404, 422)
        listed = client.get(f"/v1/cases?returnee_id={quote(value, safe='')}", headers=staff)
        assert listed.status_code in (200, 422) and (listed.status_code == 422 or listed.json["items"] == [])
