"""From the check-in that completes an insight release (the k-th distinct returnee since the last
publication) to the new insight visible at intake, on the embedded network `make run` starts.

Run: `python -m bench.release_latency [--rounds 20]`; prints p50/p95 and the p95 against the 1 s goal.
"""
from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

import requests

from shared.auth import TokenIssuer, load_private_key
from shared.embedded_broker import free_port
from tests.e2e.api_client import Network
from tests.helpers import eventually

ROOT = Path(__file__).resolve().parent.parent
COUNTRY = "AM"  # a demo country whose insight nobody else touches during the run


class Today:
    @staticmethod
    def today() -> date:
        return date.today()


def start_network(workdir: Path) -> tuple[subprocess.Popen, dict]:
    ports = {name: str(free_port()) for name in ("KAFKA_PORT", "INTAKE_PORT", "PARTNERS_PORT", "MONITORING_PORT",
                                                  "WEB_PORT")}
    env = {k: v for k, v in os.environ.items() if k not in ("KAFKA_BOOTSTRAP_SERVERS", "MONGODB_URI")}
    env.update(ports, HOMEWARD_VAR_DIR=str(workdir), JWT_SIGNING_KEY_FILE=str(workdir / "key.pem"),
               RATE_LIMIT_PER_MINUTE="0")
    launcher = subprocess.Popen([sys.executable, "-m", "deploy.run_embedded"], cwd=ROOT, env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    credentials = workdir / "dev-credentials.json"
    eventually(credentials.exists, timeout=120, interval=0.5, message="network up")
    time.sleep(0.5)
    return launcher, json.loads(credentials.read_text())


def insight(network: Network) -> dict | None:
    response = requests.get(f"{network.urls['intake']}/v1/countries/{COUNTRY}/insights",
                            headers=network.staff["consultant"], timeout=10)
    return response.json() if response.status_code == 200 else None


def run(rounds: int = 20, k: int = 5) -> list[float]:
    workdir = Path(tempfile.mkdtemp())
    launcher, credentials = start_network(workdir)
    try:
        issuer = TokenIssuer(load_private_key(str(workdir / "key.pem")), "homeward")
        network = Network(credentials["urls"], issuer, Today, {})
        partner = network.add_partner(COUNTRY)
        with ThreadPoolExecutor(8) as pool:
            returnees = list(pool.map(lambda _: network.register(COUNTRY)["id"], range(rounds * k)))
            list(pool.map(lambda rid: network.arrive(partner, rid, date.today()), returnees))
        latencies = []
        for r in range(rounds):
            before = insight(network)
            for n, rid in enumerate(returnees[r * k:(r + 1) * k]):
                network.call("POST", "monitoring", "/v1/checkins", 201, headers={
                    **partner["headers"], "Idempotency-Key": f"lat-{r}-{n}"}, json={
                    "returnee_id": rid, "slot": "ad_hoc", "contact_date": date.today().isoformat(),
                    "contact_made": True, "contact_mode": "phone",
                    "scores": {"economic": 1 + n % 5, "housing": 3, "social": 4, "health": 3, "resilience": 2}})
            completed = time.perf_counter()
            eventually(lambda: insight(network) != before, timeout=30, interval=0.01, message="insight at intake")
            latencies.append(time.perf_counter() - completed)
        return latencies
    finally:
        os.killpg(launcher.pid, signal.SIGINT)
        launcher.wait(60)


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[-1] if len(samples) > 1 else samples[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    latencies = run(args.rounds)
    print(f"release -> intake: p50 {statistics.median(latencies):.3f} s, p95 {p95(latencies):.3f} s "
          f"({p95(latencies) / 1.0:.2f}x the 1 s goal) over {len(latencies)} releases")


if __name__ == "__main__":
    main()
