"""Prometheus plumbing shared by the HTTP apps and the worker processes.

Every app's `/metrics` (the three APIs, the staff web app, the portal) answers through `metrics_answer`:
one `Content-Type` for all, `text/plain; version=1.0.0; charset=utf-8` exactly as prometheus_client names
it (Flask's `mimetype=` would add a second charset, which Prometheus 3 refuses), and one protection: with
`METRICS_TOKEN` set, only to `Authorization: Bearer <METRICS_TOKEN>` (401 otherwise); without it, open in
development and not served in production (404), so a page app's or an API's counters are never public.
A worker serves its metrics on a port of its own (`WORKER_METRICS_PORT`), which no Service exposes.
"""
from __future__ import annotations

import hmac
import os
from typing import Callable

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest, multiprocess

METRICS_CONTENT_TYPE = CONTENT_TYPE_LATEST


def metrics_refusal(token: str, production: bool) -> int | None:
    """401 when a token is set and this request does not carry it, 404 in production without one, else None."""
    from flask import request

    if not token:
        return 404 if production else None
    sent = request.headers.get("Authorization", "")
    return None if hmac.compare_digest(sent.encode(), f"Bearer {token}".encode()) else 401


def metrics_answer(registry, token: str, production: bool, refuse: Callable[[int], object] | None = None):
    """The exposition of `registry` for a scraper that may read it; otherwise `refuse(status)` (by default a
    short text answer, with `WWW-Authenticate` on a 401)."""
    from flask import Response

    status = metrics_refusal(token, production)
    if status is not None:
        if refuse is not None:
            return refuse(status)
        headers = {"WWW-Authenticate": 'Bearer realm="metrics"'} if status == 401 else {}
        return Response("A metrics token is required.\n" if status == 401 else "Not found.\n", status=status,
                        headers=headers, mimetype="text/plain")
    response = Response(generate_latest(registry))
    response.headers["Content-Type"] = METRICS_CONTENT_TYPE
    return response


GAUGES = {  # the help text of each gauge `Background.gauges` gives (the loops' and the services' own)
    "outbox_backlog": "Documents with events stored but not yet published",
    "outbox_oldest_age_seconds": "Seconds the oldest event stored but not yet published has waited (0: none waits)",
    "consumer_lag": "Records behind the end of the partitions this process consumes, after its latest poll",
    "webhook_endpoints_paused": "Partner webhook endpoints paused after failing too long (partners)",
    "mail_pending": "Mails in the delivery log waiting to be sent, due or between retries (the mail senders)",
    "mail_sending": "Mails claimed by a sender and not yet recorded (the mail senders)",
    "mail_failed": "Mails marked failed after their last retry (the mail senders)",
    "mail_oldest_pending_age_seconds": "Seconds the oldest pending mail has waited (0: none waits)",
}


class LoopCollector:
    """The background loops' gauges (outbox, consumer lag, the service's own) and counters, read at scrape time."""

    def __init__(self, gauges: Callable[[], dict], counters: Callable[[], dict]):
        self.gauges = gauges
        self.counters = counters

    def collect(self):
        from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily

        try:
            gauges = self.gauges()
        except Exception:  # noqa: BLE001 - a scrape must not fail because the store hiccups
            gauges = {name: float("nan") for name in ("outbox_backlog", "outbox_oldest_age_seconds")}
        for name, value in gauges.items():
            yield GaugeMetricFamily(f"homeward_{name}", GAUGES.get(name, name.replace("_", " ")), value=value)
        for name, value in self.counters().items():
            yield CounterMetricFamily(f"homeward_{name}", f"{name.replace('_', ' ')} by this process", value=value)


def metrics_registry():
    """(registry to register metrics in, registry to expose): per app, or gunicorn's multiprocess files."""
    exposed = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.MultiProcessCollector(exposed)
        return None, exposed
    return exposed, exposed


def serve_worker_metrics(port: int, gauges: Callable[[], dict], counters: Callable[[], dict]) -> None:
    """A worker's metrics on `port` (any path answers: it is also the liveness probe)."""
    from prometheus_client import start_http_server

    registry = CollectorRegistry()
    registry.register(LoopCollector(gauges, counters))
    start_http_server(port, registry=registry)
