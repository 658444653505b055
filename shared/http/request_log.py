"""Every request's id, metrics, audit record and log line."""
from __future__ import annotations

import logging
import time
from datetime import datetime, timezone

from flask import Response, g, request
from prometheus_client import Counter, Histogram
from ulid import ULID

from shared.http.context import Runtime
from shared.http.guard import request_id_from_client

log = logging.getLogger("homeward.http")
QUIET_PATHS = {"/healthz", "/readyz", "/metrics"}  # probes and scrapes: logged only when they fail


class RequestRecorder:
    """`before` gives the request its id and start; `after` counts it, audits an authenticated /v1 call and
    logs it."""

    def __init__(self, rt: Runtime, registry):
        self.rt = rt
        self.requests_total = Counter("http_requests_total", "HTTP requests", ["method", "endpoint", "status"],
                                      registry=registry)
        self.latency = Histogram("http_request_duration_seconds", "HTTP latency", ["endpoint"], registry=registry)

    def before(self) -> None:
        g.request_id = str(ULID())  # our own: a caller's id is only logged beside it, never stored
        g.client_request_id = request_id_from_client()
        g.started = time.perf_counter()

    def after(self, response: Response) -> Response:
        elapsed = time.perf_counter() - g.get("started", time.perf_counter())
        endpoint = request.url_rule.rule if request.url_rule else "unmatched"
        self.requests_total.labels(request.method, endpoint, response.status_code).inc()
        self.latency.labels(endpoint).observe(elapsed)
        response.headers["X-Request-ID"] = g.get("request_id", "")
        self._audit(response)
        level = logging.DEBUG if request.path in QUIET_PATHS and response.status_code < 400 else logging.INFO
        log.log(level, "%s %s %s", request.method, request.path, response.status_code,
                extra={"method": request.method, "path": request.path, "status": response.status_code,
                       "client_request_id": g.get("client_request_id"), "duration_ms": round(elapsed * 1000, 1),
                       "service": self.rt.settings.service})
        return response

    def _audit(self, response: Response) -> None:
        who = g.get("principal")
        if who is None or not request.path.startswith("/v1/"):
            return
        view_args = request.view_args or {}
        resource = g.get("audit_resource") or next(iter(view_args.values()), None)
        returnee = g.get("audit_returnee") or (resource if str(resource).startswith("rtn_") else None)
        self.rt.audit.record(id=str(ULID()), at=datetime.now(timezone.utc), who=who.sub, role=who.role, org=who.org,
                             method=request.method, path=request.path, resource_id=resource, returnee_id=returnee,
                             status=response.status_code, request_id=g.get("request_id"))
