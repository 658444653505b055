"""The HTTP seedwork every service's `create_app()` builds on.

- errors as `application/problem+json` (RFC 9457) with one message per invalid field,
- bearer-token authentication giving a `Principal` (role, partner organisation),
- `/healthz`, `/readyz`, `/metrics`, `/openapi.json`, `/docs`,
- a request id on every request and JSON access logs,
- an audit record of every authenticated `/v1` call (`GET /v1/audit?resource_id=`, administrators),
- cursor pagination and the Idempotency-Key flow.
"""
from __future__ import annotations

import functools
import logging
import os
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Callable

import marshmallow as ma
from flask import Flask, Response, current_app, g, jsonify, request
from flask_smorest import Api, Blueprint
from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest, multiprocess
from prometheus_client import CONTENT_TYPE_LATEST
from ulid import ULID
from werkzeug.exceptions import HTTPException

from shared import idempotency as idem
from shared.auth import InvalidToken, Principal, TokenVerifier
from shared.clock import Clock, SystemClock
from shared.store import ping

log = logging.getLogger("homeward.http")
PROBLEM = "application/problem+json"
QUIET_PATHS = {"/healthz", "/readyz", "/metrics"}  # probes and scrapes: logged only when they fail


class Problem(HTTPException):
    """An error answered as problem+json. Raise it from views and handlers' adapters."""

    def __init__(self, status: int, detail: str = "", errors: dict | None = None, title: str | None = None,
                 headers: dict | None = None):
        super().__init__(description=detail)
        self.code = status
        self.detail = detail
        self.errors = errors
        self.title = title
        self.extra_headers = headers or {}


def flatten_errors(messages: Any, prefix: str = "") -> dict[str, str]:
    """webargs/marshmallow messages -> {"field.path": "first message"}."""
    if isinstance(messages, str):
        return {prefix or "body": messages}
    if isinstance(messages, list):
        if all(isinstance(m, str) for m in messages):
            return {prefix or "body": messages[0] if messages else "invalid"}
        out: dict[str, str] = {}
        for item in messages:
            out.update(flatten_errors(item, prefix))
        return out
    out = {}
    for name, value in messages.items():
        out.update(flatten_errors(value, f"{prefix}.{name}" if prefix else str(name)))
    return out


def problem_response(status: int, detail: str = "", errors: dict | None = None, title: str | None = None,
                     headers: dict | None = None) -> Response:
    from http import HTTPStatus

    phrase = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else "Error"
    body = {"type": f"https://homeward.example/problems/{status}", "title": title or phrase,
            "status": status, "detail": detail or phrase}
    if errors:
        body["errors"] = errors
    if "request_id" in g:
        body["request_id"] = g.request_id
    response = jsonify(body)
    response.status_code = status
    response.mimetype = PROBLEM
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


class HomewardApi(Api):
    """flask-smorest with every HTTP error answered as problem+json."""

    def handle_http_exception(self, error: HTTPException):
        if isinstance(error, Problem):
            return problem_response(error.code, error.detail, error.errors, error.title, error.extra_headers)
        data = getattr(error, "data", None) or {}
        errors = None
        detail = error.description or ""
        if "messages" in data:
            errors = flatten_errors({loc: msgs for loc, msgs in data["messages"].items()})
            errors = {k.split(".", 1)[1] if k.split(".", 1)[0] in ("json", "query", "headers", "form")
                      and "." in k else k: v for k, v in errors.items()}
            detail = "The request has invalid fields." if error.code == 422 else "The request is malformed."
            if error.code == 400 or set(errors) == {"json"}:
                return problem_response(400, "The request body is not valid JSON.")
        headers = {}
        if error.code == 405 and getattr(error, "valid_methods", None):
            headers["Allow"] = ", ".join(error.valid_methods)
        return problem_response(error.code or 500, detail, errors, headers=headers)


class RateLimiter:
    """Fixed one-minute windows per client, in this process's memory (a gateway does it across replicas)."""

    def __init__(self, per_minute: int):
        self.per_minute = per_minute
        self._windows: dict[str, tuple[int, int]] = {}
        self._lock = threading.Lock()

    def retry_after(self, key: str, limit: int | None = None) -> int | None:
        """Count one request for `key`; the seconds to wait when over the limit, else None."""
        limit = self.per_minute if limit is None else limit
        if not limit:
            return None
        now = time.time()
        window = int(now // 60)
        with self._lock:
            current, count = self._windows.get(key, (window, 0))
            if current != window:
                current, count = window, 0
            self._windows[key] = (current, count + 1)
            if len(self._windows) > 10_000:  # forget old windows; memory stays bounded
                self._windows = {k: v for k, v in self._windows.items() if v[0] == window}
        return None if count < limit else max(1, int(60 - now % 60))


def too_many(seconds: int) -> Problem:
    return Problem(429, f"Too many requests; retry in {seconds} s.", headers={"Retry-After": str(seconds)})


@dataclass
class Runtime:
    """What a running service shares with its views: settings, store, auth, clock, health probes."""

    settings: Any
    db: Any
    verifier: TokenVerifier
    clock: Clock = field(default_factory=SystemClock)
    broker_state: Callable[[], str] = lambda: "unknown"
    outbox_backlog: Callable[[], int] = lambda: 0
    idempotency: idem.IdempotencyStore | None = None
    extras: dict = field(default_factory=dict)
    limiter: RateLimiter | None = None


def runtime() -> Runtime:
    return current_app.extensions["homeward"]


def principal() -> Principal:
    return g.principal


def require(*roles: str):
    """Authenticate the bearer token and allow only `roles` (401 without a valid token, 403 otherwise)."""

    def decorate(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            header = request.headers.get("Authorization", "")
            scheme, _, token = header.partition(" ")
            if scheme.lower() != "bearer" or not token.strip():
                raise Problem(401, "A bearer token is required.", headers={"WWW-Authenticate": "Bearer"})
            try:
                g.principal = runtime().verifier.verify(token.strip())
            except InvalidToken as exc:
                raise Problem(401, str(exc), headers={"WWW-Authenticate": 'Bearer error="invalid_token"'})
            if g.principal.role not in roles:
                raise Problem(403, f"The role {g.principal.role} may not use this endpoint.")
            limiter = runtime().limiter
            wait = limiter.retry_after(g.principal.org or g.principal.sub) if limiter else None
            if wait:
                raise too_many(wait)
            return view(*args, **kwargs)

        wrapper._homeward_roles = roles  # read by tests that check every route is protected
        return wrapper

    return decorate


def audit_resource(resource_id: str) -> None:
    """Name the case the current request is about, for the audit log (defaults to the URL's id)."""
    g.audit_resource = resource_id


def idempotent(scope: str, key: str, payload, run: Callable[[], tuple[dict, int]]) -> tuple[dict, int]:
    """Run `run` once per (scope, key); replay its response for retries with the same payload."""
    store = runtime().idempotency
    try:
        stored = store.begin(scope, key, idem.fingerprint(payload))
    except idem.KeyReused:
        raise Problem(422, "This Idempotency-Key was used with a different request body.",
                      errors={"Idempotency-Key": "already used with another body"})
    except idem.KeyInFlight:
        raise Problem(409, "A request with this Idempotency-Key is still being processed; retry later.",
                      headers={"Retry-After": "1"})
    if stored is not None:
        return stored.body, stored.status
    try:
        body, status = run()
    except Problem as problem:
        if problem.code >= 500 or problem.code == 409:
            store.abandon(scope, key)
        else:
            body = problem_response(problem.code, problem.detail, problem.errors).get_json()
            store.complete(scope, key, problem.code, body)
        raise
    except Exception:
        store.abandon(scope, key)
        raise
    store.complete(scope, key, status, body)
    return body, status


class PageQuerySchema(ma.Schema):
    limit = ma.fields.Integer(load_default=50, validate=ma.validate.Range(min=1, max=200))
    cursor = ma.fields.String(load_default=None)


def paginate(collection, selector: dict, limit: int, cursor: str | None, to_dict: Callable) -> dict:
    """Cursor pages over `_id` (ULIDs sort by creation time)."""
    query = dict(selector)
    if cursor:
        query["_id"] = {"$gt": cursor}
    docs = list(collection.find(query).sort("_id", 1).limit(limit + 1))
    more = len(docs) > limit
    docs = docs[:limit]
    return {"items": [to_dict(d) for d in docs], "next_cursor": docs[-1]["_id"] if more and docs else None}


class AuditQuerySchema(PageQuerySchema):
    resource_id = ma.fields.String(required=True)


def _metrics_registry():
    """(registry to register metrics in, registry to expose): per app, or gunicorn's multiprocess files."""
    exposed = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.MultiProcessCollector(exposed)
        return None, exposed
    return exposed, exposed


def create_base_app(name: str, title: str, rt: Runtime) -> tuple[Flask, HomewardApi]:
    """The Flask app and flask-smorest Api every service starts from."""
    app = Flask(name)
    app.config.update(
        API_TITLE=title, API_VERSION="v1", OPENAPI_VERSION="3.0.3", OPENAPI_URL_PREFIX="/",
        OPENAPI_JSON_PATH="openapi.json", OPENAPI_SWAGGER_UI_PATH="docs",
        OPENAPI_SWAGGER_UI_URL="https://cdn.jsdelivr.net/npm/swagger-ui-dist@5/",
        MAX_CONTENT_LENGTH=2 * 1024 * 1024, JSON_SORT_KEYS=False,
    )
    app.extensions["homeward"] = rt
    api = HomewardApi(app, spec_kwargs={"info": {"description": f"Homeward {title}"}})
    api.spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"})
    app.register_error_handler(Exception, _unhandled)

    registry, collector = _metrics_registry()
    requests_total = Counter("http_requests_total", "HTTP requests", ["method", "endpoint", "status"],
                             registry=registry)
    latency = Histogram("http_request_duration_seconds", "HTTP latency", ["endpoint"], registry=registry)
    audit = rt.db["audit"]
    audit.create_index([("resource_id", 1), ("_id", 1)])

    @app.before_request
    def _start():
        g.request_id = request.headers.get("X-Request-ID") or str(ULID())
        g.started = time.perf_counter()

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
            audit.insert_one({"_id": str(ULID()), "at": datetime.now(timezone.utc), "who": who.sub,
                              "role": who.role, "org": who.org, "method": request.method,
                              "path": request.path, "resource_id": resource, "status": response.status_code,
                              "request_id": g.get("request_id")})
        level = logging.DEBUG if request.path in QUIET_PATHS and response.status_code < 400 else logging.INFO
        log.log(level, "%s %s %s", request.method, request.path, response.status_code,
                 extra={"method": request.method, "path": request.path, "status": response.status_code,
                        "duration_ms": round(elapsed * 1000, 1), "service": rt.settings.service})
        return response

    ops = Blueprint("ops", __name__, description="Health, readiness and metrics")

    @ops.route("/healthz")
    @ops.doc(security=[])
    def healthz():
        """Liveness: the process answers."""
        return {"status": "ok", "service": rt.settings.service}

    @ops.route("/readyz")
    @ops.doc(security=[])
    def readyz():
        """Readiness: MongoDB answers. Reports the broker and outbox backlog without failing on them."""
        store_ok = ping(rt.db)
        try:
            backlog = rt.outbox_backlog()
        except Exception:  # noqa: BLE001 - readiness must answer even when the store does not
            backlog = None
        body = {"status": "ready" if store_ok else "unavailable", "mongodb": "ok" if store_ok else "down",
                "broker": rt.broker_state(), "outbox_backlog": backlog}
        return body, 200 if store_ok else 503

    @ops.route("/metrics")
    @ops.doc(security=[])
    def metrics():
        """Prometheus metrics."""
        return Response(generate_latest(collector), mimetype=CONTENT_TYPE_LATEST)

    audit_blp = Blueprint("audit", __name__, url_prefix="/v1/audit", description="Audit log")

    @audit_blp.route("")
    @audit_blp.arguments(AuditQuerySchema, location="query")
    @require("admin")
    def audit_log(args):
        """Who read or wrote a resource, when, and from which organisation (administrators)."""

        def row(doc):
            return {"id": doc["_id"], "at": doc["at"].isoformat(), "who": doc["who"], "role": doc["role"],
                    "org": doc["org"], "method": doc["method"], "path": doc["path"],
                    "resource_id": doc["resource_id"], "status": doc["status"]}

        return paginate(audit, {"resource_id": args["resource_id"]}, args["limit"], args["cursor"], row)

    api.register_blueprint(ops)
    api.register_blueprint(audit_blp)
    return app, api


def service_app(import_name: str, title: str, service, blueprints) -> Flask:
    """A service's app from its composition root; in the embedded mode it also runs the worker loops."""
    import atexit

    app, api = create_base_app(import_name, title, service.infra.runtime(service=service))
    for blp in blueprints:
        api.register_blueprint(blp)
    if service.settings.embedded_workers:
        service.infra.start_loops()
        atexit.register(service.infra.close)  # leave the consumer group cleanly when gunicorn stops
    return app


def _unhandled(error: Exception):
    """Anything that is not an HTTPException (those go to HomewardApi) is a logged 500."""
    log.exception("unhandled error")
    return problem_response(500, "An unexpected error occurred; it has been logged.")


def iso(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")
    return value.isoformat()


__all__ = ["Problem", "HomewardApi", "Runtime", "create_base_app", "require", "principal", "runtime",
           "idempotent", "paginate", "PageQuerySchema", "audit_resource", "iso"]


def flatten_row(row: dict, prefix: str = "") -> dict:
    """{"a": {"b": 1}, "c": [1, 2]} -> {"a.b": 1, "c": "1;2"}: one CSV column per leaf."""
    out = {}
    for key, value in row.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(flatten_row(value, f"{name}."))
        elif isinstance(value, (list, tuple)):
            out[name] = ";".join(str(v) for v in value)
        else:
            out[name] = value
    return out


def wants_csv() -> bool:
    """`?format=csv` or an Accept header that prefers text/csv."""
    if request.args.get("format") == "csv":
        return True
    best = request.accept_mimetypes.best_match(["application/json", "text/csv"])
    return best == "text/csv" and request.accept_mimetypes["text/csv"] > request.accept_mimetypes["application/json"]


def csv_response(rows: list[dict], filename: str) -> Response:
    """Rows as a CSV download; columns are the union of the flattened rows' keys, in first-seen order."""
    import csv
    import io

    flat = [flatten_row(r) for r in rows]
    columns: list[str] = []
    for row in flat:
        columns += [c for c in row if c not in columns]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(flat)
    return Response(buffer.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
