"""Does a storm of failed sign-ins slow `/healthz` for everyone? (issue 22, item 6)

The web app runs as deployed, under gunicorn with deploy/gunicorn.conf.py (gthread, 4 threads; one
worker: EMBEDDED_WORKERS=1, the in-memory store), with one seeded staff account. A probe asks
`/healthz` every 50 ms; its latency is measured idle (the baseline) and while 8 clients send wrong
passwords as fast as they are answered:

- `one account`: all 8 guess one account's password from one address (the issue's case: the old
  code slept up to 4 s per failure inside a request thread, and locked the account);
- `unknown names`: each attempt a new user name from a new address (`X-Forwarded-For`, believed
  with TRUSTED_PROXY_HOPS=1), so no attempt is refused early: every one costs a password check.

Run: `.venv/bin/python -m bench.signin [--root DIR]`; `--root` serves another checkout (e.g. a copy of
an older commit made with `git archive`) with this checkout's virtualenv, for a before/after.
Prints a Markdown table; the results go to bench/RESULTS.md by hand.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
CLIENTS, PROBE_EVERY, SECONDS = 8, 0.05, 15.0
USER, PASSWORD = "bench.consultant", "bench password long enough"


def serve(root: Path, port: int, folder: Path) -> subprocess.Popen:
    seed = folder / "staff.json"
    seed.write_text(json.dumps({"consultant": {"username": USER, "password": PASSWORD}}))
    env = {**os.environ, "PORT": str(port), "EMBEDDED_WORKERS": "1", "WEB_SEED_STAFF_FILE": str(seed),
           "WEB_JWT_SIGNING_KEY_FILE": str(folder / "web-key.pem"), "TRUSTED_PROXY_HOPS": "1",
           "PYTHONPATH": str(root)}
    server = subprocess.Popen([str(ROOT / ".venv" / "bin" / "gunicorn"), "-c", "deploy/gunicorn.conf.py",
                               "services.web.app:create_app()"], cwd=root, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(200):
        try:
            if requests.get(f"http://127.0.0.1:{port}/healthz", timeout=5).ok:
                return server
        except requests.RequestException:  # not listening yet, or still building the app
            time.sleep(0.2)
    server.kill()
    raise SystemExit("the web app did not start")


def probe(url: str, seconds: float) -> list[float]:
    """`/healthz` latencies (s), one request every PROBE_EVERY seconds for `seconds`."""
    samples, end = [], time.monotonic() + seconds
    with requests.Session() as http:
        while time.monotonic() < end:
            start = time.perf_counter()
            http.get(url + "/healthz", timeout=30).raise_for_status()
            samples.append(time.perf_counter() - start)
            time.sleep(PROBE_EVERY)
    return samples


def guess(url: str, spread: bool, stop: threading.Event, statuses: list[int]) -> None:
    with requests.Session() as http:
        while not stop.is_set():
            page = http.get(url + "/login", timeout=30)
            token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
            name = f"nobody-{uuid.uuid4().hex[:12]}" if spread else USER
            headers = {"X-Forwarded-For": f"10.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}.7"} if spread else {}
            answer = http.post(url + "/login", data={"username": name, "password": "not the password at all",
                                                     "csrf_token": token}, headers=headers, timeout=30)
            statuses.append(answer.status_code)


def storm(url: str, spread: bool) -> tuple[list[float], list[int]]:
    stop, statuses = threading.Event(), []
    clients = [threading.Thread(target=guess, args=(url, spread, stop, statuses)) for _ in range(CLIENTS)]
    for client in clients:
        client.start()
    time.sleep(1.0)  # under way
    samples = probe(url, SECONDS)
    stop.set()
    for client in clients:
        client.join()
    return samples, statuses


def summary(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[int(0.95 * (len(ordered) - 1))]
    return f"{statistics.median(ordered) * 1000:.1f} / {p95 * 1000:.1f} / {ordered[-1] * 1000:.1f}"


def main() -> None:
    from shared.embedded_broker import free_port

    parser = argparse.ArgumentParser()
    parser.add_argument("--root", type=Path, default=ROOT)
    args = parser.parse_args()
    port, folder = free_port(), Path(tempfile.mkdtemp())
    server = serve(args.root.resolve(), port, folder)
    url = f"http://127.0.0.1:{port}"
    try:
        idle = probe(url, 5.0)
        rows = []
        for name, spread in (("one account", False), ("unknown names", True)):
            samples, statuses = storm(url, spread)
            counts = ", ".join(f"{statuses.count(s)}x {s}" for s in sorted(set(statuses)))
            rows.append(f"| {name} | {summary(samples)} | {len(statuses) / SECONDS:.1f}/s: {counts} |")
    finally:
        server.terminate()
        server.wait(10)
    print(f"{args.root}: gunicorn gthread, 1 worker x 4 threads, {CLIENTS} clients, {sys.version.split()[0]}")
    print("| load | /healthz median / p95 / max ms | sign-in answers |")
    print("| --- | --- | --- |")
    print(f"| idle | {summary(idle)} | |")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
