"""The form fields a social worker fills in their own language: amounts as written in the page's locale, countries
and languages by name."""
from __future__ import annotations

import pytest
from werkzeug.datastructures import MultiDict

from services.web import forms, i18n
from tests.unit.web.conftest import INTAKE


@pytest.mark.parametrize("raw, locale, amount", [
    ("1.200,50", "nl", 1200.5), ("1200,50", "nl", 1200.5), ("1200", "nl", 1200.0), ("1.200", "nl", 1200.0),
    ("€ 1.200,50", "nl", 1200.5), (" 75 ", "nl", 75.0),
    ("1,200.50", "en", 1200.5), ("1200.50", "en", 1200.5), ("1,200", "en", 1200.0),
])
def test_amounts_are_read_as_written_in_the_pages_locale(raw, locale, amount):
    assert forms.parse_amount(raw, locale) == amount


@pytest.mark.parametrize("raw, locale", [("12.50", "nl"), ("1200.50", "nl"), ("lots", "nl"), ("1,2,3", "en")])
def test_an_amount_that_is_ambiguous_or_no_number_goes_to_the_api_as_typed(raw, locale):
    """"12.50" in Dutch is neither 12,50 nor 1.250 for sure: the API answers 'not a number' at the field."""
    assert forms.parse_amount(raw, locale) == raw


def test_an_empty_amount_is_no_amount():
    assert forms.parse_amount("  ", "nl") is None


@pytest.mark.parametrize("value, locale, shown", [
    (1200.5, "nl", "1.200,50"), (1200, "nl", "1.200"), (1200.5, "en", "1,200.50"), (None, "nl", ""),
])
def test_stored_amounts_are_shown_in_the_pages_locale(value, locale, shown):
    assert forms.format_amount(value, locale) == shown


def test_a_shown_amount_reads_back_as_the_same_amount():
    for value in (0.5, 12.5, 1200.5, 99999.99):
        for locale in ("nl", "en"):
            assert forms.parse_amount(forms.format_amount(value, locale), locale) == value


def test_countries_are_named_and_sorted_in_the_pages_language():
    dutch = dict(i18n.country_options("nl"))
    assert dutch["GN"] == "Guinee" and dutch["GU"] == "Guam" and dutch["NL"] == "Nederland"
    names = [name for _, name in i18n.country_options("nl")]
    assert names.index("Egypte") < names.index("Ethiopië") < names.index("Frankrijk")
    assert names.index("Åland") < names.index("Albanië")  # accents sort with their letter
    assert dict(i18n.country_options("en"))["GN"] == "Guinea"
    assert len(dutch) == 249  # what intake accepts: every ISO 3166-1 country, no regions such as "EU"


def test_languages_offer_those_of_the_focus_countries_first_then_all():
    common, others = i18n.language_options("nl")
    assert ("fr", "Frans") in common and ("sus", "Soesoe") in common and ("ti", "Tigrinya") in common
    assert ("yo", "Yoruba") in common and ("hy", "Armeens") in common and ("ckb", "Soranî") in common
    codes = [code for code, _ in others]
    assert "de" in codes and "fr" not in codes  # a common language is offered once
    assert all(len(code) == 2 for code in codes)
    names = [name for _, name in others]
    assert names == sorted(names, key=i18n.sort_key)


def test_languages_come_from_the_checkboxes_the_list_and_commas():
    form = MultiDict([("languages", "fr"), ("languages", "sus"), ("languages", "en, yo"), ("languages", "fr")])
    assert forms.languages(form) == ["fr", "sus", "en", "yo"]


def test_gender_not_chosen_is_not_sent():
    body = forms.returnee_body(MultiDict({"given_name": "A", "family_name": "B", "country_of_return": "GN"}),
                               with_consent=False, locale="nl")
    assert "gender" not in body
    chosen = forms.returnee_body(MultiDict({"given_name": "A", "gender": "unknown"}), with_consent=False, locale="nl")
    assert chosen["gender"] == "unknown"


@pytest.mark.parametrize("lang, typed, message", [
    ("nl", "12.50", "Schrijf het bedrag zo: 1.200,50"),
    ("en", "12,50", "Write the amount like this: 1,200.50"),
])
def test_an_amount_the_form_cannot_read_says_how_to_write_one(browser, api, lang, typed, message):
    api.post(f"{INTAKE}/v1/returnees", status=422, json={
        "status": 422, "detail": "The request has invalid fields.",
        "errors": {"reintegration_plan.planned_support.0.budget_eur": "Not a valid number."}})
    b = browser("consultant")
    b.get(f"/returnees/new?lang={lang}")
    page = b.post("/returnees/new", {"given_name": "A", "family_name": "B", "country_of_return": "GN",
                                     "reintegration_plan.planned_support.0.type": "cash",
                                     "reintegration_plan.planned_support.0.budget_eur": typed})
    html = page.get_data(as_text=True)
    assert page.status_code == 422
    assert f'<span class="error" id="reintegration_plan.planned_support.0.budget_eur-error">{message}</span>' in html
    assert f'value="{typed}"' in html  # what was typed stays
