"""The programme's targets against results, and the breakdowns with small-cell suppression: a hand-built
caseload computed exactly (pure functions), then through HTTP (JSON, CSV, XLSX read back, PDF text)."""
from __future__ import annotations

import io
import json
from datetime import date

import pytest
from openpyxl import load_workbook

from services.intake import targets as configured
from services.intake.reports import programme_results, quarterly_report
from services.intake.reports.breakdowns import age_band
from tests.unit.intake.caseload import post, quarterly, register
from tests.unit.intake.test_report_downloads import pdf_text, workbook


def fact(registered, trajectories, gender, born, country, vulnerabilities=(), departed=None, exit_=None):
    return {"registered_on": registered, "trajectory_history": [{"trajectory": t, "started_on": d} for t, d in trajectories],
            "departed_on": departed, "exit": exit_, "gender": gender, "date_of_birth": born,
            "country_of_return": country, "vulnerabilities": list(vulnerabilities)}


FO, RG = "future_orientation", "return_guidance"
CASELOAD = [  # the first quarter of 2026
    fact("2026-01-10", [(FO, "2026-01-10"), (RG, "2026-02-01")], "female", "1990-05-01", "NG", ["medical"],
         departed="2026-03-15"),  # A: chose to return, departed
    fact("2026-01-12", [(FO, "2026-01-12")], "male", "2008-06-01", "NG",
         exit_={"reason": "other_return_organisation", "organisation": "iom", "exited_on": "2026-02-10"}),  # B
    fact("2026-01-15", [(FO, "2026-01-15")], "female", "2000-03-31", "ET", ["medical", "mental_health"],
         exit_={"reason": "irregular", "exited_on": "2026-03-01"}),  # C: lost from view
    fact("2026-02-01", [(RG, "2026-02-01")], "female", None, "NG",
         exit_={"reason": "lso", "exited_on": "2026-03-20"}),  # D: from return guidance to the LSO
    fact("2026-02-20", [(FO, "2026-02-20")], "male", "1960-01-01", "ET"),  # E: still in future orientation
]


def by_target(report) -> dict:
    return {row["target"]: row for row in report["targets"]["rows"]}


class TestTargetsAgainstResults:
    def test_the_seeds_targets_are_the_default_for_any_year(self):
        period, targets = configured.for_period(2031, 2)
        assert period == "2031" and targets["future_orientation"] == {"minimum": 150, "maximum": 200}
        assert [targets[n]["share"] for n in ("considered_choice", "return_project", "departed")] == [0.8, 0.5, 0.75]

    def test_each_target_counts_the_caseload_exactly(self):
        report = quarterly_report(CASELOAD, 2026, 1)
        assert report["targets"]["period"] == "2026" and report["targets"]["from"] == "2026-01-01"
        rows = by_target(report)
        assert rows["future_orientation"].pop("label")["nl"].startswith("Ongedocumenteerden die het traject")
        assert rows["future_orientation"] == {"target": "future_orientation", "kind": "count", "result": 4,
                                              "minimum": 150, "maximum": 200, "met": False}
        # A (decided), B (to IOM) chose; C went irregular: 2 of 3
        assert (rows["considered_choice"]["numerator"], rows["considered_choice"]["denominator"],
                rows["considered_choice"]["result"], rows["considered_choice"]["met"]) == (2, 3, 0.667, False)
        assert (rows["return_project"]["numerator"], rows["return_project"]["denominator"],
                rows["return_project"]["met"]) == (2, 2, True)
        # from return guidance: A departed, D to the LSO (B left from future orientation)
        assert (rows["departed"]["numerator"], rows["departed"]["denominator"], rows["departed"]["met"]) == (1, 2, False)

    def test_a_quarters_own_targets_count_from_the_quarters_start(self, tmp_path):
        path = tmp_path / "targets.json"
        data = json.loads(configured.FILE.read_text(encoding="utf-8"))
        data["periods"] = {"2026-Q1": {"future_orientation": {"minimum": 4}}, "2026": {"departed": {"share": 0.5}}}
        path.write_text(json.dumps(data), encoding="utf-8")
        report = quarterly_report(CASELOAD, 2026, 1, targets_file=str(path))
        rows = by_target(report)
        assert report["targets"]["period"] == "2026-Q1" and report["targets"]["from"] == "2026-01-01"
        assert rows["future_orientation"]["met"] is True and rows["considered_choice"]["share"] == 0.8
        assert by_target(programme_results(CASELOAD, None, date(2026, 3, 31), targets_file=str(path)))["departed"]["met"]

    def test_a_target_outside_a_share_is_refused(self, tmp_path):
        path = tmp_path / "bad.json"
        path.write_text(json.dumps({"default": {"departed": {"share": 75}}}), encoding="utf-8")
        with pytest.raises(ValueError):
            configured.load(str(path))


class TestBreakdowns:
    def test_by_gender_the_figures_of_each_group(self):
        rows = {r["group"]: r for r in quarterly_report(CASELOAD, 2026, 1, by="gender", k=2)["breakdown"]["rows"]}
        female, male = rows["female"], rows["male"]
        assert female["clients"] == 3 and male["clients"] == 2
        assert female["figures"]["in_future_orientation"] == {"current": 0, "cumulative": 2}
        assert female["figures"]["in_return_guidance"] == {"current": 0, "cumulative": 2}
        assert female["figures"]["returned"] == {"period": 1, "cumulative": 1}
        assert female["figures"]["to_irregularity"]["period"] == female["figures"]["to_lso"]["period"] == 1
        assert male["figures"]["in_future_orientation"] == {"current": 1, "cumulative": 2}
        assert male["figures"]["to_other_return_organisations"] == {"period": 1, "cumulative": 1}

    def test_a_small_group_is_hidden_and_another_with_it(self):
        rows = {r["group"]: r for r in quarterly_report(CASELOAD, 2026, 1, by="gender", k=3)["breakdown"]["rows"]}
        assert rows["male"] == {"group": "male", "suppressed": True, "suppressed_reason": "small_group"}
        assert rows["female"] == {"group": "female", "suppressed": True, "suppressed_reason": "protects_other"}

    def test_overlapping_vulnerabilities_hide_only_the_small_ones(self):
        rows = {r["group"]: r for r in programme_results(CASELOAD, None, date(2026, 3, 31), by="vulnerability",
                                                         k=2)["breakdown"]["rows"]}
        assert rows["mental_health"]["suppressed_reason"] == "small_group"
        assert rows["medical"]["clients"] == 2 and rows["none"]["clients"] == 3
        assert rows["medical"]["figures"]["returned"] == 1 and rows["none"]["figures"]["enrolled_in_counselling"] == 2

    def test_age_bands_at_the_periods_end(self):
        end = date(2026, 3, 31)
        assert [age_band(b, end) for b in ("1990-05", "2008-06", "2000-03", "unknown", "1960-01", "2008-03")] == \
            ["35-49", "0-17", "25-34", "unknown", "65+", "18-24"]
        rows = quarterly_report(CASELOAD, 2026, 1, by="age_band", k=1)["breakdown"]["rows"]
        assert {r["group"]: r["clients"] for r in rows} == {"0-17": 1, "25-34": 1, "35-49": 1, "65+": 1, "unknown": 1}


class TestThroughHttp:
    @pytest.fixture
    def lead(self, auth):
        return {**auth("project_lead"), "Accept-Language": "nl"}

    @pytest.fixture
    def six(self, intake):
        """Six clients in return guidance by 2 March, five of them women; one referred to IOM that day."""
        client, _, headers = intake
        ids = [register(client, headers, gender="female" if n else "male") for n in range(6)]
        post(client, headers, f"/v1/returnees/{ids[0]}/exit",
             {"reason": "other_return_organisation", "organisation": "iom", "exited_on": "2026-03-02"})
        return ids

    def test_the_quarterly_json_breaks_down_and_hides_below_k(self, intake, six, lead):
        client, _, _ = intake
        report = quarterly(client, lead, breakdown="gender").json
        rows = {r["group"]: r for r in report["breakdown"]["rows"]}
        assert report["breakdown"]["k"] == 5 and rows["female"]["suppressed"] and rows["male"]["suppressed"]
        assert rows["male"]["suppressed_reason"] == "small_group"
        assert quarterly(client, lead, breakdown="height").status_code == 422
        assert quarterly(client, lead).json["breakdown"] is None

    def test_the_targets_route_and_the_report_agree(self, intake, six, lead):
        client, _, _ = intake
        answer = client.get("/v1/reports/targets", query_string={"year": 2026}, headers=lead)
        assert answer.status_code == 200, answer.json
        assert answer.json["to"] == "2026-03-02"
        rows = {r["target"]: r for r in answer.json["rows"]}
        # the referral to IOM left return guidance without a departure to know of: no share yet, not met
        assert (rows["departed"]["result"], rows["departed"]["denominator"], rows["departed"]["met"]) == (None, 0, False)
        assert rows["future_orientation"]["result"] == 0
        assert client.get("/v1/reports/targets", headers=intake[2]).status_code == 403
        assert client.get("/v1/reports/targets", headers=lead).json["period"] == "2026"

    def test_workbook_csv_and_pdf_hold_the_targets_and_the_breakdown(self, intake, six, lead):
        client, _, _ = intake
        book = workbook(quarterly(client, lead, format="xlsx", breakdown="country"))
        assert "Beoogde resultaten" in book.sheetnames and "Naar land van terugkeer" in book.sheetnames
        targets = list(book["Beoogde resultaten"].iter_rows(values_only=True))
        assert targets[1][:2] == ("Ongedocumenteerden die het traject Toekomstoriëntatie doorlopen hebben",
                                  "150 tot 200") and targets[1][3] == "nee"
        country = list(book["Naar land van terugkeer"].iter_rows(values_only=True))
        assert country[1][0] == "Nigeria" and country[1][1] == 6  # every client registered by the end
        csv = quarterly(client, lead, format="csv", breakdown="country").get_data(as_text=True)
        assert "breakdown:country" in csv and "targets,future_orientation" in csv
        text = " ".join(pdf_text(quarterly(client, lead, format="pdf", breakdown="country")).split())
        assert "Beoogde resultaten" in text and "150 tot 200" in text and "Naar land van terugkeer" in text
        assert "Nigeria 6" in text
        assert load_workbook(io.BytesIO(quarterly(client, lead, format="xlsx").data)).sheetnames[-1] == \
            "Beoogde resultaten"
