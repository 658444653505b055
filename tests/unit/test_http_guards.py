"""The seedwork's guards on every service: authentication before input, bodies no view could handle,
callers' request ids, the metrics content type, and docs that work offline (issue 10)."""
from __future__ import annotations

import pytest

from services.intake.api import create_app as intake_app
from services.intake.bootstrap import IntakeService
from services.monitoring.api import create_app as monitoring_app
from services.monitoring.bootstrap import MonitoringService
from services.partners.api import create_app as partners_app
from services.partners.bootstrap import PartnersService

APPS = [(intake_app, IntakeService, "intake"), (partners_app, PartnersService, "partners"),
        (monitoring_app, MonitoringService, "monitoring")]
HOSTILE = {"deep list": "[" * 5000, "deep object": '{"a":' * 5000, "lone surrogate": '{"given_name": "\\ud800"}',
           "surrogate key": '{"\\udfff": 1}', "not utf-8": b'{"given_name": "\xff\xfe"}'}


@pytest.fixture(params=APPS, ids=[name for *_, name in APPS])
def app(request, build):
    factory, service_class, name = request.param
    return factory(service=build(service_class, name))


def json_routes(app):
    """Every route that takes a JSON body, with its path filled in."""
    for rule in app.url_map.iter_rules():
        for method in sorted((rule.methods or set()) & {"POST", "PUT", "PATCH"}):
            yield method, rule.rule.replace("<", "").replace(">", "").replace("path:", "")


class TestAuthenticationBeforeValidation:
    def test_an_unauthenticated_write_answers_401_without_naming_fields(self, build):
        client = intake_app(service=build(IntakeService, "intake")).test_client()
        response = client.post("/v1/returnees", json={})
        assert response.status_code == 401 and "errors" not in response.json

    def test_a_bad_token_on_a_query_route_answers_401_before_the_query_is_read(self, build):
        client = intake_app(service=build(IntakeService, "intake")).test_client()
        response = client.get("/v1/eligibility?country=nonsense", headers={"Authorization": "Bearer nope"})
        assert response.status_code == 401

    def test_a_role_that_may_not_use_the_route_answers_403_before_validation(self, build, auth):
        client = intake_app(service=build(IntakeService, "intake")).test_client()
        response = client.post("/v1/returnees", json={"unknown": 1}, headers=auth("project_lead"))
        assert response.status_code == 403


class TestHostileBodies:
    @pytest.mark.parametrize("body", HOSTILE.values(), ids=HOSTILE.keys())
    def test_every_json_write_route_answers_4xx_never_500(self, app, auth, body):
        client = app.test_client()
        headers = {**auth("admin"), "Content-Type": "application/json", "Idempotency-Key": "k-hostile"}
        routes = list(json_routes(app))
        assert routes
        for method, path in routes:
            response = client.open(path, method=method, data=body, headers=headers)
            assert 400 <= response.status_code < 500, (method, path, response.status_code)
            assert response.mimetype == "application/problem+json", (method, path)

    @pytest.mark.parametrize("body", ["[" * 5000, '{"client_id": "\\ud800"}'], ids=["deep", "surrogate"])
    def test_the_token_endpoint_refuses_them_too(self, build, body):
        client = partners_app(service=build(PartnersService, "partners")).test_client()
        response = client.post("/v1/oauth/token", data=body, headers={"Content-Type": "application/json"})
        assert response.status_code == 400


class TestRequestIds:
    def test_a_long_client_request_id_is_neither_echoed_nor_stored(self, build, auth):
        service = build(IntakeService, "intake")
        client = intake_app(service=service).test_client()
        response = client.get("/v1/returnees", headers={**auth("consultant"), "X-Request-ID": "x" * 7000})
        assert response.status_code == 200
        assert len(response.headers["X-Request-ID"]) == 26  # our own ULID
        service.audit.flush()
        assert all(len(e.request_id) == 26 for e in service.audit.documents.objects)


class TestOperations:
    def test_metrics_name_one_charset(self, app):
        response = app.test_client().get("/metrics")
        assert response.headers["Content-Type"].count("charset") == 1

    def test_the_docs_page_loads_nothing_from_another_host(self, app):
        client = app.test_client()
        page = client.get("/docs").get_data(as_text=True)
        assert "/docs/assets/swagger-ui-bundle.js" in page and "https://" not in page
        assert client.get("/docs/assets/swagger-ui-bundle.js").status_code == 200


class TestUnknownQueryParameters:
    def test_a_query_parameter_the_route_does_not_declare_answers_422_naming_it(self, build, auth):
        client = intake_app(service=build(IntakeService, "intake")).test_client()
        response = client.get("/v1/returnees?status=registered&colour=red", headers=auth("consultant"))
        assert response.status_code == 422 and set(response.json["errors"]) == {"colour"}

    def test_a_route_without_query_parameters_refuses_any(self, build, auth):
        client = intake_app(service=build(IntakeService, "intake")).test_client()
        response = client.get("/v1/returnees/rtn_x?debug=1", headers=auth("consultant"))
        assert response.status_code == 422

    def test_declared_parameters_still_work(self, build, auth):
        client = intake_app(service=build(IntakeService, "intake")).test_client()
        assert client.get("/v1/returnees?status=registered&limit=5", headers=auth("consultant")).status_code == 200
