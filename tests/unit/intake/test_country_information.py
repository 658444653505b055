"""Country information at intake: a country's insights and its HTML brief in English and Dutch, and the quarterly
report for project leads in JSON and CSV."""
from __future__ import annotations

from shared.events import new_event
from tests.unit.intake.returnees import register


class TestCountryInformation:
    def test_an_unknown_country_has_no_insight_yet_but_a_clear_answer(self, intake):
        client, _, headers = intake
        assert client.get("/v1/countries/ng/insights", headers=headers).json == {
            "country": "NG", "returnees": 0, "checkins": 0, "suppressed": True, "k": 5, "updated_at": None}
        assert client.get("/v1/countries/QQ/insights", headers=headers).status_code == 422

    def test_the_brief_is_html_in_english_and_dutch(self, intake, clock):
        from services.intake.handlers import keep_insights

        client, service, headers = intake
        insight = {"country": "ET", "returnees": 6, "checkins": 9, "suppressed": False, "k": 5, "version": 3,
                   "updated_at": "2026-03-01T10:00:00Z", "latest_contact_on": "2026-02-27",
                   "mean_scores_by_slot": {"1": {"suppressed": False, "returnees": 6, "economic": 2.5, "housing": 3.0,
                                                 "social": 4.0, "health": None, "resilience": 3.5}},
                   "weakest_domain": "economic", "safety_concern_share": 0.333,
                   "support": {"business": {"suppressed": False, "returnees": 5, "mean_latest_index": 0.61}},
                   "regions": {}}
        keep_insights(service.deps, new_event("monitoring", "country.insights_updated.v1", "ET", insight, clock.now()))
        older = {**insight, "version": 2, "returnees": 1}
        keep_insights(service.deps, new_event("monitoring", "country.insights_updated.v1", "ET", older, clock.now()))
        assert client.get("/v1/countries/ET/insights", headers=headers).json["returnees"] == 6
        english = client.get("/v1/countries/ET/brief", headers=headers)
        assert english.content_type.startswith("text/html")
        page = english.get_data(as_text=True)
        assert "Ethiopia" in page and "Based on 6 returnees" in page and "2.50" in page and "33.3%" in page
        dutch = client.get("/v1/countries/ET/brief", headers={**headers, "Accept-Language": "nl-NL, nl;q=0.9"})
        dutch = dutch.get_data(as_text=True)
        assert "Ethiopië" in dutch and "Gebaseerd op 6 terugkeerders" in dutch and "Eigen bedrijf starten" in dutch

    def test_a_suppressed_brief_shows_no_figures(self, intake, clock):
        from services.intake.handlers import keep_insights

        client, service, headers = intake
        keep_insights(service.deps, new_event("monitoring", "country.insights_updated.v1", "GN", {
            "country": "GN", "returnees": 3, "checkins": 4, "suppressed": True, "k": 5, "version": 1,
            "updated_at": "2026-03-01T10:00:00Z"}, clock.now()))
        page = client.get("/v1/countries/GN/brief", headers=headers).get_data(as_text=True)
        assert "fewer than 5" in page and "<table>" not in page

    def test_the_quarterly_report_is_for_project_leads_in_json_and_csv(self, intake, auth):
        client, _, headers = intake
        register(client, headers)
        lead = auth("project_lead")
        assert client.get("/v1/reports/quarterly?year=2026&quarter=1", headers=headers).status_code == 403
        report = client.get("/v1/reports/quarterly?year=2026&quarter=1", headers=lead).json
        assert report["figures"]["registered"] == {"period": 1, "cumulative": 1}
        csv = client.get("/v1/reports/quarterly?year=2026&quarter=1&format=csv", headers=lead)
        assert csv.content_type.startswith("text/csv")
        lines = csv.get_data(as_text=True).splitlines()
        assert lines[0] == ("\ufeffsection,figure,organisation,label_nl,label_en,current,period,cumulative,at_end,"
                            "target,target_max,result,met")
        assert "monitoring,registered,,Geregistreerd in Homeward,Registered in Homeward,,1,1,,,,," in lines
        assert client.get("/v1/reports/quarterly?year=2026&quarter=5", headers=lead).status_code == 422
