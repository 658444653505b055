"""The counselling brief intake prints (issue 16, item 13): numbers in the reader's language with one
format per kind (scores and indexes two decimals, shares one), and singular counts in the singular."""
from __future__ import annotations

from services.intake.handlers import keep_insights
from shared.events import new_event

INSIGHT = {"country": "ET", "returnees": 6, "checkins": 1, "suppressed": False, "k": 5, "version": 1,
           "updated_at": "2026-03-01T10:00:00Z", "latest_contact_on": "2026-02-27",
           "mean_scores_by_slot": {"1": {"suppressed": False, "returnees": 6, "economic": 2.5, "housing": 3.0,
                                         "social": 4.0, "health": None, "resilience": 3.5}},
           "weakest_domain": "economic", "safety_concern_share": 0.3333,
           "support": {"business": {"suppressed": False, "returnees": 5, "mean_latest_index": 0.61}}, "regions": {}}


def brief(intake, clock, lang: str, **changes) -> str:
    client, service, headers = intake
    keep_insights(service.deps, new_event("monitoring", "country.insights_updated.v1", "ET",
                                          {**INSIGHT, **changes}, clock.now()))
    page = client.get(f"/v1/countries/ET/brief?lang={lang}", headers=headers).get_data(as_text=True)
    return " ".join(page.split())


def test_dutch_numbers_have_decimal_commas_and_one_format_per_kind(intake, clock):
    page = brief(intake, clock, "nl")
    assert ">2,50<" in page and ">3,00<" in page  # mean scores: two decimals
    assert ">0,61<" in page  # an index: two decimals
    assert "33,3% van deze terugkeerders" in page  # a share: one decimal
    assert "2.5" not in page and "0.61" not in page


def test_english_numbers_likewise(intake, clock):
    page = brief(intake, clock, "en")
    assert ">2.50<" in page and ">0.61<" in page and "33.3% of these returnees" in page


def test_one_check_in_is_singular(intake, clock):
    assert "Gebaseerd op 6 terugkeerders en 1 monitoringcontact." in brief(intake, clock, "nl")
    assert "Based on 6 returnees and 1 check-in." in brief(intake, clock, "en", version=2)


def test_the_french_brief_as_a_pdf_holds_its_words_and_figures(intake, clock):
    import io

    from pypdf import PdfReader

    client, service, headers = intake
    brief(intake, clock, "fr")  # keeps the insight
    response = client.get("/v1/countries/ET/brief?lang=fr&format=pdf", headers=headers)
    assert response.status_code == 200 and response.content_type == "application/pdf"
    assert response.headers["Content-Disposition"] == 'attachment; filename="brief-ET-fr.pdf"'
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.data)).pages).split())
    assert "Fiche de conseil: Éthiopie (ET)" in text
    assert "D'après 6 personnes rentrées et 1 suivi." in text and "2,50" in text
    assert "33,3% de ces personnes ont signalé" in text
    assert "Imprimé le 2026-03-02 par" in text and "page 1 sur 1" in text


def test_the_codes_are_labelled_as_the_vocabulary_labels_them_in_each_language(intake, clock):
    """The brief's texts come from the `printed` catalogues; a domain or support type reads as the
    vocabularies serve it (the network's labels), never as a code."""
    from html import unescape

    english, french = brief(intake, clock, "en"), unescape(brief(intake, clock, "fr", version=2))
    assert "Starting a business" in english and "Economic (income, work, education)" in english
    assert "Création d'une activité" in french and "Économique (revenus, travail, éducation)" in french
    assert "Fiche de conseil" in french and "Domaine le plus faible" in french
