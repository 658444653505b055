"""The worker entry point as operators run it: metrics on WORKER_METRICS_PORT, clean stop on SIGTERM."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import requests

from shared.embedded_broker import free_port
from tests.helpers import eventually

ROOT = Path(__file__).resolve().parents[2]


def test_a_worker_serves_its_metrics_and_stops_on_sigterm(broker, key_file):
    port = free_port()
    env = {**os.environ, "KAFKA_BOOTSTRAP_SERVERS": broker.bootstrap_servers, "JWT_SIGNING_KEY_FILE": key_file,
           "WORKER_METRICS_PORT": str(port), "KAFKA_GROUP_ID": f"worker-test-{port}"}
    worker = subprocess.Popen([sys.executable, "-m", "services.monitoring.worker"], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        def scrape():
            try:
                return requests.get(f"http://127.0.0.1:{port}/metrics", timeout=1).text
            except requests.RequestException:
                return None

        text = eventually(scrape, timeout=30, message="worker metrics")
        assert "homeward_outbox_backlog 0.0" in text and "homeward_events_processed_total" in text
    finally:
        worker.send_signal(signal.SIGTERM)
        _, errors = worker.communicate(timeout=30)
    assert worker.returncode == 0, errors
