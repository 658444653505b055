"""Receipts of support delivered on the case page: the ones attached shown and opened, a new one sent to
monitoring's receipts API with the person's token, refusals (empty, too large, not a photo or PDF) in the page's
language at the line; another organisation's case or a line that is not there: 404."""
from __future__ import annotations

import io

import pytest

from tests.unit.portal.conftest import MONITORING, PARTNERS, csrf_of, sign_in
from tests.unit.portal.test_pages import RID, handover

CID = "chk_01JCHECKIN000000000000001"
LINE = f"/cases/{RID}/checkins/{CID}/support/0/receipt"
API_LINE = f"{MONITORING}/v1/cases/{RID}/checkins/{CID}/support/0/receipt"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def case(receipts=()) -> dict:
    checkin = {"id": CID, "slot": 1, "contact_date": "2026-03-01", "contact_made": True, "contact_mode": "phone",
               "index": 3.2, "safety_concern": False, "superseded_by": None,
               "support_delivered": [{"type": "cash", "amount": 500000, "currency": "GNF", "amount_eur": 52.5,
                                      "delivered_on": "2026-02-28", "description": ""}]}
    return {"returnee_id": RID, "state": "active", "slots": [], "alerts": [], "checkins": [checkin],
            "receipts": list(receipts)}


@pytest.fixture
def signed_in(app, api):
    client = app.test_client()
    sign_in(client, api)
    api.replace("GET", f"{PARTNERS}/v1/handovers", json={"items": [handover("arrived", arrived_on="2026-02-20")],
                                                          "next_cursor": None})
    for name in ("handover_statuses", "support_types"):
        api.get(f"{PARTNERS}/v1/vocabularies/{name}", json={"name": name, "codes": []})
    api.get(f"{MONITORING}/v1/vocabularies/slot_statuses", json={"name": "slot_statuses", "codes": []})
    return client


def page_of(client, lang="fr") -> str:
    return client.get(f"/cases/{RID}?lang={lang}").get_data(as_text=True)


def upload(client, content: bytes, lang="fr", name="recu.pdf"):
    token = csrf_of(page_of(client, lang))
    return client.post(LINE + f"?lang={lang}", content_type="multipart/form-data",
                       data={"csrf_token": token, "receipt": (io.BytesIO(content), name)})


def test_a_line_without_a_receipt_offers_to_add_one_and_says_it_needs_a_connection(signed_in, api):
    api.get(f"{MONITORING}/v1/cases/{RID}", json=case())
    page = page_of(signed_in)
    line = page.split(f'id="line-{CID}-0"')[1].split("</form>")[0]
    assert "Pas encore de justificatif." in line and "Ajouter un justificatif" in line
    assert 'enctype="multipart/form-data"' in line and 'accept="image/jpeg,image/png,application/pdf"' in line
    assert "en ajouter un demande une connexion" in page
    assert "cash (fr)" in line  # the support type's label from monitoring's vocabulary


def test_an_attached_receipt_is_shown_and_opened_byte_for_byte(signed_in, api):
    api.get(f"{MONITORING}/v1/cases/{RID}", json=case([{"returnee_id": RID, "checkin_id": CID, "index": 0,
                                                        "content_type": "application/pdf", "size": 120_400,
                                                        "uploaded_at": "2026-03-01T10:00:00+00:00"}]))
    page = page_of(signed_in, "en")
    assert "Receipt attached (PDF, 121 kB" in page and "Replace the receipt" in page and f'href="{LINE}"' in page
    api.get(API_LINE, body=PDF, content_type="application/pdf")
    opened = signed_in.get(LINE)
    assert opened.status_code == 200 and opened.data == PDF and opened.mimetype == "application/pdf"
    assert api.calls[-1].request.headers["Authorization"] == "Bearer access-1"  # the person's own token


def test_a_receipt_goes_to_monitoring_with_the_persons_token_and_the_page_says_so(signed_in, api):
    api.get(f"{MONITORING}/v1/cases/{RID}", json=case())
    api.put(API_LINE, status=201, json={"returnee_id": RID, "checkin_id": CID, "index": 0, "size": len(PDF),
                                        "content_type": "application/pdf", "uploaded_at": "2026-03-02T09:00:00Z"})
    answer = upload(signed_in, PDF)
    assert answer.status_code == 302 and answer.headers["Location"].endswith(f"done=receipt#line-{CID}-0")
    sent = [c for c in api.calls if c.request.method == "PUT"][0].request
    assert sent.body == PDF and sent.headers["Authorization"] == "Bearer access-1"
    assert sent.headers["Content-Type"] == "application/octet-stream"
    assert "Le justificatif est joint." in signed_in.get(answer.headers["Location"]).get_data(as_text=True)


@pytest.mark.parametrize("lang,content,status,expected", [
    ("fr", b"", None, "abord une photo ou un fichier PDF."),
    ("en", b"x" * 2_000_001, None, "This file is too large: a receipt may be at most 2 MB."),
    ("fr", b"MZ\x90\x00 a program", 415, "est ni une photo (JPEG, PNG) ni un PDF : choisissez"),
    ("en", PDF, 413, "This file is too large"),
])
def test_a_refused_file_is_told_at_its_line_in_the_pages_language(signed_in, api, lang, content, status, expected):
    api.get(f"{MONITORING}/v1/cases/{RID}", json=case())
    if status:
        api.put(API_LINE, status=status, json={"type": f"https://homeward.example/problems/{status}",
                                               "status": status, "detail": "English detail"})
    answer = upload(signed_in, content, lang)
    text = answer.get_data(as_text=True)
    assert answer.status_code == 422 and expected in text and "English detail" not in text
    line = text.split(f'id="line-{CID}-0"')[0].rsplit("<div", 1)[1]
    assert "refused" in line  # the line is marked
    assert 'aria-invalid="true"' in text.split(f'id="line-{CID}-0"')[1].split("</form>")[0]
    assert sum(c.request.method == "PUT" for c in api.calls) == (1 if status else 0)  # refused before sending


def test_a_line_that_is_not_there_or_another_organisations_case_is_not_found(signed_in, api):
    api.get(f"{MONITORING}/v1/cases/{RID}", json=case())
    assert signed_in.get(f"/cases/{RID}/checkins/{CID}/support/1/receipt").status_code == 404
    assert signed_in.get(f"/cases/{RID}/checkins/chk_other/support/0/receipt").status_code == 404
    api.replace("GET", f"{PARTNERS}/v1/handovers", json={"items": [], "next_cursor": None})
    assert signed_in.get(LINE).status_code == 404
    assert not any(c.request.url.endswith("/receipt") for c in api.calls)  # nothing asked of monitoring


def test_a_file_above_what_the_route_reads_is_refused_without_reaching_monitoring(signed_in, api):
    api.get(f"{MONITORING}/v1/cases/{RID}", json=case())
    assert upload(signed_in, b"x" * (3 * 1024 * 1024 + 10)).status_code == 413
    assert not any(c.request.method == "PUT" for c in api.calls)
