"""Liveness, readiness, metrics and the key set the services trust for staff tokens."""
from __future__ import annotations

from flask import Blueprint, current_app

from services.web import store
from services.web.security import web
from shared.metrics import metrics_answer

bp = Blueprint("ops", __name__)


@bp.route("/healthz")
def healthz():
    """Liveness: the process answers."""
    return {"status": "ok", "service": "web"}


@bp.route("/readyz")
def readyz():
    """Readiness: the web service's own store answers (the APIs are reported by the pages that use them)."""
    ok = store.ping()
    return {"status": "ready" if ok else "unavailable", "mongodb": "ok" if ok else "down"}, 200 if ok else 503


@bp.route("/metrics")
def metrics():
    """Prometheus metrics: with METRICS_TOKEN set, for `Authorization: Bearer <METRICS_TOKEN>` only."""
    settings = web().settings
    return metrics_answer(current_app.extensions["web_metrics"], settings.metrics_token, settings.production)


@bp.route("/.well-known/jwks.json")
def jwks():
    """The public key of the staff tokens this service signs."""
    return web().tokens.jwks()
