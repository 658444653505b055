"""Prometheus plumbing shared by the HTTP apps and the worker processes."""
from __future__ import annotations

import os
from typing import Callable

from prometheus_client import CollectorRegistry, multiprocess


class LoopCollector:
    """The outbox backlog and the background loops' counters, read at scrape time."""

    def __init__(self, backlog: Callable[[], int], counters: Callable[[], dict]):
        self.backlog = backlog
        self.counters = counters

    def collect(self):
        from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily

        try:
            backlog = self.backlog()
        except Exception:  # noqa: BLE001 - a scrape must not fail because the store hiccups
            backlog = float("nan")
        yield GaugeMetricFamily("homeward_outbox_backlog", "Events stored but not yet published", value=backlog)
        for name, value in self.counters().items():
            yield CounterMetricFamily(f"homeward_{name}", f"{name.replace('_', ' ')} by this process", value=value)


def metrics_registry():
    """(registry to register metrics in, registry to expose): per app, or gunicorn's multiprocess files."""
    exposed = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.MultiProcessCollector(exposed)
        return None, exposed
    return exposed, exposed


def serve_worker_metrics(port: int, backlog: Callable[[], int], counters: Callable[[], dict]) -> None:
    """A worker's metrics on `port` (any path answers: it is also the liveness probe)."""
    from prometheus_client import start_http_server

    registry = CollectorRegistry()
    registry.register(LoopCollector(backlog, counters))
    start_http_server(port, registry=registry)
