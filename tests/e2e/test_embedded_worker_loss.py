"""Embedded mode: a service whose worker dies takes its in-memory store with it, so it stops loudly
instead of coming back empty (issue 10: 247 acknowledged check-ins vanished without a word)."""
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


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def test_a_killed_embedded_worker_stops_its_server_with_a_clear_reason(tmp_path):
    port = free_port()
    env = {**os.environ, "EMBEDDED_WORKERS": "1", "KAFKA_BOOTSTRAP_SERVERS": f"127.0.0.1:{free_port()}",
           "JWT_SIGNING_KEY_FILE": str(tmp_path / "key.pem"), "HOMEWARD_ENV": "development"}
    env.pop("MONGODB_URI", None)
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", "--bind",
                               f"127.0.0.1:{port}", "--no-control-socket", "services.intake.api:create_app()"],
                              cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        def healthy():
            try:
                return requests.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200
            except requests.RequestException:
                return False

        eventually(healthy, timeout=60, message="server up")
        workers = children(server.pid)
        assert len(workers) == 1
        os.kill(workers[0], signal.SIGKILL)
        _, errors = server.communicate(timeout=60)
    finally:
        if server.poll() is None:
            server.kill()
    assert server.returncode == 75
    assert "in-memory store" in errors and "gone" in errors
