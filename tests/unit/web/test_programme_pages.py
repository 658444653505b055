"""The programme's pages: decision and exit on a returnee, the quarterly report's two sections,
programme results and the printable progress report, against faked APIs."""
from __future__ import annotations

import json
import re

from tests.unit.web.targets_answer import TARGETS
from tests.unit.web.conftest import INTAKE, MONITORING
from tests.unit.web.returnee_answer import RETURNEE

OFFICES = {"regions": [{"id": "west", "name": "West-Nederland", "offices": [{"id": "haarlem", "name": "Haarlem"}]}]}
LABELS = {"sections": {"programme": {"nl": "Kwartaalrapportage", "en": "Quarterly report: programme"},
                       "monitoring": {"nl": "Monitoringcijfers van Homeward", "en": "Homeward's monitoring figures"}},
          "columns": {c: {"nl": c, "en": c} for c in ("current", "period", "cumulative", "at_end")},
          "programme": {"in_future_orientation": {"nl": "Aantal cliënten in traject Toekomstoriëntatie",
                                                  "en": "Clients in future orientation"},
                        "to_other_return_organisations": {"nl": "Aantal cliënten uitgestroomd naar andere "
                                                                "terugkeerorganisaties", "en": "To other organisations"}},
          "monitoring": {"registered": {"nl": "Geregistreerd in Homeward", "en": "Registered in Homeward"}}}
QUARTER = {"year": 2026, "quarter": 1, "period": {"start": "2026-01-01", "end": "2026-03-31"},
           "filter": {"office": None, "region": "west"},
           "programme": {"in_future_orientation": {"current": 17, "cumulative": 41},
                         "to_other_return_organisations": {"period": 3, "cumulative": 8, "by_organisation": [
                             {"organisation": "iom", "name": "IOM", "period": 2, "cumulative": 5}]}},
           "figures": {"registered": {"period": 6, "cumulative": 59}}, "labels": LABELS, "targets": TARGETS,
           "breakdown": None}


def returnee_page(api, **fields):
    api.get(f"{INTAKE}/v1/returnees/rtn_1", json={**RETURNEE, **fields})
    api.get(f"{MONITORING}/v1/cases/rtn_1", status=404, json={"status": 404})


class TestDecisionAndExit:
    def test_a_client_in_future_orientation_gets_the_decision_form_not_the_handover(self, browser, api):
        returnee_page(api, trajectory="future_orientation")
        html = browser("consultant").client.get("/returnees/rtn_1?lang=en").get_data(as_text=True)
        assert "Start return guidance" in html and "Hand over to a partner" not in html
        assert "Close the case without return" in html and '<option value="iom">IOM</option>' in html

    def test_the_decision_is_sent_to_the_api(self, browser, api):
        returnee_page(api, trajectory="future_orientation")
        decided = api.post(f"{INTAKE}/v1/returnees/rtn_1/trajectory", json=RETURNEE)
        b = browser("consultant")
        b.get("/returnees/rtn_1")
        assert b.post("/returnees/rtn_1/trajectory", {"trajectory": "return_guidance",
                                                      "decided_on": "2026-03-01"}).status_code == 302
        assert json.loads(decided.calls[0].request.body) == {"trajectory": "return_guidance", "decided_on": "2026-03-01"}

    def test_an_exit_error_from_the_api_lands_at_its_field(self, browser, api):
        returnee_page(api)
        exit_call = api.post(f"{INTAKE}/v1/returnees/rtn_1/exit", status=422, json={
            "status": 422, "detail": "Implausible exited on.", "errors": {"exited_on": "Must not be in the future."},
            "error_codes": {"exited_on": "future_date"}})
        b = browser("consultant")
        b.get("/returnees/rtn_1")
        response = b.post("/returnees/rtn_1/exit?lang=en",
                          {"reason": "lso", "exited_on": "2099-01-01", "organisation": ""})
        assert response.status_code == 422
        html = response.get_data(as_text=True)
        assert html.index("Must not be in the future.") > html.index('id="exited_on"')
        assert json.loads(exit_call.calls[0].request.body) == {"reason": "lso", "exited_on": "2099-01-01", "note": ""}


class TestReportPages:
    def test_the_quarterly_report_shows_the_programmes_figures_first_in_the_users_language(self, browser, api):
        api.get(f"{INTAKE}/v1/reports/quarterly", json=QUARTER)
        api.get(f"{INTAKE}/v1/offices", json=OFFICES)
        html = browser("project_lead").client.get("/reports/quarterly?year=2026&quarter=1&region=west").get_data(
            as_text=True)
        assert html.index("Aantal cliënten in traject Toekomstoriëntatie") < html.index("Geregistreerd in Homeward")
        assert ">17<" in html and ">41<" in html and "– IOM" in html
        assert "region=west" in api.calls[0].request.url

    def test_the_quarterly_report_shows_its_targets_and_a_breakdown_with_hidden_groups(self, browser, api):
        breakdown = {"by": "gender", "k": 5, "rows": [
            {"group": "female", "suppressed": False, "clients": 12, "figures": {
                "in_future_orientation": {"current": 7, "cumulative": 9},
                "to_other_return_organisations": {"period": 2, "cumulative": 3}}},
            {"group": "male", "suppressed": True, "suppressed_reason": "small_group"}]}
        api.get(f"{INTAKE}/v1/reports/quarterly", json={**QUARTER, "breakdown": breakdown})
        api.get(f"{INTAKE}/v1/offices", json=OFFICES)
        html = browser("project_lead").client.get("/reports/quarterly?year=2026&quarter=1&breakdown=gender").get_data(
            as_text=True)
        assert "breakdown=gender" in api.calls[0].request.url
        assert "Beoogde resultaten 2026" in html and "150 tot 200" in html and "(5/6)" in html
        assert "Naar gender" in html and ">12<" in html and "7 / 9" in html and "2 / 3" in html
        assert "Minder dan 5 cliënten: niet getoond" in html

    def test_programme_results(self, browser, api):
        api.get(f"{INTAKE}/v1/reports/programme", json={
            "from": "2026-01-01", "to": "2026-03-31", "filter": {"office": None, "region": None},
            "figures": {"enrolled_in_counselling": 319, "referred_to_other_return_organisations": 77},
            "by_organisation": [{"organisation": "iom", "name": "IOM", "referred": 30}],
            "labels": {"enrolled_in_counselling": {"nl": "Ingeschreven", "en": "Enrolled in counselling"},
                       "referred_to_other_return_organisations": {"nl": "Doorverwezen", "en": "Referred"}}})
        api.get(f"{INTAKE}/v1/offices", json=OFFICES)
        html = browser("project_lead").client.get("/reports/programme?from=2026-01-01&to=2026-03-31&lang=en").get_data(
            as_text=True)
        assert "Enrolled in counselling" in html and ">319<" in html and ">30<" in html
        assert "from=2026-01-01" in api.calls[0].request.url

    def test_consultants_do_not_get_programme_results(self, browser):
        assert browser("consultant").client.get("/reports/programme").status_code == 403


class TestProgressReport:
    REPORT = {"returnee_id": "rtn_1", "given_name": "Amina", "family_name": "Okafor", "client_ref": "VWN-7",
              "period": {"start": "2025-10-02", "end": "2026-04-01"}, "office": "haarlem", "country_of_return": "NG",
              "stage": "exited", "trajectory": "future_orientation",
              "decision": {"decided_on": None, "exit": {"reason": "other_return_organisation", "organisation": "iom",
                                                        "exited_on": "2026-03-02", "note": "x"}},
              "plan": {"goals": {"economic": "tailoring"}, "planned_support": [], "planned_departure_date": None},
              "steps_in_period": [{"on": "2026-03-01", "step": "registered"}, {"on": "2026-03-02", "step": "exited",
                                                                                "reason": "other_return_organisation"}],
              "monitoring": None}

    def test_a_printable_page_with_the_stage_decision_and_steps(self, browser, api):
        api.get(f"{INTAKE}/v1/returnees/rtn_1/progress-report", json=self.REPORT)
        html = browser("consultant").client.get("/returnees/rtn_1/progress-report").get_data(as_text=True)
        assert "Halfjaarlijkse voortgangsrapportage" in html and "Amina Okafor" in html
        assert "Uitgestroomd zonder terugkeer" in html and "IOM" in html and "besloten" not in html
        assert html.count("<li><time") == 2

    def test_project_leads_see_no_name_even_if_the_api_sent_one(self, browser, api):
        api.get(f"{INTAKE}/v1/returnees/rtn_1/progress-report", json=self.REPORT)
        html = browser("project_lead").client.get("/returnees/rtn_1/progress-report").get_data(as_text=True)
        assert "rtn_1" in html and "Amina" not in html and "VWN-7" not in html

    def test_the_judgement_before_return_beside_the_latest_scores_after_it(self, browser, api):
        rows = [{"domain": d, "before": b, "after": a, "change": c} for d, b, a, c in (
            ("economic", 2, 4, 2), ("housing", 3, 3, 0), ("social", 4, 2, -2), ("health", 3, None, None),
            ("resilience", None, 5, None))]
        report = {**self.REPORT, "before_after": {
            "before": {"assessed_on": "2026-01-10", "moment": "after_action_plan", "judgement": "Haalbaar."},
            "after": {"scored_on": "2026-03-20"}, "domains": rows}}
        api.get(f"{INTAKE}/v1/returnees/rtn_1/progress-report", json=report)
        html = browser("consultant").client.get("/returnees/rtn_1/progress-report").get_data(as_text=True)
        assert "Voor en na terugkeer" in html and "Na terugkeer" in html and "Haalbaar." in html
        cells = re.findall(r'<td class="num change"[^>]*>([^<]*)</td>', html)
        assert cells == ["+2", "+0", "-2", "–", "–"]

    def test_no_before_after_table_without_either_side(self, browser, api):
        report = {**self.REPORT, "before_after": {"before": None, "after": None, "domains": []}}
        api.get(f"{INTAKE}/v1/returnees/rtn_1/progress-report", json=report)
        html = browser("consultant").client.get("/returnees/rtn_1/progress-report").get_data(as_text=True)
        assert "before-after-table" not in html
