"""Each service serves the code lists it owns (issue 17, part 1): `GET /v1/vocabularies` and
`GET /v1/vocabularies/{name}`, every code with its labels in Dutch, English and French, a strong ETag,
and the same lists its schemas and documents accept, so a form built from the answer cannot offer a
code the API refuses or miss one it takes.
"""
from __future__ import annotations

import importlib
import pkgutil

import marshmallow as ma
import mongoengine
import pytest

from services.intake.api import create_app as intake_app
from services.intake.bootstrap import IntakeService
from services.monitoring.api import create_app as monitoring_app
from services.monitoring.bootstrap import MonitoringService
from services.monitoring.domain.scoring import CURRENT, SCHEMES
from services.partners.api import create_app as partners_app
from services.partners.bootstrap import PartnersService
from shared.auth import ROLES

LOCALES = ("nl", "en", "fr")
REFERENCES = {"countries", "languages"}  # ISO codes named by the Unicode CLDR, not by a service's catalogue
EXPECTED = {
    "intake": {"genders", "vulnerabilities", "support_types", "funding_sources", "domains", "returnee_statuses",
               "trajectories", "exit_reasons", "handover_statuses", "note_kinds", "note_with", "note_modes", "document_kinds",
               "import_outcomes", "import_statuses", "assessment_moments", "document_statuses", "safety_situations",
               "goal_actors", "goal_statuses", "task_kinds", "task_states", "plan_changes",
               "countries", "languages"},
    "partners": {"support_types", "goal_actors", "goal_statuses", "vulnerabilities", "handover_statuses", "decline_reasons", "message_states", "partner_user_roles",
                 "countries", "languages"},
    "monitoring": {"domains", "contact_modes", "checkin_statuses", "slot_statuses", "support_types", "alert_types",
                   "alert_statuses", "case_states", "case_outcomes", "outcome_groupings", "support_report_groupings",
                   "before_after_groupings", "countries"},
}
FACTORIES = {"intake": (intake_app, IntakeService), "partners": (partners_app, PartnersService),
             "monitoring": (monitoring_app, MonitoringService)}
# choices that are not code lists: a response format and the brief's two languages
# query parameters, not code lists: a download's format and a printed document's language
FORMATS, LANGUAGES = {"json", "csv", "xlsx", "pdf", "html"}, {"en", "nl", "fr"}
ORDERS = {"oldest", "newest", "worklist"}  # a list's order: a query parameter, not a code shown to anyone
# a report's grouping (`breakdown=`, its rows labelled from the lists they group by) and which kind of case-file
# item a share names (`note` or `document`, the route it came from): parameters and discriminators, not labels
GROUPINGS, ITEM_TYPES = {"country", "gender", "age_band", "vulnerability"}, {"note", "document"}


def not_a_vocabulary(codes: tuple) -> bool:
    """A download's format, a language of the pages or mails, a list's order: choices, not code lists."""
    return any(set(codes) <= kind for kind in (FORMATS, LANGUAGES, ORDERS, GROUPINGS, ITEM_TYPES))
# stored, never offered nor answered: monitoring's log of the partners' answers to its handovers
NEVER_SHOWN = {"HandoverLogEntry.answer"}


@pytest.fixture
def client_of(build):
    """client_of(service name) -> a test client of that service's app."""
    return lambda name: FACTORIES[name][0](service=build(FACTORIES[name][1], name)).test_client()


def served(client, auth) -> dict:
    answer = client.get("/v1/vocabularies", headers=auth("consultant"))
    assert answer.status_code == 200, answer.json
    return answer.json["vocabularies"]


@pytest.mark.parametrize("name", sorted(EXPECTED))
class TestTheRoutes:
    def test_every_list_the_service_owns_is_served(self, client_of, auth, name):
        lists = served(client_of(name), auth)
        assert set(lists) == EXPECTED[name]
        assert all(lists[n]["name"] == n and lists[n]["codes"] for n in lists)

    def test_every_code_has_a_label_in_dutch_english_and_french(self, client_of, auth, name):
        for list_name, vocabulary in served(client_of(name), auth).items():
            for entry in vocabulary["codes"]:
                labels = entry["labels"]
                assert set(labels) == set(LOCALES), (list_name, entry["code"])
                assert all(labels[lang].strip() for lang in LOCALES), (list_name, entry["code"])
                if list_name not in REFERENCES:  # the catalogue answered: gettext falls back to the code itself
                    assert entry["code"] not in labels.values(), (list_name, entry["code"], labels)

    def test_codes_are_unique_within_a_list(self, client_of, auth, name):
        for list_name, vocabulary in served(client_of(name), auth).items():
            codes = [entry["code"] for entry in vocabulary["codes"]]
            assert len(codes) == len(set(codes)), list_name

    def test_one_list_is_served_alone_and_an_unknown_name_is_a_404_problem(self, client_of, auth, name):
        client = client_of(name)
        lists = served(client, auth)
        some = sorted(lists)[0]
        one = client.get(f"/v1/vocabularies/{some}", headers=auth("consultant"))
        assert one.status_code == 200 and one.json == lists[some]
        unknown = client.get("/v1/vocabularies/no_such_list", headers=auth("consultant"))
        assert unknown.status_code == 404 and unknown.mimetype == "application/problem+json"
        assert unknown.json["status"] == 404 and "no_such_list" in unknown.json["detail"]

    @pytest.mark.parametrize("path", ["/v1/vocabularies", "/v1/vocabularies/countries"])
    def test_a_strong_etag_answers_304_when_it_is_current(self, client_of, auth, name, path):
        client = client_of(name)
        first = client.get(path, headers=auth("consultant"))
        etag = first.headers["ETag"]
        assert etag.startswith('"') and etag.endswith('"') and not etag.startswith("W/")
        assert client.get(path, headers=auth("admin")).headers["ETag"] == etag  # the same for every caller
        again = client.get(path, headers={**auth("consultant"), "If-None-Match": etag})
        assert again.status_code == 304 and again.data == b"" and again.headers["ETag"] == etag
        weak = client.get(path, headers={**auth("consultant"), "If-None-Match": f'"other", W/{etag}'})
        assert weak.status_code == 304  # If-None-Match compares weakly (RFC 9110, 13.1.2)
        stale = client.get(path, headers={**auth("consultant"), "If-None-Match": '"stale"'})
        assert stale.status_code == 200 and stale.json == first.json

    def test_the_list_and_the_whole_have_different_etags(self, client_of, auth, name):
        client = client_of(name)
        whole = client.get("/v1/vocabularies", headers=auth("consultant")).headers["ETag"]
        one = client.get("/v1/vocabularies/countries", headers=auth("consultant")).headers["ETag"]
        assert whole != one

    def test_every_role_may_read_them_but_not_without_a_token(self, client_of, auth, name):
        client = client_of(name)
        for role in ROLES:
            headers = auth(role, org="prt_01" if role == "partner" else None)
            assert client.get("/v1/vocabularies", headers=headers).status_code == 200, role
        assert client.get("/v1/vocabularies").status_code == 401

    def test_the_openapi_document_describes_both_routes(self, client_of, name):
        doc = client_of(name).get("/openapi.json").json
        for path, schema in (("/v1/vocabularies", "Vocabularies"), ("/v1/vocabularies/{name}", "Vocabulary")):
            responses = doc["paths"][path]["get"]["responses"]
            ok = responses["200"]
            assert ok["content"]["application/json"]["schema"]["$ref"].endswith(f"/{schema}"), path
            assert "ETag" in ok["headers"] and "304" in responses, path


# --- the schemas and the stored documents accept exactly the served lists ----------------------------

def _modules(name: str):
    package = importlib.import_module(f"services.{name}")
    yield package
    for info in pkgutil.walk_packages(package.__path__, f"services.{name}."):
        yield importlib.import_module(info.name)


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def _fields(field):
    yield field
    for inner in (getattr(field, "inner", None), getattr(field, "key_field", None), getattr(field, "value_field", None)):
        if inner is not None:
            yield from _fields(inner)


def schema_choices(name: str) -> dict[str, tuple]:
    """'Schema.field' -> the choices of its OneOf validators, for every schema the service declares."""
    list(_modules(name))
    found = {}
    for schema in _subclasses(ma.Schema):
        if not schema.__module__.startswith(f"services.{name}."):
            continue
        for field_name, declared in schema._declared_fields.items():
            for field in _fields(declared):
                for validator in field.validators:
                    if isinstance(validator, ma.validate.OneOf):
                        found[f"{schema.__name__}.{field_name}"] = tuple(validator.choices)
    return found


def document_choices(name: str) -> dict[str, tuple]:
    """'Document.field' -> the `choices` of its string fields (lists of them too), but the seedwork's own."""
    module = importlib.import_module(f"services.{name}.documents")
    found = {}
    for document in vars(module).values():
        if isinstance(document, type) and issubclass(document, mongoengine.base.BaseDocument):
            seedwork = {f for base in document.__mro__ if base.__module__.startswith("shared.")
                        for f in getattr(base, "_fields", {})}
            for field_name, field in getattr(document, "_fields", {}).items():  # the base classes have none
                inner = getattr(field, "field", None) or field
                if getattr(inner, "choices", None) and field_name not in seedwork:
                    found[f"{document.__name__}.{field_name}"] = tuple(inner.choices)
    return found


def managed_lists(name: str) -> set[tuple]:
    """Lists a service serves elsewhere: intake's offices and regions (`GET /v1/offices`)."""
    if name != "intake":
        return set()
    from services.intake import offices
    return {tuple(offices.offices()), tuple(offices.regions())}


@pytest.mark.parametrize("name", sorted(EXPECTED))
class TestNoCopies:
    def test_every_oneof_of_every_schema_is_a_served_list(self, client_of, auth, name):
        lists = {tuple(e["code"] for e in v["codes"]) for v in served(client_of(name), auth).values()}
        choices = schema_choices(name)
        assert choices, "the service's schemas validate codes"
        other = managed_lists(name)
        assert {where: codes for where, codes in choices.items()
                if codes not in lists | other and not not_a_vocabulary(codes)} == {}

    def test_every_stored_choice_is_a_served_list(self, client_of, auth, name):
        lists = {tuple(e["code"] for e in v["codes"]) for v in served(client_of(name), auth).values()}
        choices = document_choices(name)
        assert choices
        assert {where: codes for where, codes in choices.items()
                if codes not in lists and where not in NEVER_SHOWN and not not_a_vocabulary(codes)} == {}


def test_a_list_several_services_serve_has_the_same_codes_in_each(client_of, auth):
    lists = {name: served(client_of(name), auth) for name in EXPECTED}
    for list_name in ("support_types", "domains", "handover_statuses", "countries", "languages"):
        codes = {name: [e["code"] for e in lists[name][list_name]["codes"]] for name in lists if list_name in lists[name]}
        assert len(codes) >= 2 and len({tuple(c) for c in codes.values()}) == 1, (list_name, codes)


def test_the_countries_are_those_a_country_code_field_accepts(client_of, auth):
    import pycountry

    countries = served(client_of("partners"), auth)["countries"]["codes"]
    assert [c["code"] for c in countries] == sorted(c.alpha_2 for c in pycountry.countries)
    named = {c["code"]: c["labels"] for c in countries}
    assert named["NL"] == {"nl": "Nederland", "en": "Netherlands", "fr": "Pays-Bas"}


def test_the_languages_include_those_without_a_two_letter_code(client_of, auth):
    languages = {e["code"]: e["labels"] for e in served(client_of("intake"), auth)["languages"]["codes"]}
    assert languages["ti"]["nl"] == "Tigrinya" and languages["pcm"]["en"] == "Nigerian Pidgin"
    assert "sus" in languages and "en" in languages


class TestTheScoringRubric:
    def test_every_domain_describes_each_score_from_1_to_5(self, client_of, auth):
        domains = served(client_of("monitoring"), auth)["domains"]
        assert domains["version"] == CURRENT
        for entry in domains["codes"]:
            rubric = entry["rubric"]
            assert [level["score"] for level in rubric] == [1, 2, 3, 4, 5], entry["code"]
            for level in rubric:
                assert set(level["labels"]) == set(LOCALES) and all(level["labels"].values()), (entry["code"], level)
                assert all(len(text) > 15 for text in level["labels"].values()), (entry["code"], level)
            assert len({level["labels"]["en"] for level in rubric}) == 5, entry["code"]

    def test_the_housing_rubric_reads_as_a_field_worker_applies_it(self, client_of, auth):
        domains = {e["code"]: e for e in served(client_of("monitoring"), auth)["domains"]["codes"]}
        housing = {level["score"]: level["labels"] for level in domains["housing"]["rubric"]}
        assert "homeless" in housing[1]["en"] and "dakloos" in housing[1]["nl"] and "sans-abri" in housing[1]["fr"]
        assert "secure tenancy" in housing[5]["en"]

    def test_every_scoring_scheme_has_a_rubric(self):
        from services.monitoring.vocabulary import RUBRICS

        assert set(SCHEMES) <= set(RUBRICS)

    def test_the_check_in_scores_are_the_served_domains(self, client_of, auth):
        from services.monitoring.schemas import ScoresSchema

        domains = [e["code"] for e in served(client_of("monitoring"), auth)["domains"]["codes"]]
        assert list(ScoresSchema._declared_fields) == domains

    def test_intake_serves_the_domains_without_the_rubric(self, client_of, auth):
        domains = served(client_of("intake"), auth)["domains"]
        assert all("rubric" not in entry for entry in domains["codes"])
