"""The pages of figures show exactly what the APIs answer: a country's insights (suppressed cells said,
plurals, counts in the user's locale), the project lead's dashboard, and the outcomes per office."""
from __future__ import annotations

from tests.unit.web.targets_answer import TARGETS
from tests.unit.web.conftest import INTAKE, MONITORING, serve_alert_counts, serve_insights


class TestCountry:
    def test_suppressed_cells_say_fewer_than_k_and_plurals_are_right(self, browser, api):
        api.get(f"{INTAKE}/v1/countries/NG/insights", json={
            "country": "NG", "returnees": 6, "checkins": 1, "suppressed": False, "k": 5, "updated_at": None,
            "mean_scores_by_slot": {"1": {"suppressed": False, "returnees": 6, "economic": 2.5},
                                    "3": {"suppressed": True}}, "safety_concern_share": 0.167})
        b = browser("consultant")
        html = b.client.get("/countries/NG").get_data(as_text=True)
        assert "minder dan 5 terugkeerders" in html and "Gebaseerd op 6 terugkeerders" in html
        assert "1 monitoringsgesprek," not in html and "1 monitoringsgesprek" in html
        brief = b.client.get("/countries/NG/brief?lang=en").get_data(as_text=True)
        assert "Based on 6 returnees" in brief and "1 check-in)" in brief and "fewer than 5 returnees" in brief

    def test_counts_in_sentences_are_written_in_the_users_locale(self, browser, api):
        api.get(f"{INTAKE}/v1/countries/NG/insights", json={
            "country": "NG", "returnees": 1500, "checkins": 4200, "suppressed": True, "k": 5, "updated_at": None})
        b = browser("consultant")
        html = b.client.get("/countries/NG").get_data(as_text=True)
        assert "Gebaseerd op 1.500 terugkeerders" in html and "4.200 monitoringsgesprekken" in html
        html = b.client.get("/countries/NG?lang=en").get_data(as_text=True)
        assert "Based on 1,500 returnees" in html and "4,200 check-ins" in html


class TestDashboard:
    def test_charts_and_tables_show_exactly_the_apis_figures(self, browser, api):
        api.get(f"{INTAKE}/v1/reports/targets", json=TARGETS)
        api.get(f"{INTAKE}/v1/returnees/counts", json={"total": 3, "by_status": {"arrived": 2, "registered": 1},
                                                       "by_country": {"ET": 1, "NG": 2}})
        api.get(f"{MONITORING}/v1/outcomes", json={"by": "country", "k": 2, "rows": [
            {"group": "NG", "suppressed": False, "mean_index_by_slot": {"1": 0.437, "3": None}},
            {"group": "ET", "suppressed": True}]})
        serve_insights(api, {code: {"country": code, "suppressed": code == "ET", "k": 2, "safety_concern_share": 0.5,
                                    "mean_scores_by_slot": {"1": {"suppressed": False, "economic": 2.5}}}
                             for code in ("ET", "NG")})
        serve_alert_counts(api, {"index_drop": 2})
        api.get(f"{MONITORING}/v1/scorecard", json={"partners": [{"partner_id": "ptn_1", "mean_days_to_accept": 1.5,
                                                                  "mean_days_to_confirm_arrival": None,
                                                                  "overdue_rate": 0.25}]})
        html = browser("project_lead").client.get("/dashboard").get_data(as_text=True)
        assert 'data-value="0,44"' in html and ">0,44<" in html  # index: chart and table, two decimals
        assert 'data-label="Nigeria" data-value="2"' in html and 'data-label="Ethiopië" data-value="1"' in html
        assert 'data-value="50,0%"' in html and 'data-label="Lagos Desk" data-value="1,5"' in html
        assert 'data-value="2"' in html.split('id="chart-alerts"')[1]
        assert "minder dan 2 terugkeerders" in html  # Ethiopia's suppressed row


class TestOutcomesPerOffice:
    def test_offices_and_regions_are_named_and_the_unrecorded_group_is_said(self, browser, api):
        api.get(f"{INTAKE}/v1/offices", json={"regions": [
            {"id": "west", "name": "Regio West", "offices": [{"id": "den-haag", "name": "Steunpunt Den Haag"}]}]})
        api.get(f"{MONITORING}/v1/outcomes", json={"by": "office", "k": 2, "total": {"suppressed": True}, "rows": [
            {"group": "den-haag", "suppressed": False, "returnees": 4, "completed_share": 0.5,
             "mean_index_by_slot": {"1": 0.5}, "latest_index_distribution": {}, "states": {}},
            {"group": "none", "suppressed": True}]})
        html = browser("project_lead").client.get("/outcomes?by=office").get_data(as_text=True)
        assert "Steunpunt Den Haag" in html and 'aria-current="page">Per steunpunt' in html.replace("\n", "")
        assert ">geen<" in html
