"""The pages offer and name the services' code lists as the APIs serve them (`GET /v1/vocabularies`): no
template or form holds a copy, so a page never offers a code the API does not know nor misses one it does.
The lists are fetched once per process and asked again with their ETag."""
from __future__ import annotations

import json
import re

import pytest

from tests.unit.web.conftest import INTAKE, MONITORING, PARTNERS
from tests.unit.web.returnee_answer import RETURNEE


def offered(html: str, select_id: str) -> list[str]:
    """The values of a <select>'s options, without the empty one."""
    select = re.search(rf'<select id="{re.escape(select_id)}"[^>]*>(.*?)</select>', html, re.S).group(1)
    return [v for v in re.findall(r'<option value="([^"]*)"', select) if v]


def checkboxes(html: str, name: str) -> list[str]:
    return re.findall(rf'type="checkbox" id="[^"]*" name="{re.escape(name)}" value="([^"]+)"', html)


def codes(vocabularies, service: str, name: str) -> list[str]:
    return [entry["code"] for entry in vocabularies[service][name]["codes"]]


def add_code(vocabularies, service: str, name: str, code: str, nl: str, en: str) -> None:
    vocabularies[service][name]["codes"].append({"code": code, "labels": {"nl": nl, "en": en, "fr": en}})


def vocabulary_calls(api, base: str) -> list:
    return [c for c in api.calls if c.request.url == f"{base}/v1/vocabularies"]


class TestTheRegisterForm:
    def test_offers_exactly_the_apis_lists(self, browser, api, vocabularies):
        html = browser("consultant").client.get("/returnees/new").get_data(as_text=True)
        assert offered(html, "f-gender") == codes(vocabularies, "intake", "genders")
        assert checkboxes(html, "vulnerabilities") == codes(vocabularies, "intake", "vulnerabilities")
        assert re.findall(r'name="reintegration_plan\.goals\.([a-z_]+)"', html) == codes(vocabularies, "intake",
                                                                                         "domains")
        assert offered(html, "f-reintegration_plan.planned_support.0.type") == codes(vocabularies, "intake",
                                                                                    "support_types")

    def test_a_code_added_to_the_vocabulary_is_offered_and_one_it_drops_is_not(self, browser, api, vocabularies):
        add_code(vocabularies, "intake", "support_types", "legal_aid", "Juridische hulp", "Legal aid")
        add_code(vocabularies, "intake", "vulnerabilities", "pregnant", "Zwanger", "Pregnant")
        add_code(vocabularies, "intake", "domains", "safety", "Veiligheid", "Safety")
        vocabularies["intake"]["support_types"]["codes"] = [
            e for e in vocabularies["intake"]["support_types"]["codes"] if e["code"] != "cash"]
        html = browser("consultant").client.get("/returnees/new").get_data(as_text=True)
        support = offered(html, "f-reintegration_plan.planned_support.0.type")
        assert "legal_aid" in support and "cash" not in support
        assert '<option value="legal_aid" >Juridische hulp</option>' in html
        assert "pregnant" in checkboxes(html, "vulnerabilities") and "Zwanger" in html
        assert 'name="reintegration_plan.goals.safety"' in html and "Veiligheid" in html

    def test_the_new_domain_s_goal_is_sent_to_the_api(self, browser, api, vocabularies):
        add_code(vocabularies, "intake", "domains", "safety", "Veiligheid", "Safety")
        created = api.post(f"{INTAKE}/v1/returnees", status=201, json={**RETURNEE, "id": "rtn_9"})
        b = browser("consultant")
        b.get("/returnees/new")
        b.post("/returnees/new", {"given_name": "A", "family_name": "B", "country_of_return": "NG",
                                  "reintegration_plan.goals.safety": "a safe place", "consent.given_on": "2026-03-01"})
        assert json.loads(created.calls[0].request.body)["reintegration_plan"]["goals"] == {"safety": "a safe place"}

    def test_labels_are_the_apis_in_the_page_s_language(self, browser, api, vocabularies):
        b = browser("consultant")
        dutch = b.client.get("/returnees/new").get_data(as_text=True)
        english = b.client.get("/returnees/new?lang=en").get_data(as_text=True)
        assert ">Eigen bedrijf starten</option>" in dutch and ">Starting a business</option>" in english
        assert ">Alleenstaande ouder</label>" in dutch and ">Single parent</label>" in english


class TestTheCaseloadFilter:
    def test_offers_exactly_the_apis_statuses_exited_too(self, browser, api, vocabularies):
        api.get(f"{INTAKE}/v1/returnees", json={"items": [], "next_cursor": None})
        html = browser("consultant").client.get("/returnees").get_data(as_text=True)
        assert offered(html, "status") == codes(vocabularies, "intake", "returnee_statuses")
        assert '<option value="exited" >Uitgestroomd zonder terugkeer</option>' in html

    def test_filters_by_a_status_the_api_added_and_ignores_one_it_does_not_know(self, browser, api, vocabularies):
        add_code(vocabularies, "intake", "returnee_statuses", "paused", "Gepauzeerd", "Paused")
        listed = api.get(f"{INTAKE}/v1/returnees", json={"items": [], "next_cursor": None})
        b = browser("consultant")
        b.client.get("/returnees?status=paused")
        b.client.get("/returnees?status=on_holiday")
        assert "status=paused" in listed.calls[0].request.url
        assert "status=" not in listed.calls[1].request.url


class TestTheReturneePage:
    def page(self, api, **fields):
        api.get(f"{INTAKE}/v1/returnees/rtn_1", json={**RETURNEE, **fields})

    def test_the_exit_reasons_are_the_apis(self, browser, api, vocabularies):
        add_code(vocabularies, "intake", "exit_reasons", "deceased", "Overleden", "Deceased")
        self.page(api)
        api.get(f"{MONITORING}/v1/cases/rtn_1", status=404, json={"status": 404})
        html = browser("consultant").client.get("/returnees/rtn_1").get_data(as_text=True)
        assert offered(html, "reason") == codes(vocabularies, "intake", "exit_reasons")
        assert '<option value="lso">Naar het LSO</option>' in html and ">Overleden</option>" in html

    def test_the_timeline_names_codes_with_the_apis_labels(self, browser, api, vocabularies):
        add_code(vocabularies, "monitoring", "contact_modes", "letter", "Brief per post", "Letter")
        self.page(api, status="arrived", handover={"partner_id": "ptn_1", "status": "arrived",
                                                   "decline": {"reason": "no_capacity"}},
                  history=[{"status": "registered", "at": "2026-03-01T10:00:00+00:00"},
                           {"status": "handover_declined", "at": "2026-03-02T10:00:00+00:00"}])
        api.get(f"{MONITORING}/v1/cases/rtn_1", json={
            "returnee_id": "rtn_1", "state": "active", "slots": [{"slot": 1, "due_on": "2026-04-01", "status": "due"}],
            "checkins": [{"id": "chk_1", "recorded_at": "2026-04-02T09:00:00Z", "slot": "1", "contact_made": True,
                          "contact_mode": "letter", "status": "re_migrated", "scores": {"economic": 2},
                          "index": 0.4, "support_delivered": [{"type": "business", "amount_eur": 100}]}],
            "alerts": [{"id": "alr_1", "type": "index_drop", "status": "acknowledged", "checkin_id": "chk_1",
                        "raised_at": "2026-04-02T09:00:00Z", "acknowledged_at": "2026-04-03T09:00:00Z"}]})
        html = browser("consultant").client.get("/returnees/rtn_1").get_data(as_text=True)
        assert "Overdracht afgewezen</strong>: Geen plek of tijd" in html  # partners' decline reason
        assert '<dd class="contact-mode">Brief per post</dd>' in html  # a contact mode monitoring added
        assert "Opnieuw vertrokken naar een ander land" in html  # where the returnee is
        assert "Eigen bedrijf starten" in html and "Duurzaamheidsindex sterk gedaald" in html
        assert '<span class="alert-status">In behandeling</span>' in html
        assert "<td>Nu aan de beurt</td>" in html  # the slot's state


class TestRevalidation:
    def test_the_lists_are_fetched_once_and_asked_again_with_their_etag(self, browser, api, web, vocabularies):
        api.get(f"{INTAKE}/v1/returnees", json={"items": [], "next_cursor": None})
        b = browser("consultant")
        b.client.get("/returnees")
        b.client.get("/returnees")
        assert len(vocabulary_calls(api, INTAKE)) == 1  # within the recheck interval: the copy held
        first = vocabulary_calls(api, INTAKE)[0]
        assert "If-None-Match" not in first.request.headers

        web.vocabularies._held.recheck = 0
        html = b.client.get("/returnees").get_data(as_text=True)
        second = vocabulary_calls(api, INTAKE)[1]
        assert second.request.headers["If-None-Match"] == first.response.headers["ETag"]
        assert second.response.status_code == 304
        assert offered(html, "status") == codes(vocabularies, "intake", "returnee_statuses")  # the copy kept

        add_code(vocabularies, "intake", "returnee_statuses", "paused", "Gepauzeerd", "Paused")
        html = b.client.get("/returnees").get_data(as_text=True)
        assert vocabulary_calls(api, INTAKE)[2].response.status_code == 200
        assert "paused" in offered(html, "status")

    def test_the_interval_is_a_setting(self, monkeypatch):
        from services.web.config import WebSettings

        assert WebSettings.from_env({}).vocabulary_recheck_seconds == 300
        assert WebSettings.from_env({"WEB_VOCABULARY_RECHECK_SECONDS": "30"}).vocabulary_recheck_seconds == 30

    def test_a_service_out_of_reach_keeps_the_copy_held(self, browser, api, web, vocabularies):
        import requests
        import responses

        api.get(f"{INTAKE}/v1/returnees", json={"items": [], "next_cursor": None})
        b = browser("consultant")
        b.client.get("/returnees")
        web.vocabularies._held.recheck = 0
        api.replace(responses.GET, f"{INTAKE}/v1/vocabularies", body=requests.ConnectionError("intake is down"))
        html = b.client.get("/returnees").get_data(as_text=True)
        assert "exited" in offered(html, "status")


@pytest.mark.parametrize("lang, text", [("nl", "Uitgestroomd zonder terugkeer"), ("en", "Left without return")])
def test_a_status_badge_reads_the_apis_label(browser, api, lang, text):
    api.get(f"{INTAKE}/v1/returnees/rtn_1", json={**RETURNEE, "status": "exited"})
    api.get(f"{MONITORING}/v1/cases/rtn_1", status=404, json={"status": 404})
    html = browser("consultant").client.get(f"/returnees/rtn_1?lang={lang}").get_data(as_text=True)
    assert f'<span class="status status-exited">{text}</span>' in html


def test_a_code_the_list_lacks_shows_as_the_code(browser, api):
    api.get(f"{INTAKE}/v1/returnees/rtn_1", json={**RETURNEE, "status": "on_holiday"})
    api.get(f"{MONITORING}/v1/cases/rtn_1", status=404, json={"status": 404})
    html = browser("consultant").client.get("/returnees/rtn_1").get_data(as_text=True)
    assert '<span class="status status-on_holiday">on_holiday</span>' in html


def test_the_partner_services_are_partners_support_types(browser, api, vocabularies):
    add_code(vocabularies, "partners", "support_types", "legal_aid", "Juridische hulp", "Legal aid")
    html = browser("admin").client.get("/partners").get_data(as_text=True)
    assert checkboxes(html, "services") == codes(vocabularies, "partners", "support_types")
    assert "Juridische hulp" in html


def test_the_vocabularies_are_read_with_the_signed_in_users_token(browser, api):
    api.get(f"{INTAKE}/v1/returnees", json={"items": [], "next_cursor": None})
    browser("consultant").client.get("/returnees")
    call = vocabulary_calls(api, INTAKE)[0]
    assert call.request.headers["Authorization"].startswith("Bearer ")
    assert vocabulary_calls(api, PARTNERS) == vocabulary_calls(api, MONITORING) == []  # not needed on this page
