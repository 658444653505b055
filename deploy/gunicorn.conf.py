"""Gunicorn settings for every Homeward API process.

    gunicorn -c deploy/gunicorn.conf.py 'services.<svc>.api:create_app()'

Environment (all optional):
    PORT                      port to bind, default 8000 (host 0.0.0.0; 127.0.0.1 in the embedded mode).
                              A `-b/--bind` on the command line overrides this file.
    GUNICORN_WORKERS          worker processes; default 2 x CPUs + 1, at most 8, where CPUs honours
                              the container's CPU quota (cgroup v2) and affinity
    GUNICORN_THREADS          threads per worker, default 4 (gthread worker)
    GUNICORN_ACCESS_LOG       1: gunicorn also writes JSON access lines to stdout. Off by default: the
                              app logs one JSON line per request itself (with its request id). Both
                              leave out successful /healthz, /readyz and /metrics requests.
    EMBEDDED_WORKERS          1 (development, `make run`): exactly ONE worker process whatever else is
                              set, because the in-memory store and the in-process consumer, relay and
                              scheduler threads cannot be shared between processes.
    PROMETHEUS_MULTIPROC_DIR  set for multi-worker metrics: the directory is created and emptied when
                              gunicorn starts, and a dead worker's live gauges are dropped.

No preload: each worker builds its app (and its MongoDB/Kafka clients) after the fork, which is what
pymongo and kafka-python require. Every top-level name without a leading underscore is a gunicorn
setting (tests/unit/deploy checks this against the installed gunicorn).
"""
import json
import math
import os
from datetime import datetime, timezone

from gunicorn.glogging import Logger, SafeAtoms

_MAX_WORKERS = 8
_EMBEDDED_WORKER_LOST = 75  # exit status of a server whose embedded worker died


def _env_int(name, default, environ=None):
    raw = (os.environ if environ is None else environ).get(name, "").strip()
    return int(raw) if raw else default


def _embedded(environ=None):
    # Same reading as shared/config.py: only "1" turns the embedded mode on.
    return (os.environ if environ is None else environ).get("EMBEDDED_WORKERS", "0") == "1"


def _cpus():
    """CPUs this container may use: affinity, then the cgroup v2 quota (os.cpu_count() ignores both)."""
    try:
        count = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        count = os.cpu_count() or 1
    try:
        with open("/sys/fs/cgroup/cpu.max", encoding="ascii") as fh:
            quota, period = fh.read().split()[:2]
        if quota != "max":
            count = min(count, math.ceil(int(quota) / int(period)))
    except (OSError, ValueError):
        pass
    return max(1, count)


def _workers(environ=None):
    if _embedded(environ):
        return 1
    override = _env_int("GUNICORN_WORKERS", 0, environ)
    if override > 0:
        return override
    return min(2 * _cpus() + 1, _MAX_WORKERS)


bind = [f"{'127.0.0.1' if _embedded() else '0.0.0.0'}:{_env_int('PORT', 8000)}"]
workers = _workers()
worker_class = "gthread"
threads = max(1, _env_int("GUNICORN_THREADS", 4))
preload_app = False

# A request may take at most `timeout` seconds; on SIGTERM, workers get `graceful_timeout` seconds to
# finish (keep it below Kubernetes' terminationGracePeriodSeconds, 30 s by default).
timeout = 30
graceful_timeout = 20
# Idle keep-alive connections: longer than the idle timeout of the load balancer or ingress in front
# (60 s for most), so the proxy closes first and never sends on a connection gunicorn just closed.
keepalive = 75

# The worker heartbeat file on tmpfs: a disk-backed /tmp can stall workers (gunicorn docs "blocking
# os.fchmod"), and the containers run with a read-only root filesystem.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None

# gunicorn >= 25.1 opens a control socket under $HOME/.gunicorn by default; containers have no such
# home (and no use for it).
control_socket_disable = True

errorlog = "-"
loglevel = "info"
accesslog = "-" if os.environ.get("GUNICORN_ACCESS_LOG", "0") == "1" else None
access_log_format = (
    '{"time": "%(iso_time)s", "level": "info", "logger": "gunicorn.access", "remote_addr": "%(h)s", '
    '"method": "%(m)s", "path": "%(U)s", "query": "%(q)s", "protocol": "%(H)s", "status": %(s)s, '
    '"bytes": %(B)s, "duration_ms": %(M)s, "user_agent": "%(a)s", "referer": "%(f)s", '
    '"request_id": "%({x-request-id}o)s"}'
)

_UNQUOTED = {"s", "B", "M", "D", "T"}  # numeric atoms written without quotes in access_log_format
_QUIET_PATHS = {"/healthz", "/readyz", "/metrics"}  # probes and scrapes: logged only when they fail


class _JsonAtoms(SafeAtoms):
    """Atoms escaped for JSON (gunicorn's SafeAtoms escapes only double quotes)."""

    def __init__(self, atoms):
        dict.__init__(self)
        for key, value in atoms.items():
            if value is None:
                self[key] = "null" if key in _UNQUOTED else "-"
            elif isinstance(value, str):
                self[key] = json.dumps(value, ensure_ascii=False)[1:-1]
            else:
                self[key] = value


class _JsonAccessLogger(Logger):
    atoms_wrapper_class = _JsonAtoms

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        atoms["iso_time"] = datetime.now(timezone.utc).isoformat(timespec="milliseconds")
        return atoms

    def access(self, resp, req, environ, request_time):
        status = str(getattr(resp, "status", "") or "")
        if environ.get("PATH_INFO") in _QUIET_PATHS and status.startswith("2"):
            return
        super().access(resp, req, environ, request_time)


logger_class = _JsonAccessLogger


def on_starting(server):
    """Prepare PROMETHEUS_MULTIPROC_DIR: it must exist, and files of an earlier run must not count."""
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR", "")
    if not directory:
        return
    os.makedirs(directory, exist_ok=True)
    for name in os.listdir(directory):
        if name.endswith(".db"):
            os.remove(os.path.join(directory, name))


def child_exit(server, worker):
    """A worker died or was replaced: drop its live gauges from the multiprocess metrics.

    In the embedded mode the worker holds the service's only copy of its data (the in-memory
    store), so a worker that dies while the server is not stopping must not be replaced by an empty
    one that nobody notices: the server stops, loudly, and `make run` stops the network with it.
    """
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
    if _embedded() and server.LISTENERS:  # the listeners are closed first when the server stops
        from gunicorn.errors import HaltServer

        raise HaltServer(f"embedded mode: worker {worker.pid} died and its in-memory store with it; "
                         "everything this service held is gone, so it stops instead of starting empty",
                         _EMBEDDED_WORKER_LOST)
