"""The gunicorn configuration."""
from __future__ import annotations

import json
import runpy
import sys
from tests.unit.deploy.manifests import (GUNICORN_CONF, defined)



# --- gunicorn ------------------------------------------------------------------------------------

def load_gunicorn_conf(monkeypatch, **env) -> dict:
    for name in ("EMBEDDED_WORKERS", "GUNICORN_WORKERS", "GUNICORN_THREADS", "PORT", "GUNICORN_ACCESS_LOG",
                 "PROMETHEUS_MULTIPROC_DIR"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(GUNICORN_CONF), run_name="gunicorn_conf")


def test_gunicorn_embedded_mode_runs_exactly_one_worker(monkeypatch):
    conf = load_gunicorn_conf(monkeypatch, EMBEDDED_WORKERS="1", GUNICORN_WORKERS="5", PORT="8002")
    assert conf["workers"] == 1
    assert conf["threads"] >= 2
    assert conf["bind"] == ["127.0.0.1:8002"]


def test_gunicorn_workers_threads_and_bind_from_the_environment(monkeypatch):
    conf = load_gunicorn_conf(monkeypatch, GUNICORN_WORKERS="3", GUNICORN_THREADS="2", PORT="9100")
    assert (conf["workers"], conf["threads"], conf["bind"]) == (3, 2, ["0.0.0.0:9100"])
    conf = load_gunicorn_conf(monkeypatch)
    assert 3 <= conf["workers"] <= 8 and conf["threads"] == 4 and conf["bind"] == ["0.0.0.0:8000"]


def test_gunicorn_conf_sets_only_known_settings(monkeypatch):
    from gunicorn.config import KNOWN_SETTINGS

    known = {setting.name for setting in KNOWN_SETTINGS}
    conf = load_gunicorn_conf(monkeypatch)
    public = {name for name, value in conf.items()
              if not name.startswith("_") and not isinstance(value, type(sys)) and name not in (
                  "json", "math", "os", "datetime", "timezone", "Logger", "SafeAtoms")}
    assert public <= known, public - known
    assert conf["control_socket_disable"] is True
    assert conf["preload_app"] is False
    assert conf["worker_class"] == "gthread"
    for name, deployment in defined("Deployment").items():
        if name.endswith("-api"):
            spec = deployment["spec"]["template"]["spec"]
            pre_stop = int(spec["containers"][0]["lifecycle"]["preStop"]["exec"]["command"][-1])
            # preStop sleep + gunicorn's graceful shutdown fit in Kubernetes' grace period
            assert pre_stop + conf["graceful_timeout"] < spec["terminationGracePeriodSeconds"], name


def test_gunicorn_access_log_lines_are_json(monkeypatch):
    conf = load_gunicorn_conf(monkeypatch, GUNICORN_ACCESS_LOG="1")
    assert conf["accesslog"] == "-"
    atoms = {"iso_time": "2025-01-01T00:00:00.000+00:00", "h": "10.0.0.1", "m": "GET", "U": "/v1/x",
             "q": 'a="b"\\', "H": "HTTP/1.1", "s": "200", "B": None, "M": 3, "a": 'ua "quoted" \\ \x01',
             "f": "-", "{x-request-id}o": "01J"}
    line = conf["access_log_format"] % conf["_JsonAtoms"](atoms)
    parsed = json.loads(line)
    assert parsed["user_agent"] == 'ua "quoted" \\ \x01' and parsed["bytes"] is None and parsed["status"] == 200
    assert parsed["request_id"] == "01J"
    assert load_gunicorn_conf(monkeypatch)["accesslog"] is None


def test_gunicorn_prometheus_multiprocess_hooks(monkeypatch, tmp_path):
    directory = tmp_path / "prom"
    conf = load_gunicorn_conf(monkeypatch, PROMETHEUS_MULTIPROC_DIR=str(directory))
    conf["on_starting"](None)
    assert directory.is_dir()
    stale = directory / "counter_1.db"
    stale.write_bytes(b"")
    conf["on_starting"](None)
    assert not stale.exists()
    live = directory / "gauge_livesum_4242.db"
    live.write_bytes(b"")
    conf["child_exit"](None, type("Worker", (), {"pid": 4242})())
    assert not live.exists()
