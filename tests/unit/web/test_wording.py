"""What the pages say must be true and read well (issue 16, item 13): suppression says why a group is
hidden, no "based on 0 returnees" for figures not published, plurals, the brief's printed-on line,
the progress report's decision, and one number format per kind."""
from __future__ import annotations

from tests.unit.web.targets_answer import TARGETS
from tests.unit.web.conftest import INTAKE, MONITORING, PARTNERS, serve_alert_counts, serve_insights
from tests.unit.web.returnee_answer import RETURNEE
from tests.unit.web.webhook_answer import webhook_page


def _returnee_page(browser, api, household, lang="nl"):
    api.get(f"{INTAKE}/v1/returnees/rtn_1", json={**RETURNEE, "household": household})
    api.get(f"{MONITORING}/v1/cases/rtn_1", status=404, json={"status": 404, "title": "Not Found"})
    return browser("consultant").client.get(f"/returnees/rtn_1?lang={lang}").get_data(as_text=True)


class TestPlurals:
    def test_one_adult_and_one_minor_are_singular_in_dutch(self, browser, api):
        html = _returnee_page(browser, api, {"adults": 1, "minors": 1})
        assert "1 volwassene, 1 begeleide minderjarige<" in html and "1 volwassenen" not in html

    def test_more_than_one_are_plural_and_none_is_plural_too(self, browser, api):
        html = _returnee_page(browser, api, {"adults": 2, "minors": 0})
        assert "2 volwassenen, 0 begeleide minderjarigen<" in html

    def test_english_likewise(self, browser, api):
        html = _returnee_page(browser, api, {"adults": 1, "minors": 3}, lang="en")
        assert "1 adult, 3 accompanied minors<" in html


    def test_one_message_sent_again_or_waiting_is_singular(self, browser, api):
        webhook_page(api)
        api.post(f"{PARTNERS}/v1/partners/ptn_1/webhook/resume", json={"messages_due": 1})
        api.post(f"{PARTNERS}/v1/partners/ptn_1/webhook/deliveries/replay", status=202, json={"replayed": 1})
        b = browser("admin")
        b.get("/partners/ptn_1")
        b.post("/partners/ptn_1/webhook/resume")
        b.post("/partners/ptn_1/deliveries/replay")
        html = b.get("/partners/ptn_1").get_data(as_text=True)
        assert "1 wachtend bericht gaat" in html and "1 mislukt bericht wordt" in html
        assert "1 wachtende berichten" not in html and "1 mislukte berichten" not in html


OUTCOMES = {"by": "partner", "k": 5, "total": {"suppressed": False, "returnees": 14, "completed_share": 0.5,
                                                  "mean_index_by_slot": {"1": 0.5}},
            "rows": [{"group": "ptn_1", "suppressed": True, "suppressed_reason": "protects_other"},
                     {"group": "ptn_2", "suppressed": False, "returnees": 7, "completed_share": 0.25,
                      "mean_index_by_slot": {"1": 0.4375}},
                     {"group": "ptn_3", "suppressed": True, "suppressed_reason": "small_group"}]}


class TestSuppression:
    def test_a_group_hidden_to_protect_another_is_not_called_small(self, browser, api):
        api.get(f"{MONITORING}/v1/outcomes", json=OUTCOMES)
        html = browser("project_lead").client.get("/outcomes?by=partner").get_data(as_text=True)
        rows = {row.split("</th>")[0].rsplit(">", 1)[-1]: row for row in html.split("<tr")[1:]}
        protected = next(r for name, r in rows.items() if "Lagos Desk" in name)
        small = next(r for name, r in rows.items() if "ptn_3" in name)
        assert "minder dan 5" not in protected and "zodat een kleinere groep niet te herleiden is" in protected
        assert "minder dan 5 terugkeerders" in small
        assert ">0,44<" in html  # an index: two decimals

    def test_the_dashboard_says_the_same(self, browser, api):
        api.get(f"{INTAKE}/v1/reports/targets", json=TARGETS)
        api.get(f"{INTAKE}/v1/returnees/counts", json={"total": 14, "by_status": {"arrived": 14},
                                                       "by_country": {"NG": 12, "ET": 2}})
        api.get(f"{MONITORING}/v1/outcomes", json={"by": "country", "k": 5, "rows": [
            {"group": "ET", "suppressed": True, "suppressed_reason": "small_group"},
            {"group": "NG", "suppressed": True, "suppressed_reason": "protects_other"}]})
        serve_insights(api, {code: {"country": code, "suppressed": True, "k": 5, "returnees": 0, "checkins": 0}
                             for code in ("ET", "NG")})
        serve_alert_counts(api, {})
        api.get(f"{MONITORING}/v1/scorecard", json={"partners": []})
        html = browser("project_lead").client.get("/dashboard").get_data(as_text=True)
        index = html.split('id="chart-index"')[1].split("</section>")[0]
        ethiopia, nigeria = index.split("Ethiopië")[1].split("</tr>")[0], index.split("Nigeria")[1].split("</tr>")[0]
        assert "minder dan 5 terugkeerders" in ethiopia
        assert "minder dan 5" not in nigeria and "zodat een kleinere groep niet te herleiden is" in nigeria

    def test_no_based_on_zero_returnees_for_a_country_with_nothing_published(self, browser, api):
        api.get(f"{INTAKE}/v1/countries/ET/insights", json={
            "country": "ET", "returnees": 0, "checkins": 0, "suppressed": True, "k": 5, "updated_at": None})
        b = browser("consultant")
        html = b.client.get("/countries/ET").get_data(as_text=True)
        assert "Gebaseerd op 0" not in html and "0 monitoringsgesprekken" not in html
        assert "Nog geen cijfers" in html
        brief = b.client.get("/countries/ET/brief").get_data(as_text=True)
        assert "Gebaseerd op 0" not in brief and "Nog geen cijfers" in brief


class TestBrief:
    INSIGHT = {"country": "NG", "returnees": 6, "checkins": 9, "suppressed": False, "k": 5,
               "mean_scores_by_slot": {"1": {"suppressed": False, "returnees": 6, "economic": 2.5}},
               "safety_concern_share": 0.1667, "weakest_domain": "economic"}

    def test_the_printed_on_line_names_today_and_the_figures_day_only_when_known(self, browser, api):
        api.get(f"{INTAKE}/v1/countries/NG/insights", json={**self.INSIGHT, "updated_at": None})
        html = browser("consultant").client.get("/countries/NG/brief").get_data(as_text=True)
        note = html.split('class="print-note">')[1].split("</p>")[0]
        assert "op ." not in note and "Afgedrukt uit Homeward op 2 mrt 2026." in note and "Cijfers van" not in note

    def test_with_the_day_the_figures_were_computed(self, browser, api):
        api.get(f"{INTAKE}/v1/countries/NG/insights", json={**self.INSIGHT, "updated_at": "2026-02-27T08:00:00Z"})
        b = browser("consultant")
        note = b.client.get("/countries/NG/brief").get_data(as_text=True).split('class="print-note">')[1]
        assert "Cijfers van 27 feb 2026." in note
        english = " ".join(b.client.get("/countries/NG/brief?lang=en").get_data(as_text=True).split())
        assert "Figures of Feb 27, 2026." in english and "Printed from Homeward on Mar 2, 2026." in english
        assert "Based on 6 returnees, supported and followed in the first year after return (9 check-ins)." in english
        assert "returnees who returned" not in english and "16.7%" in english  # a share: one decimal


class TestProgressReport:
    def test_a_client_who_returned_never_reads_no_decision_yet(self, browser, api):
        api.get(f"{INTAKE}/v1/returnees/rtn_1/progress-report", json={
            "returnee_id": "rtn_1", "period": {"start": "2025-10-02", "end": "2026-04-01"}, "country_of_return": "NG",
            "stage": "in_monitoring", "trajectory": "return_guidance",
            "decision": {"decided_on": None, "at_registration": True, "exit": None},
            "plan": {"goals": {}, "planned_support": [], "planned_departure_date": None},
            "steps_in_period": [{"on": "2026-03-01", "step": "registered"}, {"on": "2026-03-01", "step": "arrived"}],
            "monitoring": {"latest_index": 0.5, "open_alerts": 0}})
        html = browser("consultant").client.get("/returnees/rtn_1/progress-report").get_data(as_text=True)
        decision = html.split('class="decision">')[1].split("</dd>")[0]
        assert "nog geen beslissing" not in decision and "terugkeren, al bij de aanmelding" in decision
