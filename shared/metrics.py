"""Prometheus plumbing shared by the HTTP apps and the worker processes."""
from __future__ import annotations

import os
from typing import Callable

from prometheus_client import CollectorRegistry, multiprocess


GAUGES = {  # the help text of each gauge `Background.gauges` gives (the loops' and the services' own)
    "outbox_backlog": "Documents with events stored but not yet published",
    "outbox_oldest_age_seconds": "Seconds the oldest event stored but not yet published has waited (0: none waits)",
    "consumer_lag": "Records behind the end of the partitions this process consumes, after its latest poll",
    "webhook_endpoints_paused": "Partner webhook endpoints paused after failing too long (partners)",
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
