"""The reports through HTTP: per office and region, programme results, the half-yearly progress report."""
from __future__ import annotations


import pytest

from services.intake.handlers import follow_handover
from shared.events import new_event
from tests.unit.intake.caseload import post, quarterly


class TestReportsPerOfficeAndRegion:
    def test_the_whole_programme(self, intake, caseload, auth):
        client, _, _ = intake
        report = quarterly(client, auth("project_lead")).json
        assert report["filter"] == {"office": None, "region": None}
        assert report["programme"]["in_future_orientation"] == {"current": 0, "cumulative": 2}
        assert report["programme"]["in_return_guidance"] == {"current": 3, "cumulative": 3}
        assert report["programme"]["to_other_return_organisations"]["period"] == 1

    def test_one_region(self, intake, caseload, auth):
        client, _, _ = intake
        report = quarterly(client, auth("project_lead"), region="west").json
        assert report["filter"] == {"office": None, "region": "west"}
        assert report["programme"]["in_future_orientation"] == {"current": 0, "cumulative": 2}
        assert report["programme"]["in_return_guidance"] == {"current": 1, "cumulative": 1}
        assert report["figures"]["registered"]["cumulative"] == 2

    def test_one_office(self, intake, caseload, auth):
        client, _, _ = intake
        report = quarterly(client, auth("project_lead"), office="utrecht").json
        assert report["programme"]["in_return_guidance"] == {"current": 1, "cumulative": 1}
        assert report["programme"]["in_future_orientation"] == {"current": 0, "cumulative": 0}

    @pytest.mark.parametrize("query,field", [({"office": "atlantis"}, "office"), ({"region": "oz"}, "region"),
                                             ({"office": "utrecht", "region": "midden"}, "region")])
    def test_an_unknown_place_is_422(self, intake, auth, query, field):
        client, _, _ = intake
        response = quarterly(client, auth("project_lead"), **query)
        assert response.status_code == 422 and field in response.json["errors"]

    def test_the_csv_names_the_place(self, intake, caseload, auth):
        client, _, _ = intake
        response = quarterly(client, auth("project_lead"), region="west", format="csv")
        assert 'filename="quarterly-2026-Q1-west.csv"' in response.headers["Content-Disposition"]
        assert "programme,to_other_return_organisations,iom," in response.get_data(as_text=True)

    def test_the_report_holds_no_names_or_file_numbers(self, intake, caseload, auth):
        client, _, _ = intake
        text = quarterly(client, auth("project_lead")).get_data(as_text=True)
        assert "Ada" not in text and "F-9" not in text


class TestProgrammeResultsOverHttp:
    def test_the_window_and_the_figures(self, intake, caseload, auth):
        client, _, _ = intake
        lead = auth("project_lead")
        report = client.get("/v1/reports/programme?from=2026-03-01&to=2026-03-31", headers=lead).json
        assert report["figures"] == {"enrolled_in_counselling": 2, "referred_to_return_guidance": 1,
                                     "referred_to_other_return_organisations": 1, "enrolled_in_return_guidance": 3,
                                     "returned": 0, "returned_with_reintegration_support": 0}
        west = client.get("/v1/reports/programme?from=2026-03-01&to=2026-03-31&region=west", headers=lead).json
        assert west["figures"]["enrolled_in_return_guidance"] == 1
        assert client.get("/v1/reports/programme", headers=lead).json["to"] == "2026-04-01"  # today
        empty = client.get("/v1/reports/programme?from=2026-04-01&to=2026-04-01", headers=lead).json
        assert set(empty["figures"].values()) == {0}

    @pytest.mark.parametrize("query,field", [("from=2026-03-31&to=2026-03-01", "to"), ("from=2027-01-01", "from"),
                                             ("to=yesterday", "to"), ("since=2026-01-01", "since")])
    def test_a_bad_window_is_422_at_the_field(self, intake, auth, query, field):
        client, _, _ = intake
        response = client.get(f"/v1/reports/programme?{query}", headers=auth("project_lead"))
        assert response.status_code == 422 and field in response.json["errors"], response.json

    def test_csv_with_labels(self, intake, caseload, auth):
        client, _, _ = intake
        lines = client.get("/v1/reports/programme?to=2026-03-31&format=csv",
                           headers=auth("project_lead")).get_data(as_text=True).splitlines()
        assert lines[0] == "\ufefffigure,organisation,label_nl,label_en,count,section,target,target_max,result,met"
        assert lines[1].startswith("enrolled_in_counselling,,Ingeschreven en begeleid") and lines[1].endswith(",2,,,,,")

    def test_consultants_do_not_get_the_reports(self, intake):
        client, _, headers = intake
        assert client.get("/v1/reports/programme", headers=headers).status_code == 403


class TestProgressReport:
    def test_the_half_year_with_the_decision_the_steps_and_the_plan(self, intake, caseload, clock):
        client, service, headers = intake
        rid = caseload["amsterdam"]
        offered = post(client, headers, f"/v1/returnees/{rid}/handover", {"partner_id": "prt_01M8C64B0WCN70XCSRKNMQBNB3"})
        follow_handover(service.deps, new_event("partners", "handover.accepted.v1", rid, {
            "returnee_id": rid, "handover_id": offered["handover"]["id"], "partner_id": "prt_01M8C64B0WCN70XCSRKNMQBNB3"}, clock.now()))
        report = client.get(f"/v1/returnees/{rid}/progress-report?until=2026-04-01", headers=headers).json
        assert report["period"] == {"start": "2025-10-02", "end": "2026-04-01"}
        assert (report["given_name"], report["client_ref"], report["office"]) == ("Ada", "F-9", "amsterdam")
        assert report["stage"] == "return_guidance" and report["trajectory"] == "return_guidance"
        assert report["decision"] == {"decided_on": "2026-03-02", "at_registration": False, "exit": None}
        assert [(s["on"], s["step"]) for s in report["steps_in_period"]] == [
            ("2026-03-02", "registered"), ("2026-03-02", "decided_to_return"),
            ("2026-04-01", "handover_requested"), ("2026-04-01", "handover_accepted")]
        # a report up to the day of the decision ends there: no handover yet
        earlier = client.get(f"/v1/returnees/{rid}/progress-report?until=2026-03-02", headers=headers).json
        assert [s["step"] for s in earlier["steps_in_period"]] == ["registered", "decided_to_return"]

    def test_an_exited_client_reports_the_exit_and_project_leads_see_no_names_or_notes(self, intake, caseload, auth):
        client, _, headers = intake
        rid = caseload["haarlem"]
        report = client.get(f"/v1/returnees/{rid}/progress-report", headers=auth("project_lead")).json
        assert report["stage"] == "exited" and report["trajectory"] == "future_orientation"
        assert report["decision"]["exit"] == {"reason": "other_return_organisation", "organisation": "iom",
                                              "exited_on": "2026-03-02"}
        assert not {"given_name", "family_name", "client_ref", "date_of_birth"} & set(report)

    @pytest.mark.parametrize("until,message", [("2026-04-02", "future"), ("2026-03-01", "registration"),
                                               ("soon", "date")])
    def test_an_implausible_date_is_422(self, intake, caseload, until, message):
        client, _, headers = intake
        response = client.get(f"/v1/returnees/{caseload['utrecht']}/progress-report?until={until}", headers=headers)
        assert response.status_code == 422 and message in response.json["errors"]["until"].lower()

    def test_an_unknown_returnee_is_404(self, intake):
        client, _, headers = intake
        assert client.get("/v1/returnees/rtn_nobody/progress-report", headers=headers).status_code == 404
