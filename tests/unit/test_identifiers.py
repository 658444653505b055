"""Every identifier a client sends to intake or partners (path, query string, body) is a plain string of
the house's id shape before it reaches a query: operator objects, arrays, numbers and odd text are refused."""
from __future__ import annotations

import inspect
from urllib.parse import quote

import marshmallow as ma
import pytest

from services.intake import schemas as intake_schemas
from services.intake.api import create_app as intake_app
from services.intake.bootstrap import IntakeService
from services.partners import schemas as partners_schemas
from services.partners.api import create_app as partners_app
from services.partners.bootstrap import PartnersService
from shared.fields import ReaderSchema
from shared.http.openapi import AnswerSchema
from shared.http.problems import ProblemSchema
from shared.http.security import roles_of
from shared.ids import Id, is_id

SERVICES = [(intake_app, IntakeService, "intake"), (partners_app, PartnersService, "partners")]
# a country code (checked as one), Swagger UI's files, and intake's organisation slugs ("iom", "ros":
# their shape is checked, see test_an_organisation_slug_of_another_shape_is_404)
NOT_IDS = {"code", "filename", "organisation_id", "name"}  # a vocabulary's name is not an id
PATH_VALUES = ['{"$ne": null}', '{"$gt": ""}', '["x"]', "42", "4.2", "true", "null", "$where", ".*",
               "rtn_01", "prt_" + "x" * 26, "hnd_" + "0" * 25 + "!", "01JPARTNERPPPPPPPPPPPPPPPP", "a" * 300]
JSON_VALUES = [{"$ne": None}, {"$in": ["prt_01JPARTNERPPPPPPPPPPPPPPPP"]}, {"$regex": "^prt_"},
               ["prt_01JPARTNERPPPPPPPPPPPPPPPP"], 42, 4.2, True, None, "", "prt_1", "prt_01jpartnerpppppppppppppppp",
               "prt_01JPARTNERPPPPPPPPPPPPPPPP\n"]


def _app(build, factory, service_class, name):
    return factory(service=build(service_class, name))


def _headers(auth, roles):
    role = roles[0]
    return auth(role, org="prt_01JPARTNERPPPPPPPPPPPPPPPP" if role == "partner" else None)


def _id_routes(app):
    """(rule, method, variables) of every route whose URL carries an id."""
    for rule in app.url_map.iter_rules():
        ids = [name for name in rule.arguments if name not in NOT_IDS]
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            if ids:
                yield rule, method, ids


@pytest.mark.parametrize("factory,service_class,name", SERVICES)
def test_every_id_in_a_path_of_another_shape_is_404_before_any_view(build, auth, factory, service_class, name):
    app = _app(build, factory, service_class, name)
    client = app.test_client()
    routes = list(_id_routes(app))
    assert len(routes) >= (7 if name == "intake" else 12)
    for rule, method, ids in routes:
        roles = roles_of(app.view_functions[rule.endpoint], method)
        for value in PATH_VALUES:
            path = rule.rule
            for variable in rule.arguments:
                path = path.replace(f"<{variable}>", quote(value, safe="") if variable in ids else "x")
            response = client.open(path, method=method, json={}, headers=_headers(auth, roles))
            assert response.status_code == 404, (method, path, response.json)
            assert set(response.json["errors"]) & set(ids), (method, path, response.json)


@pytest.mark.parametrize("factory,service_class,name", SERVICES)
def test_a_path_id_is_checked_after_authentication(build, factory, service_class, name):
    client = _app(build, factory, service_class, name).test_client()
    path = "/v1/returnees/%7B%22%24ne%22%3Anull%7D" if name == "intake" else "/v1/handovers/%5B%5D"
    assert client.get(path).status_code == 401


@pytest.mark.parametrize("value", JSON_VALUES)
def test_a_handover_request_names_a_partner_by_a_partner_id(build, auth, value):
    client = _app(build, intake_app, IntakeService, "intake").test_client()
    headers = auth("consultant")
    rid = client.post("/v1/returnees", headers=headers, json={
        "given_name": "Yonas", "family_name": "Tesfaye", "country_of_return": "ET",
        "consent": {"share_with_partner": True, "given_on": "2026-01-05"}}).json["id"]
    response = client.post(f"/v1/returnees/{rid}/handover", json={"partner_id": value}, headers=headers)
    assert response.status_code == 422 and "partner_id" in response.json["errors"], response.json
    assert client.get(f"/v1/returnees/{rid}", headers=headers).json["status"] == "registered"


QUERY_IDS = [  # (service, path, role, parameter)
    ("intake", "/v1/returnees", "consultant", "cursor"),
    ("intake", "/v1/audit", "admin", "cursor"),
    ("intake", "/v1/audit", "admin", "resource_id"),
    ("partners", "/v1/partners", "admin", "cursor"),
    ("partners", "/v1/handovers", "admin", "cursor"),
    ("partners", "/v1/handovers", "admin", "returnee_id"),
    ("partners", "/v1/audit", "admin", "resource_id"),
]
QUERY_VALUES = ['{"$ne": null}', '{"$gt": ""}', '["rtn_01JRETVRNEE0000000000000001"]', "42", "", "$regex",
                "rtn_1", "a" * 300, "rtn_01JRETVRNEE00000000000001 "]


@pytest.mark.parametrize("service,path,role,parameter", QUERY_IDS)
def test_every_id_in_a_query_string_of_another_shape_is_422(build, auth, service, path, role, parameter):
    factory, service_class, name = next(s for s in SERVICES if s[2] == service)
    client = _app(build, factory, service_class, name).test_client()
    extra = "&resource_id=rtn_01JRETVRNEE000000000000001" if path == "/v1/audit" and parameter != "resource_id" else ""
    for value in QUERY_VALUES:
        if parameter == "resource_id" and value in ("42", "rtn_1"):
            continue  # a resource may be a country code or another service's id: only safe characters
        response = client.get(f"{path}?{parameter}={quote(value, safe='')}{extra}", headers=auth(role))
        named = [key for key in response.json["errors"] if key.split(".")[0] == parameter]  # a list's: returnee_id.0
        assert response.status_code == 422 and named, (value, response.json)


@pytest.mark.parametrize("service,path,role,parameter", QUERY_IDS)
def test_a_well_formed_id_in_a_query_string_is_accepted(build, auth, service, path, role, parameter):
    factory, service_class, name = next(s for s in SERVICES if s[2] == service)
    client = _app(build, factory, service_class, name).test_client()
    prefix = {"/v1/returnees": "rtn_", "/v1/partners": "prt_", "/v1/handovers": "hnd_"}.get(path, "")
    value = (prefix if parameter == "cursor" else "rtn_") + "01JRETVRNEE000000000000001"
    extra = "&resource_id=NG" if path == "/v1/audit" and parameter != "resource_id" else ""
    response = client.get(f"{path}?{parameter}={value}{extra}", headers=auth(role))
    assert response.status_code == 200, response.json


@pytest.mark.parametrize("module", [intake_schemas, partners_schemas])
def test_every_id_a_request_schema_reads_is_an_id_field(module):
    """Structural: a new `*_id` or `cursor` field in a request schema cannot slip in as a plain String."""
    readers = (ma.Schema,)
    loose = []
    for name, schema in inspect.getmembers(module, inspect.isclass):
        if not issubclass(schema, readers) or issubclass(schema, (ReaderSchema, AnswerSchema, ProblemSchema)):
            continue  # event readers, and answers documented for the OpenAPI document (never loaded)
        for field_name, field in schema._declared_fields.items():
            if (field_name.endswith("_id") or field_name == "cursor") and not field.dump_only:
                if schema.__name__ in ("HandoverSchema", "HandoverStateSchema", "WebhookDeliverySchema",
                                       "WebhookMessageSchema", "CredentialSchema"):
                    continue  # response shapes: dumped, never loaded from a client
                if not isinstance(field.inner if isinstance(field, ma.fields.List) else field, Id):  # or a list of
                    loose.append(f"{name}.{field_name}")
    assert loose == []


def test_the_id_shape_is_the_shape_ids_are_made_with():
    from ulid import ULID

    assert is_id("rtn_" + str(ULID()), "rtn_") and is_id(str(ULID()), "")
    assert not is_id("rtn_" + str(ULID()).lower(), "rtn_") and not is_id("prt_" + str(ULID()), "rtn_")
    assert not is_id({"$ne": None}, "rtn_") and not is_id(["rtn_" + str(ULID())], "rtn_")


def test_an_organisation_slug_of_another_shape_is_404(build, auth):
    client = intake_app(service=build(IntakeService, "intake")).test_client()
    for value in ['{"$ne": null}', '["x"]', "$where", ".*", "a" * 300, "Bridge to Better"]:
        response = client.patch(f"/v1/return-organisations/{quote(value, safe='')}", json={"active": False},
                                headers=auth("admin"))
        assert response.status_code == 404, (value, response.json)
