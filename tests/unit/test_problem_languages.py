"""Problems in the caller's language (issue 17, part 2): `Accept-Language` picks the language of `detail`
and of the field messages (`errors`) of every service's problem documents, among English (the default),
Dutch and French; the answer says which (`Content-Language`) and that it depends on the header (`Vary`).
`error_codes` are the same in every language; without the header everything is English as before.

The texts are gettext messages (shared/texts.py): English in the code, translated in the catalogues of
the domain `problems` (shared/translations and services/<svc>/translations), marshmallow's included
with the values its validators put in.
"""
from __future__ import annotations

import importlib

import pytest

from services.intake.api import create_app as intake_app
from services.intake.bootstrap import IntakeService
from services.monitoring.api import create_app as monitoring_app
from services.monitoring.bootstrap import MonitoringService
from services.monitoring.handlers import start_monitoring
from services.partners.api import create_app as partners_app
from services.partners.bootstrap import PartnersService
from shared import text_templates, texts
from shared.errors import DomainError
from shared.events import new_event
from shared.texts import Text

RETURNEE = {"client_ref": "F-1", "given_name": "Yonas", "family_name": "Tesfaye", "date_of_birth": "1988-02-03",
            "country_of_return": "ET", "consent": {"share_with_partner": True, "given_on": "2026-01-05"}}
BAD_RETURNEE = {**{k: v for k, v in RETURNEE.items() if k != "given_name"}, "date_of_birth": "soon",
                "gender": "robot", "household": {"adults": 31, "minors": 0}, "is_admin": True}
CHECKIN = {"returnee_id": "rtn_own", "slot": 1, "contact_date": "2026-02-06", "contact_made": True,
           "contact_mode": "in_person", "scores": {"economic": 9, "housing": 4, "social": 4, "health": 3,
                                                   "resilience": 2}}


@pytest.fixture
def intake(build, auth):
    return intake_app(service=build(IntakeService, "intake")).test_client(), auth("consultant")


@pytest.fixture
def partners(build, auth):
    return partners_app(service=build(PartnersService, "partners")).test_client(), auth("admin")


@pytest.fixture
def monitoring(build, auth, clock):
    service = build(MonitoringService, "monitoring")
    start_monitoring(service.deps, new_event("partners", "returnee.arrived.v1", "rtn_own", {
        "returnee_id": "rtn_own", "partner_id": "prt_own", "country": "NG", "arrived_on": "2026-01-05",
        "handover_id": "h"}, clock.now()))
    return monitoring_app(service=service).test_client(), auth("partner", org="prt_own")


def languages(response) -> tuple[str, set[str]]:
    vary = {part.strip().lower() for part in response.headers.get("Vary", "").split(",") if part.strip()}
    return response.headers.get("Content-Language"), vary


def register(intake, language=None, body=BAD_RETURNEE):
    client, headers = intake
    extra = {"Accept-Language": language} if language else {}
    return client.post("/v1/returnees", json=body, headers={**headers, **extra})


class TestIntake:
    def test_french_detail_and_field_messages(self, intake):
        response = register(intake, "fr")
        assert response.status_code == 422
        problem = response.json
        assert problem["detail"] == "La requête contient des champs non valides."
        assert problem["errors"]["given_name"] == "Champ obligatoire manquant."
        assert problem["errors"]["date_of_birth"] == "Date non valide."
        assert problem["errors"]["is_admin"] == "Champ inconnu."
        assert problem["errors"]["household.adults"] == "Doit être compris entre 0 et 30 inclus."
        assert problem["errors"]["gender"].startswith("Doit être l'une des valeurs suivantes : ")
        assert "female" in problem["errors"]["gender"]  # the choices as the English message lists them
        assert languages(response) == ("fr", {"accept-language"})

    def test_dutch_detail_and_field_messages(self, intake):
        response = register(intake, "nl-NL,nl;q=0.9,en;q=0.8")
        problem = response.json
        assert problem["detail"] == "Het verzoek bevat ongeldige velden."
        assert problem["errors"]["given_name"] == "Dit veld is verplicht."
        assert problem["errors"]["household.adults"] == "Moet tussen 0 en 30 liggen (grenzen inbegrepen)."
        assert problem["errors"]["is_admin"] == "Onbekend veld."
        assert languages(response)[0] == "nl"

    @pytest.mark.parametrize("language", [None, "de", "*", "en-GB"])
    def test_english_without_a_language_asked_for_that_is_offered(self, intake, language):
        response = register(intake, language)
        problem = response.json
        assert problem["detail"] == "The request has invalid fields."
        assert problem["errors"]["given_name"] == "Missing data for required field."
        assert problem["errors"]["household.adults"] == ("Must be greater than or equal to 0 and less than or "
                                                         "equal to 30.")
        assert problem["errors"]["is_admin"] == "Unknown field."
        assert languages(response) == ("en", {"accept-language"})

    def test_the_codes_are_the_same_in_every_language(self, intake):
        codes = {lang: register(intake, lang).json["error_codes"] for lang in (None, "fr", "nl")}
        assert codes[None] == codes["fr"] == codes["nl"]
        assert codes["fr"]["household.adults"] == "out_of_range" and codes["fr"]["gender"] == "one_of"

    def test_a_refusal_with_values_keeps_them(self, intake):
        client, headers = intake
        rid = register(intake, body=RETURNEE).json["id"]
        client.post(f"/v1/returnees/{rid}/trajectory", json={"trajectory": "return_guidance",
                                                               "decided_on": "2026-03-02"}, headers=headers)
        again = client.post(f"/v1/returnees/{rid}/trajectory", json={"trajectory": "return_guidance",
                                                                       "decided_on": "2026-03-02"},
                            headers={**headers, "Accept-Language": "nl"})
        assert again.status_code == 409, again.json
        assert again.json["detail"] == "De cliënt zit al in return_guidance."

    def test_a_success_does_not_vary(self, intake):
        response = register(intake, "fr", body=RETURNEE)
        assert response.status_code == 201
        assert languages(response) == (None, set())


class TestPartners:
    def test_french_and_dutch(self, partners):
        client, admin = partners
        body = {"countries": ["XX"], "colour": "blue"}
        french = client.post("/v1/partners", json=body, headers={**admin, "Accept-Language": "fr"})
        assert french.status_code == 422
        assert french.json["detail"] == "La requête contient des champs non valides."
        assert french.json["errors"] == {"name": "Champ obligatoire manquant.", "colour": "Champ inconnu.",
                                         "countries.0": "Pas un code pays ISO 3166-1 alpha-2."}
        dutch = client.post("/v1/partners", json=body, headers={**admin, "Accept-Language": "nl"})
        assert dutch.json["errors"]["countries.0"] == "Geen landcode volgens ISO 3166-1 alpha-2."
        assert languages(french)[0] == "fr" and languages(dutch)[0] == "nl"
        english = client.post("/v1/partners", json=body, headers=admin)
        assert english.json["errors"]["countries.0"] == "Not an ISO 3166-1 alpha-2 country code."
        assert french.json["error_codes"] == dutch.json["error_codes"] == english.json["error_codes"]


class TestMonitoring:
    def test_a_range_message_in_french_and_dutch_keeps_its_bounds(self, monitoring):
        client, partner = monitoring
        for lang, detail, message in (
                ("fr", "La requête contient des champs non valides.", "Doit être compris entre 1 et 5 inclus."),
                ("nl", "Het verzoek bevat ongeldige velden.", "Moet tussen 1 en 5 liggen (grenzen inbegrepen).")):
            response = client.post("/v1/checkins", json=CHECKIN,
                                   headers={**partner, "Idempotency-Key": f"k-{lang}", "Accept-Language": lang})
            assert response.status_code == 422
            assert response.json["detail"] == detail
            assert response.json["errors"] == {"scores.economic": message}
            assert response.json["error_codes"] == {"scores.economic": "out_of_range"}
            assert languages(response) == (lang, {"accept-language"})

    def test_the_items_of_a_batch_are_answered_in_the_language_asked_for(self, monitoring):
        client, partner = monitoring
        response = client.post("/v1/checkins/batch", json={"items": [
            {"idempotency_key": "b-1", "checkin": {**{k: v for k, v in CHECKIN.items() if k != "contact_mode"},
                                                   "contact_made": False, "scores": {"economic": 3}}}]},
            headers={**partner, "Accept-Language": "fr"})
        assert response.status_code == 200
        error = response.json["results"][0]["error"]
        assert error["detail"] == "Le suivi contient des champs non valides."
        assert error["errors"]["reason"] == "Dites pourquoi il n'y a pas eu de contact."
        assert error["errors"]["scores"] == "Pas de scores sans contact."
        assert languages(response) == ("fr", {"accept-language"})

    def test_a_header_the_service_requires(self, monitoring):
        client, partner = monitoring
        valid = {**CHECKIN, "scores": {**CHECKIN["scores"], "economic": 3}}
        response = client.post("/v1/checkins", json=valid, headers={**partner, "Accept-Language": "nl"})
        assert response.status_code == 400
        assert response.json["detail"] == "De header Idempotency-Key is verplicht (hoogstens 200 tekens)."


@pytest.mark.parametrize("service, path, language, detail", [
    ("intake", "/v1/returnees/rtn_01JRETVRNEE000000000000001", "fr-BE", "Cette personne n'existe pas."),
    ("partners", "/v1/partners/prt_01JPARTNER0000000000000001", "fr", "Cette organisation partenaire n'existe pas."),
    ("partners", "/v1/partners/prt_01JPARTNER0000000000000001", "nl", "Deze partnerorganisatie bestaat niet."),
])
def test_a_refusal_of_a_services_own_rules_is_translated(request, service, path, language, detail):
    client, headers = request.getfixturevalue(service)
    response = client.get(path, headers={**headers, "Accept-Language": language})
    assert response.status_code == 404
    assert response.json["detail"] == detail
    assert languages(response)[0] == language[:2]


class TestTheSeedwork:
    def test_a_bearer_token_is_asked_for_in_french(self, intake):
        client, _ = intake
        response = client.get("/v1/returnees", headers={"Accept-Language": "fr"})
        assert response.status_code == 401
        assert response.json["detail"] == "Un jeton d'accès (bearer token) est requis."

    def test_a_text_with_values_is_translated_with_them(self):
        catalogue = texts.catalogue()
        waited = Text("Too many requests; retry in {seconds} s.", seconds=7)
        assert waited == "Too many requests; retry in 7 s."  # the English is the text itself
        assert catalogue.translate(waited, "fr") == "Trop de requêtes ; réessayez dans 7 s."
        assert catalogue.translate(waited, "nl") == "Te veel verzoeken; probeer het over 7 s opnieuw."
        assert catalogue.translate(waited, "en") == "Too many requests; retry in 7 s."

    @pytest.mark.parametrize("english, french", [
        ("Must be greater than or equal to 1.", "Doit être supérieur ou égal à 1."),
        ("Must be greater than 0 and less than 10.", "Doit être strictement compris entre 0 et 10."),
        ("Length must be between 2 and 35.", "La longueur doit être comprise entre 2 et 35."),
        ("Longer than maximum length 200.", "Plus long que la longueur maximale de 200."),
        ("Must be one of: a, b, c.", "Doit être l'une des valeurs suivantes : a, b, c."),
        ('"tomorrow" cannot be formatted as a date.', "« tomorrow » ne peut pas être écrit comme une date."),
        ("Something nobody wrote down.", "Something nobody wrote down."),  # not a message: as it is
    ])
    def test_marshmallows_messages_keep_the_values_its_validators_put_in(self, english, french):
        assert texts.catalogue().translate(english, "fr") == french


class TestEveryTextCanBeTranslated:
    def test_every_refusal_is_listed_for_the_templates(self):
        for service in ("intake", "partners", "monitoring"):  # their apps import every module that refuses
            importlib.import_module(f"services.{service}.api")
        names, todo = set(), [DomainError]
        while todo:
            cls = todo.pop()
            names.add(cls.__name__)
            todo.extend(cls.__subclasses__())
        assert names - set(texts.REFUSALS) == set(), "add them to shared.texts.REFUSALS"

    @pytest.mark.parametrize("scope", ["shared", "intake", "partners", "monitoring"])
    def test_no_refusal_writes_its_text_in_a_way_the_templates_cannot_read(self, scope):
        _, unreadable = text_templates.scan(text_templates.sources(scope))
        assert unreadable == [], "write the text as a literal, or as Text(template, **values)"

    def test_the_scan_finds_what_it_must(self, tmp_path):
        source = tmp_path / "handlers.py"
        source.write_text('raise NotFound("No such case.")\n'
                          'raise Conflict(f"The client is in {trajectory} already.")\n'
                          'raise Invalid(Text("Implausible {field}.", field=f), errors={"on": "Must not."})\n'
                          'raise ValidationError(f"stored documents: not an answer")\n')
        found, unreadable = text_templates.scan([source])
        assert set(found) == {"No such case.", "Implausible {field}.", "Must not."}
        assert unreadable == ["handlers.py:2"]



def test_the_openapi_document_says_how_the_language_is_chosen(intake):
    client, _ = intake
    document = client.get("/openapi.json").json
    assert document["components"]["parameters"]["AcceptLanguage"]["in"] == "header"
    for path, operations in document["paths"].items():
        if path.startswith("/v1/"):
            for method, operation in operations.items():
                if method == "parameters":  # the path's own (its ids)
                    continue
                assert {"$ref": "#/components/parameters/AcceptLanguage"} in operation["parameters"], path
    problem = document["components"]["responses"]["UNPROCESSABLE_ENTITY"]
    assert problem["headers"]["Content-Language"]["schema"]["enum"] == ["en", "nl", "fr"]
    assert "Accept-Language" in document["components"]["schemas"]["Problem"]["properties"]["detail"]["description"]
