"""Liveness, readiness and metrics of a page app: `/healthz` (the process answers), `/readyz` (its own store
answers; the APIs it calls are reported by the pages that need them), `/metrics` (Prometheus)."""
from __future__ import annotations

from flask import Blueprint, current_app

from shared.metrics import metrics_answer

ENDPOINTS = frozenset({"ops.healthz", "ops.readyz", "ops.metrics"})  # no session, no CSRF


def ops_blueprint(service: str, ping, registry_key: str, settings) -> Blueprint:
    """`ping()` says whether the app's store answers; `app.extensions[registry_key]` is its metrics registry;
    `settings.metrics_token` what `/metrics` asks for (`shared.metrics`)."""
    bp = Blueprint("ops", __name__)

    @bp.route("/healthz")
    def healthz():
        return {"status": "ok", "service": service}

    @bp.route("/readyz")
    def readyz():
        ok = ping()
        return {"status": "ready" if ok else "unavailable", "mongodb": "ok" if ok else "down"}, 200 if ok else 503

    @bp.route("/metrics")
    def metrics():
        return metrics_answer(current_app.extensions[registry_key], settings.metrics_token, settings.production)

    return bp
