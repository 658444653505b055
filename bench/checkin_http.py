"""Check-in POSTs through the real HTTP stack, as `make run` serves them, against a minimal route in
the same server; then the same POST with 1,000 and with 100,000 stored check-ins; then memory.

Everything runs in one gunicorn process (EMBEDDED_WORKERS=1, as `make run`) with a Tansu broker.
Rates are measured in blocks: a block of POSTs is timed from its first request until the server's
background work caused by the block (the outbox relay's publishing, the country insights) is done,
so work moved off the request path still counts; check-in and baseline blocks alternate.
Run: `python -m bench.checkin_http [--large 100000]`; prints ratios and returns them to bench/run.py.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import requests

from bench.app import checkin_body
from shared.auth import TokenIssuer, load_private_key
from shared.embedded_broker import EmbeddedBroker, free_port, wait_for_port

ROOT = Path(__file__).resolve().parent.parent
PARTNER = "prt_bench"


class Server:
    def __init__(self, key_file: str, kafka: str):
        self.port = free_port()
        env = {**os.environ, "EMBEDDED_WORKERS": "1", "KAFKA_BOOTSTRAP_SERVERS": kafka,
               "JWT_SIGNING_KEY_FILE": key_file, "HOMEWARD_ENV": "development", "RATE_LIMIT_PER_MINUTE": "0"}
        env.pop("MONGODB_URI", None)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "deploy" / "gunicorn.conf.py"), "--bind",
             f"127.0.0.1:{self.port}", "--no-control-socket", "--timeout", "600", "bench.app:create_app()"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=open(os.environ.get("BENCH_SERVER_LOG", os.devnull), "w"))
        wait_for_port(self.port, timeout=60)
        self.url = f"http://127.0.0.1:{self.port}"

    def worker_rss_mib(self) -> float:
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                    if int(stat[1]) == self.process.pid:
                        status = (entry / "status").read_text()
                        kib = int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS")))
                        return kib / 1024
                except (OSError, StopIteration):
                    continue
        return float("nan")

    def stop(self):
        self.process.terminate()
        self.process.wait(30)


class Driver:
    def __init__(self, server: Server, token: str, calm: bool = False):
        self.server = server
        self.calm = calm  # check-ins that raise no alert (bench.app.checkin_body)
        self.session = requests.Session()
        self.headers = {"Authorization": f"Bearer {token}"}
        self.keys = iter(range(10 ** 9))
        self.today = date.today()

    def seed(self, prefix: str, returnees: int, per_returnee: int, chunk: int = 200) -> None:
        for start in range(0, returnees, chunk):
            n = min(chunk, returnees - start)
            response = self.session.post(f"{self.server.url}/bench/seed", json={
                "country": "NG", "partner_id": PARTNER, "returnees": n, "checkins_per_returnee": per_returnee,
                "prefix": f"{prefix}{start}-", "calm": self.calm}, timeout=600)
            assert response.status_code == 201, response.text

    def _timed_post(self, path: str, returnee_id: str) -> float:
        """Seconds for one POST of a valid check-in body (with a fresh Idempotency-Key) to `path`."""
        body = checkin_body(returnee_id, next(self.keys), self.today - timedelta(days=1), self.calm)
        started = time.perf_counter()
        response = self.session.post(f"{self.server.url}{path}", json=body,
                                     headers={**self.headers, "Idempotency-Key": f"bench-{next(self.keys)}"})
        elapsed = time.perf_counter() - started
        assert response.status_code == 201, response.text
        return elapsed

    def checkin(self, returnee_id: str) -> float:
        return self._timed_post("/v1/checkins", returnee_id)

    def baseline(self, returnee_id: str) -> float:
        return self._timed_post("/bench/baseline", returnee_id)

    def settle(self) -> None:
        """Wait until the background work caused by the requests so far is done."""
        while not self.session.get(f"{self.server.url}/bench/settled").json()["settled"]:
            time.sleep(0.002)

    def block(self, post, returnees: list[str]) -> float:
        """Seconds per POST of a block of POSTs, counting the background work they caused."""
        started = time.perf_counter()
        for rid in returnees:
            post(rid)
        self.settle()
        return (time.perf_counter() - started) / len(returnees)

    def read(self, returnee_id: str) -> None:
        response = self.session.get(f"{self.server.url}/v1/cases/{returnee_id}", headers=self.headers)
        assert response.status_code == 200, response.text


def interleaved(driver: Driver, returnees: list[str], rounds: int = 10, per_round: int = 50) -> tuple[float, float]:
    """Median seconds per check-in POST and per baseline POST, from alternating blocks of each."""
    case, base = [], []
    driver.settle()
    for r in range(rounds):
        chosen = [returnees[(r * per_round + i) % len(returnees)] for i in range(per_round)]
        case.append(driver.block(driver.checkin, chosen))
        base.append(driver.block(driver.baseline, chosen))
    return statistics.median(case), statistics.median(base)


def run(large: int = 100_000, small: int = 1_000, reads: int = 50_000, per_returnee: int = 5) -> list[tuple[str, float, float]]:
    key_file = str(Path(tempfile.mkdtemp()) / "bench-key.pem")
    issuer = TokenIssuer(load_private_key(key_file, create_dev_key=True), "homeward")
    token = issuer.issue("bench-partner", "partner", org=PARTNER, ttl=6 * 3600)[0]
    broker = EmbeddedBroker(free_port()).start()
    server = Server(key_file, broker.bootstrap_servers)
    rows = []
    try:
        driver = Driver(server, token)
        driver.seed("s", small // per_returnee, per_returnee)
        returnees = [f"s0-{i}" for i in range(100)]
        for rid in returnees[:20]:  # warm up: token cache, code paths
            driver.checkin(rid), driver.baseline(rid)
        case, base = interleaved(driver, returnees)
        rows.append((f"check-in POST vs baseline POST (same gunicorn: token + one insert), {small} stored",
                     case, base))
        rows.append(("check-in POST rate as a share of the baseline rate (goal >= 0.5)", base, case))
        small_cost = case
        driver.seed("l", (large - small) // per_returnee, per_returnee, chunk=400)
        case_large, base_large = interleaved(driver, returnees)
        rows.append((f"check-in POST with {large} stored check-ins vs with {small} (goal <= 1.3)",
                     case_large, small_cost))
        rss_before = server.worker_rss_mib()
        for i in range(reads):
            driver.read(returnees[i % len(returnees)])
        rss_after = server.worker_rss_mib()
        rows.append((f"worker RSS MiB after {reads} reads vs before ({large} check-ins stored; audit entries kept)",
                     rss_after, rss_before))
    finally:
        server.stop()
        broker.stop()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--large", type=int, default=100_000)
    parser.add_argument("--small", type=int, default=1_000)
    parser.add_argument("--reads", type=int, default=50_000)
    args = parser.parse_args()
    for name, case, base in run(args.large, args.small, args.reads):
        print(f"{name}: {case / base:.2f}x ({case:.5f} vs {base:.5f})", flush=True)


if __name__ == "__main__":
    main()
