"""The Flask app every service builds on: its document, error handlers and request hooks (request_log.py),
health, readiness and metrics (ops.py), the audit log's route (audit_api.py)."""
from __future__ import annotations

import logging

from flask import Flask

from shared.errors import DomainError
from shared.http.audit_api import audit_blueprint
from shared.http.context import Runtime
from shared.http.ops import ops_blueprint, serve_docs_assets
from shared.http.request_log import RequestRecorder
from shared import texts
from shared.http.problems import HomewardApi, problem_response, refusal_response, say_language
from shared.http.openapi import ResponsesPlugin, as_documented, null_means_null
from shared.http.guard import check_body, check_query
from shared.http.headers import ServiceFlask, secure_answer
from shared.http.security import authenticate_first
from shared.ids import check_path_ids
from shared.metrics import LoopCollector, metrics_registry

log = logging.getLogger("homeward.http")


def create_base_app(name: str, title: str, rt: Runtime, path_ids: dict | None = None) -> tuple[Flask, HomewardApi]:
    """The Flask app and flask-smorest Api every service starts from (`path_ids`: see `service_app`)."""
    app = ServiceFlask(name)
    app.config.update(
        API_TITLE=title, API_VERSION="v1", OPENAPI_VERSION="3.0.3", OPENAPI_URL_PREFIX="/",
        OPENAPI_JSON_PATH="openapi.json", OPENAPI_SWAGGER_UI_PATH="docs",
        OPENAPI_SWAGGER_UI_URL="/docs/assets/",  # served by serve_docs_assets from swagger-ui-bundle: no CDN
        MAX_CONTENT_LENGTH=2 * 1024 * 1024, JSON_SORT_KEYS=False,
    )
    app.extensions["homeward"] = rt
    app.extensions["homeward_texts"] = texts.catalogue(texts.translations(rt.settings.service))  # its problems' words
    api = _document(app, title, path_ids)
    app.register_error_handler(Exception, _unhandled)
    app.register_error_handler(DomainError, _domain_error)
    registry, collector = metrics_registry()
    if registry is not None:
        registry.register(LoopCollector(rt.gauges, rt.counters))
    rt.audit.start()
    _install_hooks(app, RequestRecorder(rt, registry))
    serve_docs_assets(app)
    api.register_blueprint(ops_blueprint(rt, collector))
    api.register_blueprint(audit_blueprint(rt.audit))
    return app, api


def _document(app: Flask, title: str, path_ids: dict | None) -> HomewardApi:
    """The flask-smorest Api and its OpenAPI document's shared parts."""
    api = HomewardApi(app, spec_kwargs={"info": {"description": f"Homeward {title}"},
                                        "extra_plugins": [ResponsesPlugin(path_ids)]})
    for documenting in (null_means_null, as_documented):
        api.ma_plugin.converter.add_attribute_function(documenting)
    api.spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"})
    return api


def _install_hooks(app: Flask, recorder: RequestRecorder) -> None:
    """The order every request goes through, before and after its view."""
    app.before_request(recorder.before)
    app.before_request(authenticate_first)  # 401/403 before any input is looked at
    app.before_request(check_body)  # then depth and text of the body, before any schema
    app.before_request(check_query)  # and only the query parameters the route declares
    app.after_request(say_language)  # a problem's Content-Language
    app.after_request(secure_answer)  # nosniff, no framing, no referrer, the content policy; /v1: no-store
    app.after_request(recorder.after)


def service_app(import_name: str, title: str, service, blueprints, path_ids: dict | None = None,
                schemas: dict | None = None, security_schemes: dict | None = None) -> Flask:
    """A service's app from its composition root; in the embedded mode it also runs the worker loops.

    `path_ids` names the URL variables that are ids and their prefix (`{"returnee_id": "rtn_"}`): a
    value of another shape answers 404 before any view or query sees it (after authentication).
    `schemas` ({name: schema class}) are put in the document's components for a `$ref` no field makes;
    `security_schemes` are documented beside `bearer` (partners: the OAuth2 flows that issue its tokens).
    """
    import atexit

    rt = service.runtime()
    app, api = create_base_app(import_name, title, rt, path_ids)
    for name, schema in (schemas or {}).items():
        api.spec.components.schema(name, schema=schema)
    for name, scheme in (security_schemes or {}).items():
        api.spec.components.security_scheme(name, scheme)
    if path_ids:
        app.before_request(check_path_ids(path_ids))
    for blp in blueprints:
        api.register_blueprint(blp)
    atexit.register(rt.audit.close)  # store what is still queued
    if service.settings.embedded_workers:
        service.background.start()
        atexit.register(service.background.close)  # leave the consumer group cleanly when gunicorn stops
    return app


def _unhandled(error: Exception):
    """Anything that is not an HTTPException (those go to HomewardApi) is a logged 500."""
    log.exception("unhandled error")
    return problem_response(500, "An unexpected error occurred; it has been logged.")


def _domain_error(error: DomainError):
    """Handlers raise domain errors; this is the one place that turns them into problem responses."""
    return refusal_response(error)
