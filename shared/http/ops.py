"""Health, readiness and metrics (`/healthz`, `/readyz`, `/metrics`), and Swagger UI's own files for `/docs`."""
from __future__ import annotations

import marshmallow as ma
from flask import send_from_directory
from flask_smorest import Blueprint

from shared.http.context import Runtime
from shared.http.openapi import TEXT, AnswerSchema
from shared.http.problems import problem_response
from shared.metrics import metrics_answer


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


def ops_blueprint(rt: Runtime, collector) -> Blueprint:
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

    return ops


def serve_docs_assets(app) -> None:
    """Swagger UI's files, served locally so /docs works offline (part of /docs, not in the document)."""

    @app.route("/docs/assets/<path:filename>")
    def docs_assets(filename):
        from swagger_ui_bundle import swagger_ui_path

        return send_from_directory(swagger_ui_path, filename)


def _metrics_refused(status: int):
    if status == 401:
        return problem_response(401, "A metrics token is required.", headers={"WWW-Authenticate": 'Bearer realm="metrics"'})
    return problem_response(404)
