"""The caseload import through the API: a 300-row file with bad rows previewed, imported and imported again
with nothing new; a changed row reported, not overwritten; who may import what; the template read back."""
from __future__ import annotations

import csv
import io
import time

import pytest
from openpyxl import load_workbook

from services.intake.documents import Returnee
from shared import embedded_store

PARTNER = "prt_01JPARTNERPPPPPPPPPPPPPPPP"
HEADINGS = ["client_ref", "given_name", "family_name", "date_of_birth", "country_of_return", "consent.share_with_partner",
            "consent.given_on", "reintegration_plan.planned_support.0.type",
            "reintegration_plan.planned_support.0.budget_eur", "contact.phone", "trajectory", "partner_id"]
BAD = {17: ("date_of_birth", "31-2-1990"), 40: ("country_of_return", "XX"), 99: ("given_name", " "),
       150: ("reintegration_plan.planned_support.0.budget_eur", "veel"), 201: ("trajectory", "maybe")}


def caseload_csv(n=300, bad=BAD, sep=";", encoding="cp1252") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=sep)
    writer.writerow(HEADINGS)
    for i in range(n):
        row = {"client_ref": f"VVS-{i:04d}", "given_name": "Zoë", "family_name": f"Bello {i}",
               "date_of_birth": f"{1 + i % 28}-{1 + i % 12}-1990", "country_of_return": "NG",
               "consent.share_with_partner": "ja", "consent.given_on": "1-4-2024",
               "reintegration_plan.planned_support.0.type": "business",
               "reintegration_plan.planned_support.0.budget_eur": "1.200,50", "contact.phone": "+234 803 555 0101",
               "trajectory": "return_guidance", "partner_id": ""}
        if i in bad:
            row[bad[i][0]] = bad[i][1]
        writer.writerow([row[h] for h in HEADINGS])
        if i % 50 == 0:
            writer.writerow([])  # an empty line now and then
    return out.getvalue().encode(encoding)


def upload(client, headers, content, dry_run=False, name="caseload.csv", lang="en"):
    query = "?dry_run=true" if dry_run else ""
    return client.post(f"/v1/returnees/import{query}", data={"file": (io.BytesIO(content), name)},
                       headers={**headers, "Accept-Language": lang})


def finished(client, headers, response):
    assert response.status_code == 202, response.json
    deadline = time.monotonic() + 300
    while True:
        run = client.get(response.headers["Location"], headers=headers).json
        if run["status"] != "running" or time.monotonic() > deadline:
            return run
        time.sleep(0.2)


class TestTheCaseloadImport:
    def test_300_rows_with_bad_ones_are_previewed_imported_and_imported_again_with_nothing_new(self, intake):
        client, service, headers = intake
        content = caseload_csv()
        preview = upload(client, headers, content, dry_run=True)
        assert preview.status_code == 200, preview.json
        assert (preview.json["created"], preview.json["refused"], preview.json["total"]) == (295, 5, 300)
        assert Returnee.objects.count() == 0  # a dry run writes nothing
        line = {i: 2 + i + (i - 1) // 50 + 1 for i in BAD}  # the headings, and an empty line after rows 0, 50, ...
        assert {(e["row"], e["column"]) for e in preview.json["errors"]} == {(line[i], c) for i, (c, _) in BAD.items()}
        run = finished(client, headers, upload(client, headers, content))
        assert run["status"] == "finished" and run["done"] == run["total"] == 300
        assert (run["report"]["created"], run["report"]["refused"]) == (295, 5)
        assert Returnee.objects.count() == 295
        one = Returnee.objects(client_ref="VVS-0001").as_pymongo().first()
        assert one["given_name"] == "Zoë" and one["reintegration_plan"]["planned_support"][0]["budget_eur"] == 1200.5
        assert one["contact"]["phone"] == "+234 803 555 0101" and one["consultant"] == "test-consultant"
        again = finished(client, headers, upload(client, headers, content))
        assert (again["report"]["created"], again["report"]["unchanged"], again["report"]["changed"]) == (0, 295, 0)
        assert Returnee.objects.count() == 295

    def test_a_changed_row_is_reported_with_its_columns_and_not_overwritten(self, intake):
        client, service, headers = intake
        finished(client, headers, upload(client, headers, caseload_csv(3, bad={})))
        changed = caseload_csv(3, bad={1: ("family_name", "Okafor")})
        preview = upload(client, headers, changed, dry_run=True).json
        assert [(r["outcome"], r["columns"]) for r in preview["rows"]][1] == ("changed", ["family_name"])
        run = finished(client, headers, upload(client, headers, changed))
        assert run["report"]["changed"] == 1
        assert Returnee.objects(client_ref="VVS-0001").first().family_name == "Bello 1"

    def test_the_rows_are_matched_through_the_client_ref_lookup_and_an_erased_returnee_is_new(self, intake, monkeypatch):
        client, service, headers = intake
        finished(client, headers, upload(client, headers, caseload_csv(4, bad={})))
        erased = Returnee.objects(client_ref="VVS-0002").first()
        Returnee.objects(id=erased.id).update_one(set__erased=True)  # by `_id`: the lookup is kept, not rebuilt
        tested = []
        real = embedded_store.filter_applies
        monkeypatch.setattr(embedded_store, "filter_applies", lambda spec, doc: tested.append(doc) or real(spec, doc))
        preview = upload(client, headers, caseload_csv(4, bad={}), dry_run=True).json
        assert [r["outcome"] for r in preview["rows"]] == ["unchanged", "unchanged", "created", "unchanged"]
        assert sorted(doc["client_ref"] for doc in tested if "client_ref" in doc) == \
            ["VVS-0000", "VVS-0001", "VVS-0002", "VVS-0003"]  # the stored returnees the file names, no scan

    def test_the_refusals_are_in_the_requests_language(self, intake):
        client, service, headers = intake
        errors = upload(client, headers, caseload_csv(41), dry_run=True, lang="nl").json["errors"]
        assert errors and all("Not an ISO" not in e["message"] for e in errors)

    def test_a_utf8_comma_separated_file_with_a_bom_reads_the_same(self, intake):
        client, service, headers = intake
        content = b"\xef\xbb\xbf" + caseload_csv(5, bad={}, sep=",", encoding="utf-8")
        assert upload(client, headers, content, dry_run=True).json["created"] == 5

    def test_a_file_of_20_mb_is_refused_with_413(self, intake):
        client, service, headers = intake
        response = upload(client, headers, b"client_ref\n" + b"x" * (20 * 1024 * 1024))
        assert response.status_code == 413 and response.content_type == "application/problem+json"

    def test_an_unknown_column_or_a_missing_required_one_refuses_the_file(self, intake):
        client, service, headers = intake
        response = upload(client, headers, b"client_ref;naam;country_of_return\nA;B;NG\n", dry_run=True)
        assert response.status_code == 422
        assert {"naam", "given_name", "family_name"} <= set(response.json["errors"])

    def test_an_xlsx_formula_cell_is_refused_at_its_cell(self, intake):
        from openpyxl import Workbook
        client, service, headers = intake
        book = Workbook()
        book.active.append(["client_ref", "given_name", "family_name", "country_of_return"])
        book.active.append(["A-1", "Amina", "=CONCAT(\"B\",\"ello\")", "NG"])
        buffer = io.BytesIO()
        book.save(buffer)
        preview = upload(client, headers, buffer.getvalue(), dry_run=True, name="c.xlsx").json
        assert preview["errors"] == [{"row": 2, "column": "family_name", "message": "A formula: type its value instead."}]

    def test_a_named_partner_gets_the_offer_with_the_return_dates_and_the_runs_go_live_date(self, intake):
        client, service, headers = intake
        content = (";".join(HEADINGS + ["departed_on", "arrived_on"]) + "\n"
                   + "R-1;Amina;Bello;1-1-1990;NG;ja;1-4-2024;business;100;;return_guidance;"
                   + PARTNER + ";1-6-2025;3-6-2025\n").encode()
        response = client.post("/v1/returnees/import?go_live_on=2025-10-01",
                               data={"file": (io.BytesIO(content), "c.csv")}, headers=headers)
        row = finished(client, headers, response)["report"]["rows"][0]
        days = {"departed_on": "2025-06-01", "arrived_on": "2025-06-03", "go_live_on": "2025-10-01"}
        assert row["outcome"] == "created" and row["returned"] == days
        stored = Returnee.objects(client_ref="R-1").first()
        assert stored.status == "handover_requested" and stored.handover.partner_id == PARTNER
        assert stored.handover.imported == days  # the offer carries them: recorded when the partner accepts

    def test_return_dates_without_a_partner_and_a_go_live_date_without_an_arrival_are_refused(self, intake):
        client, service, headers = intake
        content = (";".join(HEADINGS + ["arrived_on", "go_live_on"]) + "\n"
                   + "R-2;Amina;Bello;1-1-1990;NG;ja;1-4-2024;business;100;;return_guidance;;3-6-2025;\n"
                   + "R-3;Amina;Bello;1-1-1990;NG;ja;1-4-2024;business;100;;return_guidance;"
                   + PARTNER + ";;1-10-2025\n").encode()
        errors = upload(client, headers, content, dry_run=True).json["errors"]
        assert [(e["row"], e["column"]) for e in errors] == [(2, "arrived_on"), (3, "go_live_on")]


class TestWhoMayImport:
    def test_a_consultant_imports_only_their_own_clients(self, intake):
        client, service, headers = intake
        content = b"client_ref;given_name;family_name;country_of_return;consultant\nA;B;C;NG;someone-else\n"
        preview = upload(client, headers, content, dry_run=True).json
        assert [(e["column"]) for e in preview["errors"]] == ["consultant"]

    def test_an_administrator_imports_for_any_consultant(self, intake, auth):
        client, service, _ = intake
        content = b"client_ref;given_name;family_name;country_of_return;consultant\nA;B;C;NG;someone-else\n"
        assert upload(client, auth("admin"), content, dry_run=True).json["created"] == 1

    def test_project_leads_may_not_import(self, intake, auth):
        client, service, _ = intake
        assert upload(client, auth("project_lead"), b"client_ref\nA\n", dry_run=True).status_code == 403
        assert client.get("/v1/returnees/import/template", headers=auth("project_lead")).status_code == 403

    def test_another_consultants_import_run_is_not_found(self, intake, auth):
        client, service, headers = intake
        response = upload(client, headers, caseload_csv(2, bad={}))
        finished(client, headers, response)
        assert client.get(response.headers["Location"], headers=auth("consultant", sub="other")).status_code == 404
        assert client.get(response.headers["Location"], headers=auth("admin")).status_code == 200


class TestTheTemplate:
    def test_the_xlsx_template_has_the_field_paths_an_example_and_an_explanation_in_dutch_and_english(self, intake):
        client, service, headers = intake
        response = client.get("/v1/returnees/import/template?format=xlsx", headers=headers)
        book = load_workbook(io.BytesIO(response.data))
        clients, explained = book.worksheets
        headings = [c.value for c in clients[1]]
        assert {"client_ref", "consent.share_with_partner", "reintegration_plan.planned_support.0.budget_eur",
                "partner_id", "departed_on", "arrived_on"} <= set(headings)
        assert clients["A2"].value == "VVS-2024-0012"
        phone = clients.cell(row=2, column=headings.index("contact.phone") + 1)
        assert phone.value.startswith("+") and phone.data_type == "s"  # text, never a formula
        rows = {r[0].value: (r[1].value, r[2].value) for r in explained.iter_rows(min_row=2)}
        assert set(rows) == set(headings)
        dutch, english = rows["consent.given_on"]
        assert "dag-maand-jaar" in dutch and "day-month-year" in english

    @pytest.mark.parametrize("fmt", ["csv", "xlsx"])
    def test_the_templates_example_row_imports_as_one_new_client(self, intake, fmt):
        client, service, headers = intake
        content = client.get(f"/v1/returnees/import/template?format={fmt}", headers=headers).data
        preview = upload(client, headers, content, dry_run=True, name=f"t.{fmt}").json
        assert (preview["created"], preview["errors"]) == (1, [])
