"""The Flask app every service builds on: health, readiness, metrics, docs, request ids, audit log."""
from __future__ import annotations

import logging
import re
import time
from datetime import datetime, timezone

import marshmallow as ma
from flask import Flask, Response, g, request, send_from_directory
from flask_smorest import Blueprint
from prometheus_client import Counter, Histogram
from ulid import ULID

from shared.errors import DomainError
from shared.http.context import Runtime
from shared.http.paging import PageQuerySchema, page_of
from shared import texts
from shared.http.problems import HomewardApi, problem_response, refusal_response, say_language
from shared.http.openapi import TEXT, AnswerSchema, ResponsesPlugin, as_documented, null_means_null
from shared.http.guard import check_body, check_query, request_id_from_client
from shared.http.headers import ServiceFlask, secure_answer
from shared.http.security import authenticate_first, require
from shared.ids import RETURNEE, Id, check_path_ids
from shared.metrics import LoopCollector, metrics_answer, metrics_registry

log = logging.getLogger("homeward.http")
QUIET_PATHS = {"/healthz", "/readyz", "/metrics"}  # probes and scrapes: logged only when they fail


class AuditQuerySchema(PageQuerySchema):
    cursor = Id(load_default=None)  # audit entries have bare ULIDs
    # the id a request was about: mostly a prefixed ULID, sometimes a country code (/v1/countries/NG/...)
    resource_id = Id(re.compile(r"[A-Za-z0-9_]{1,64}"), load_default=None, metadata={
        "description": "the entries about this id; give either resource_id or returnee_id (`one_filter`)"})
    returnee_id = Id(RETURNEE, load_default=None, metadata={
        "description": "every entry concerning this returnee, whatever the URL named (a handover, an alert); "
                       "give either resource_id or returnee_id (`one_filter`)"})

    @ma.validates_schema
    def one_filter(self, data, **kwargs):
        if bool(data.get("resource_id")) == bool(data.get("returnee_id")):
            raise ma.ValidationError("Give either resource_id or returnee_id.", "resource_id")


class AuditRecordSchema(AnswerSchema):
    id = ma.fields.String(required=True)
    at = ma.fields.DateTime(required=True)
    who = ma.fields.String(required=True)
    role = ma.fields.String(required=True)
    org = ma.fields.String(required=True, allow_none=True)
    method = ma.fields.String(required=True)
    path = ma.fields.String(required=True)
    resource_id = ma.fields.String(required=True, allow_none=True)
    returnee_id = ma.fields.String(allow_none=True)
    status = ma.fields.Integer(required=True)
    request_id = ma.fields.String(allow_none=True)


class HealthSchema(AnswerSchema):
    status = ma.fields.String(required=True, metadata={"enum": ["ok"]})
    service = ma.fields.String(required=True)


class ReadinessSchema(AnswerSchema):
    status = ma.fields.String(required=True, metadata={"enum": ["ready", "unavailable"]})
    mongodb = ma.fields.String(required=True, metadata={"enum": ["ok", "down"]})
    broker = ma.fields.String(required=True, metadata={
        "description": "as the relay and consumer see it: `connected`, `not connected` (still ready: writes "
                       "wait in the outbox), `unknown`"})
    outbox_backlog = ma.fields.Integer(required=True, allow_none=True,
                                       metadata={"description": "documents with events stored but not yet published"})
    outbox_oldest_age_seconds = ma.fields.Float(required=True, allow_none=True, metadata={
        "description": "how long the oldest event stored but not yet published has waited; null when none waits"})
    detail = ma.fields.String(required=True, metadata={"description": "the same in a sentence"})


def readiness(store_ok: bool, broker: str, backlog: int | None, oldest: float | None) -> dict:
    """The readiness report: ready while MongoDB answers, whatever the broker does (writes are safe in the outbox)."""
    if not store_ok:
        detail = "MongoDB does not answer: requests cannot be served."
    elif broker == "not connected":
        waiting = f"; {backlog} document(s) waiting, the oldest event for {oldest:.0f} s" if oldest is not None else ""
        detail = ("The broker is not reachable: writes are accepted and kept in the outbox until it is back"
                  f"{waiting}.")
    elif oldest is not None:
        detail = f"Ready; events are waiting to be published, the oldest for {oldest:.0f} s."
    else:
        detail = "Ready; no event waits to be published."
    return {"status": "ready" if store_ok else "unavailable", "mongodb": "ok" if store_ok else "down",
            "broker": broker, "outbox_backlog": backlog,
            "outbox_oldest_age_seconds": None if oldest is None else round(oldest, 1), "detail": detail}


def create_base_app(name: str, title: str, rt: Runtime, path_ids: dict | None = None) -> tuple[Flask, HomewardApi]:
    """The Flask app and flask-smorest Api every service starts from (`path_ids`: see `service_app`)."""
    app = ServiceFlask(name)
    app.config.update(
        API_TITLE=title, API_VERSION="v1", OPENAPI_VERSION="3.0.3", OPENAPI_URL_PREFIX="/",
        OPENAPI_JSON_PATH="openapi.json", OPENAPI_SWAGGER_UI_PATH="docs",
        OPENAPI_SWAGGER_UI_URL="/docs/assets/",  # served below from swagger-ui-bundle: no CDN
        MAX_CONTENT_LENGTH=2 * 1024 * 1024, JSON_SORT_KEYS=False,
    )
    app.extensions["homeward"] = rt
    app.extensions["homeward_texts"] = texts.catalogue(texts.translations(rt.settings.service))  # its problems' words
    api = HomewardApi(app, spec_kwargs={"info": {"description": f"Homeward {title}"},
                                        "extra_plugins": [ResponsesPlugin(path_ids)]})
    for documenting in (null_means_null, as_documented):
        api.ma_plugin.converter.add_attribute_function(documenting)
    api.spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"})
    app.register_error_handler(Exception, _unhandled)
    app.register_error_handler(DomainError, _domain_error)

    registry, collector = metrics_registry()
    requests_total = Counter("http_requests_total", "HTTP requests", ["method", "endpoint", "status"],
                             registry=registry)
    latency = Histogram("http_request_duration_seconds", "HTTP latency", ["endpoint"], registry=registry)
    if registry is not None:
        registry.register(LoopCollector(rt.gauges, rt.counters))
    audit = rt.audit
    audit.start()

    @app.before_request
    def _start():
        g.request_id = str(ULID())  # our own: a caller's id is only logged beside it, never stored
        g.client_request_id = request_id_from_client()
        g.started = time.perf_counter()

    app.before_request(authenticate_first)  # 401/403 before any input is looked at
    app.before_request(check_body)  # then depth and text of the body, before any schema
    app.before_request(check_query)  # and only the query parameters the route declares
    app.after_request(say_language)  # a problem's Content-Language
    app.after_request(secure_answer)  # nosniff, no framing, no referrer, the content policy; /v1: no-store

    @app.after_request
    def _finish(response: Response):
        elapsed = time.perf_counter() - g.get("started", time.perf_counter())
        endpoint = request.url_rule.rule if request.url_rule else "unmatched"
        requests_total.labels(request.method, endpoint, response.status_code).inc()
        latency.labels(endpoint).observe(elapsed)
        response.headers["X-Request-ID"] = g.get("request_id", "")
        who = g.get("principal")
        if who is not None and request.path.startswith("/v1/"):
            view_args = request.view_args or {}
            resource = g.get("audit_resource") or next(iter(view_args.values()), None)
            returnee = g.get("audit_returnee") or (resource if str(resource).startswith("rtn_") else None)
            audit.record(id=str(ULID()), at=datetime.now(timezone.utc), who=who.sub, role=who.role, org=who.org,
                         method=request.method, path=request.path, resource_id=resource, returnee_id=returnee,
                         status=response.status_code, request_id=g.get("request_id"))
        level = logging.DEBUG if request.path in QUIET_PATHS and response.status_code < 400 else logging.INFO
        log.log(level, "%s %s %s", request.method, request.path, response.status_code,
                 extra={"method": request.method, "path": request.path, "status": response.status_code,
                        "client_request_id": g.get("client_request_id"), "duration_ms": round(elapsed * 1000, 1), "service": rt.settings.service})
        return response

    ops = Blueprint("ops", __name__, description="Health, readiness and metrics")

    @ops.route("/healthz")
    @ops.doc(security=[])
    @ops.alt_response(200, schema=HealthSchema, success=True)
    def healthz():
        """Liveness: the process answers."""
        return {"status": "ok", "service": rt.settings.service}

    @ops.route("/readyz")
    @ops.doc(security=[])
    @ops.alt_response(200, schema=ReadinessSchema, success=True, description="Ready: MongoDB answers")
    @ops.alt_response(503, schema=ReadinessSchema, description="Not ready: MongoDB does not answer")
    def readyz():
        """Readiness: MongoDB answers. Reports the broker and the outbox (what waits, and since when) without
        failing on them: with the broker away, writes are kept in the outbox and published when it is back."""
        store_ok = rt.store_ok()
        try:
            backlog, oldest = rt.outbox_backlog(), rt.outbox_oldest_age()
        except Exception:  # noqa: BLE001 - readiness must answer even when the store does not
            backlog, oldest = None, None
        body = readiness(store_ok, rt.broker_state(), backlog, oldest)
        return body, 200 if store_ok else 503

    @ops.route("/metrics")
    @ops.doc(security=[])
    @ops.alt_response(200, schema=TEXT, content_type="text/plain", success=True,
                      description="Prometheus text exposition format 1.0.0")
    @ops.alt_response(401, "UNAUTHORIZED")  # METRICS_TOKEN is set and not sent
    @ops.alt_response(404, "NOT_FOUND")  # production without METRICS_TOKEN: not served
    def metrics():
        """Prometheus metrics: with METRICS_TOKEN set, for `Authorization: Bearer <METRICS_TOKEN>` only (401
        otherwise); in production without METRICS_TOKEN not served (404)."""
        return metrics_answer(collector, rt.settings.metrics_token, rt.settings.production, refuse=_metrics_refused)

    @app.route("/docs/assets/<path:filename>")  # part of /docs, which is not in the document either
    def docs_assets(filename):
        """Swagger UI's files, served locally so /docs works offline."""
        from swagger_ui_bundle import swagger_ui_path

        return send_from_directory(swagger_ui_path, filename)

    audit_blp = Blueprint("audit", __name__, url_prefix="/v1/audit", description="Audit log")

    @audit_blp.route("")
    @audit_blp.arguments(AuditQuerySchema, location="query")
    @audit_blp.alt_response(200, schema=page_of(AuditRecordSchema), success=True)
    @require("admin")
    def audit_log(args):
        """Who read or wrote a resource, or anything about one returnee, when, and from which organisation (administrators)."""
        name = "resource_id" if args["resource_id"] else "returnee_id"
        return audit.page(args["limit"], args["cursor"], **{name: args[name]})

    api.register_blueprint(ops)
    api.register_blueprint(audit_blp)
    return app, api


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


def _metrics_refused(status: int):
    if status == 401:
        return problem_response(401, "A metrics token is required.", headers={"WWW-Authenticate": 'Bearer realm="metrics"'})
    return problem_response(404)


def _unhandled(error: Exception):
    """Anything that is not an HTTPException (those go to HomewardApi) is a logged 500."""
    log.exception("unhandled error")
    return problem_response(500, "An unexpected error occurred; it has been logged.")


def _domain_error(error: DomainError):
    """Handlers raise domain errors; this is the one place that turns them into problem responses."""
    return refusal_response(error)
