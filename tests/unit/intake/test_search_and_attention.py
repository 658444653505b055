"""`GET /v1/returnees` searches (`q`: words starting a name or the client reference, accents and case ignored,
or an id) and filters who needs attention (`attention=true`), a page at a time; erased returnees are never found."""
from __future__ import annotations

from services.intake.documents import Returnee
from services.intake.handlers import follow_monitoring
from shared.events import new_event
from tests.unit.intake.returnees import arrived_without_departure, register


def found(client, headers, **query) -> list[str]:
    answer = client.get("/v1/returnees", query_string=query, headers=headers)
    assert answer.status_code == 200, answer.json
    return [r["family_name"] or r["id"] for r in answer.json["items"]]


class TestSearch:
    def test_a_search_matches_word_prefixes_of_names_and_the_reference_without_accents_or_case(self, intake):
        client, _, headers = intake
        register(client, headers, given_name="Chiamaka", family_name="Ọ̀kàfọ́r-Eze", client_ref="VWN-912")
        register(client, headers, given_name="Jan-Willem", family_name="de Vries", client_ref="HW 7")
        register(client, headers, given_name="Ruth", family_name="Bekele", client_ref="X-1")
        assert found(client, headers, q="okaf") == ["Ọ̀kàfọ́r-Eze"]
        assert found(client, headers, q="EZE") == ["Ọ̀kàfọ́r-Eze"]
        assert found(client, headers, q="vwn-9") == ["Ọ̀kàfọ́r-Eze"]
        assert found(client, headers, q="willem vr") == ["de Vries"]
        assert found(client, headers, q="hw7") == ["de Vries"]
        assert found(client, headers, q="ruth bekele") == ["Bekele"]
        assert found(client, headers, q="ekele") == []  # a prefix, not any part of a word
        assert found(client, headers, q="ruth vries") == []  # every word must match

    def test_a_search_by_id_finds_that_returnee(self, intake):
        client, _, headers = intake
        rid = register(client, headers, family_name="Bekele").json["id"]
        register(client, headers, family_name="Other")
        assert found(client, headers, q=rid.lower()) == ["Bekele"]

    def test_a_corrected_name_is_found_by_the_new_name_only_and_an_erased_returnee_never(self, intake):
        client, _, headers = intake
        rid = register(client, headers, family_name="Bekele").json["id"]
        assert client.patch(f"/v1/returnees/{rid}", json={"family_name": "Haile"}, headers=headers).status_code == 200
        assert found(client, headers, q="haile") == ["Haile"] and found(client, headers, q="bekele") == []
        assert client.delete(f"/v1/returnees/{rid}", headers=headers).status_code == 204
        assert found(client, headers, q="haile") == [] and found(client, headers, q=rid) == []
        assert "search" not in Returnee.objects(id=rid).as_pymongo().first()

    def test_search_results_come_a_page_at_a_time_with_the_filters(self, intake):
        client, _, headers = intake
        ids = [register(client, headers, family_name="Okafor", client_ref=f"R-{i}").json["id"] for i in range(5)]
        register(client, headers, family_name="Okafor", country_of_return="NG")
        first = client.get("/v1/returnees?q=okafor&country=ET&limit=2", headers=headers).json
        assert [r["id"] for r in first["items"]] == ids[:2] and first["next_cursor"] == ids[1]
        rest = client.get(f"/v1/returnees?q=okafor&country=ET&limit=3&cursor={ids[1]}", headers=headers).json
        assert [r["id"] for r in rest["items"]] == ids[2:] and rest["next_cursor"] is None

    def test_project_leads_may_not_search_by_name(self, intake, auth):
        client, _, headers = intake
        register(client, headers)
        answer = client.get("/v1/returnees?q=yonas", headers=auth("project_lead"))
        assert answer.status_code == 403 and answer.content_type == "application/problem+json"
        assert client.get("/v1/returnees?q=" + "x" * 201, headers=headers).status_code == 422


class TestNeedsAttention:
    def test_intake_lists_who_needs_attention_today(self, intake, clock):
        client, service, headers = intake
        quiet = register(client, headers, family_name="Quiet").json["id"]
        overdue, alerted, later = (register(client, headers, family_name=name).json["id"]
                                   for name in ("Overdue", "Alerted", "Later"))
        for rid, summary in ((overdue, {"next_due_on": "2026-03-01", "open_alerts": 0}),
                             (alerted, {"next_due_on": "2026-05-01", "open_alerts": 1}),
                             (later, {"next_due_on": clock.today().isoformat(), "open_alerts": 0})):
            follow_monitoring(service.deps, new_event("monitoring", "checkin.recorded.v1", rid,
                                                      {"returnee_id": rid, "summary": summary}, clock.now()))
        Returnee.objects(id=quiet).update_one(set__status="handover_declined")
        arrived = arrived_without_departure(client, service, headers, clock)
        assert found(client, headers, attention="true") == ["Quiet", "Overdue", "Alerted", "Tesfaye"]
        assert found(client, headers, attention="true", q="over") == ["Overdue"]
        assert client.post(f"/v1/returnees/{arrived}/departure", json={"departed_on": "2026-02-18"},
                           headers=headers).status_code == 200
        assert "Tesfaye" not in found(client, headers, attention="true")
        assert len(found(client, headers)) == 5
