"""The import pages name a row's outcome and a run's status with intake's served lists (`import_outcomes`,
`import_statuses` at `GET /v1/vocabularies`), never with labels of their own: an outcome or status intake adds
is named on the page as intake names it, in the page's language."""
from __future__ import annotations

import io
import re

import pytest

from tests.unit.web.conftest import INTAKE
from tests.unit.web.test_vocabularies import add_code, codes

ROWS = [{"row": 2, "client_ref": "VVS-1", "outcome": "created", "returnee_id": None, "columns": []},
        {"row": 3, "client_ref": "VVS-2", "outcome": "unchanged", "returnee_id": "rtn_2", "columns": []},
        {"row": 4, "client_ref": "VVS-3", "outcome": "changed", "returnee_id": "rtn_3", "columns": ["family_name"]},
        {"row": 5, "client_ref": "VVS-4", "outcome": "refused", "returnee_id": None, "columns": []}]
PREVIEW = {"dry_run": True, "total": 4, "created": 1, "unchanged": 1, "changed": 1, "refused": 1, "done": 0,
           "rows": ROWS, "errors": [{"row": 5, "column": "date_of_birth", "message": "Geen geldige datum."}]}


def label_of(vocabularies, name: str, code: str, lang: str = "nl") -> str:
    return next(e["labels"][lang] for e in vocabularies["intake"][name]["codes"] if e["code"] == code)


def outcome_cells(html: str) -> dict[int, str]:
    """{row: the text of its third cell, the outcome}."""
    cell = r"\s*<td[^>]*>([^<]*)</td>"
    return {int(row): outcome for row, _, _, outcome in re.findall(r'id="row-(\d+)">' + cell * 3, html)}


def counts(html: str) -> list[tuple[str, str, str]]:
    """[(term, class of its value, value)] of the import's counts."""
    block = re.search(r'<dl class="facts" id="import-counts">(.*?)</dl>', html, re.S).group(1)
    return re.findall(r'<dt>([^<]*)</dt><dd class="([^"]*)">([^<]*)</dd>', block)


def preview_page(browser, api, preview, lang="nl") -> str:
    api.post(f"{INTAKE}/v1/returnees/import", json=preview)
    b = browser("consultant")
    b.get(f"/returnees/import?lang={lang}")
    page = b.post("/returnees/import", {"file": (io.BytesIO(b"client_ref\nVVS-1\n"), "caseload.csv")},
                  content_type="multipart/form-data")
    assert page.status_code == 200
    return page.get_data(as_text=True)


def run_page(browser, api, run, lang="nl") -> str:
    api.get(f"{INTAKE}/v1/returnees/imports/imp_1", json={"id": "imp_1", "total": 4, "done": 4, **run})
    page = browser("consultant").client.get(f"/returnees/import/runs/imp_1?lang={lang}")
    assert page.status_code == 200
    return page.get_data(as_text=True)


class TestThePreview:
    def test_each_row_and_count_is_named_by_intakes_outcomes(self, browser, api, vocabularies):
        html = preview_page(browser, api, PREVIEW)
        assert outcome_cells(html) == {r["row"]: label_of(vocabularies, "import_outcomes", r["outcome"]) for r in ROWS}
        assert counts(html) == [("Rijen", "total", "4")] + [
            (label_of(vocabularies, "import_outcomes", code), code, "1")
            for code in codes(vocabularies, "intake", "import_outcomes")]

    def test_an_outcome_intake_adds_is_named_as_intake_names_it(self, browser, api, vocabularies):
        add_code(vocabularies, "intake", "import_outcomes", "merged", "Samengevoegd", "Merged")
        row = {"row": 6, "client_ref": "VVS-5", "outcome": "merged", "returnee_id": "rtn_5", "columns": []}
        html = preview_page(browser, api, {**PREVIEW, "total": 5, "merged": 1, "rows": ROWS + [row]})
        assert outcome_cells(html)[6] == "Samengevoegd"
        assert ("Samengevoegd", "merged", "1") in counts(html)

    def test_in_english_the_labels_are_intakes_english_ones(self, browser, api, vocabularies):
        html = preview_page(browser, api, PREVIEW, lang="en")
        assert [term for term, _, _ in counts(html)][1:] == [
            label_of(vocabularies, "import_outcomes", code, "en") for code in codes(vocabularies, "intake",
                                                                                   "import_outcomes")]


class TestTheRun:
    @pytest.mark.parametrize("status", ["finished", "failed"])
    def test_the_report_names_the_status_and_counts_with_intakes_labels(self, browser, api, vocabularies, status):
        html = run_page(browser, api, {"status": status, "report": {**PREVIEW, "dry_run": False}})
        assert f'<strong class="status">{label_of(vocabularies, "import_statuses", status)}</strong>' in html
        assert [term for term, _, _ in counts(html)] == [
            label_of(vocabularies, "import_outcomes", code) for code in codes(vocabularies, "intake", "import_outcomes")]

    def test_a_running_import_shows_intakes_label_and_its_progress(self, browser, api, vocabularies):
        html = run_page(browser, api, {"status": "running", "done": 2, "report": None}, lang="en")
        assert re.search(r'<p id="import-progress"><strong class="status">%s</strong>: 2 of 4 rows imported\.</p>'
                         % label_of(vocabularies, "import_statuses", "running", "en"), html)

    def test_a_status_intake_adds_is_named_as_intake_names_it(self, browser, api, vocabularies):
        add_code(vocabularies, "intake", "import_statuses", "cancelled", "Geannuleerd", "Cancelled")
        html = run_page(browser, api, {"status": "cancelled", "report": None})
        assert '<strong class="status">Geannuleerd</strong>' in html


def test_the_web_catalogue_names_none_of_intakes_import_codes(vocabularies):
    from pathlib import Path

    from babel.messages.pofile import read_po

    with open(Path(__file__).parents[3] / "services/web/translations/messages.pot", "rb") as template:
        ids = {m.id for m in read_po(template) if m.id}
    served = {*codes(vocabularies, "intake", "import_outcomes"), *codes(vocabularies, "intake", "import_statuses")}
    assert served and ids & served == set()
