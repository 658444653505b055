"""Does a check-in cost more as history grows?

Over HTTP, as `make run` serves it (`--http`, the goal): one gunicorn process holding 40 returnees with 100
check-ins each and 400 with 5 each (all with the same plan, arrived 400 days ago), check-in POSTs timed in
alternating blocks of 40 (one per deep returnee, then one each for 40 of the shallow ones, which take turns
so they stay near 5), each block until the background work it caused is done (relay, insights, keys,
history moves); the ratio deep/shallow of the median block. The check-ins raise no alert (`calm` bodies:
open alerts stay in the case, the consultants' worklist); `--alerts` uses the usual bodies instead, two in
five of which raise a critical_domain alert that nobody resolves.

In process (the default, and `spread`/`deep` below): one check-in POST (Flask test client: token,
validation, Idempotency-Key, case write, outbox) timed with 1,000 and with 10,000 stored check-ins, and
the scheduler's full pass over the same stores (it runs once a day and every SCHEDULER_RESCAN_SECONDS).

Run: `python -m bench.checkin_growth [--http [--alerts]]` (prints the ratios; a minute or two each).

`spread`: the same history depth per returnee (5 check-ins), ten times the returnees (200 -> 2,000).
`deep`: the same 200 returnees, ten times the check-ins each (5 -> 50).
Only ratios mean anything: absolute times are mongomock's on this machine.

Measured 2026-11-26, with the country insights off the request path and plain document copies (each
size in a fresh process, best of 3 alternating rounds, median of 95 POSTs): spread 2.39 ms -> 2.67 ms
(1.12x; 0.98x in a second run); deep 2.80 ms -> 5.53 ms (1.97x, 4.16x before the plain copies: the
case document is copied on every read and write, and the rules read a case's whole history); the
scheduler's full pass 1.2 ms -> 22.2 ms at 200 -> 2,000 cases (a scan in memory, now once a day).
Measured 2026-12-02, once the case moved its history out (issue 17): over HTTP 1.16x and 1.14x at 100
check-ins per returnee against 5 (1.89x and 1.98x before), 1.24x with `--alerts` (2.08x before); in
process deep 1.34x (1.78x before) and spread 0.77x (1.35x before), see bench/RESULTS.md.
"""
from __future__ import annotations

import json
import logging
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

ARRIVED = "2026-01-05"
ROUNDS = 3
BODY = {"slot": "ad_hoc", "contact_date": "2026-05-20", "contact_made": True, "contact_mode": "phone",
        "scores": {"economic": 3, "housing": 4, "social": 4}, "notes": "bench"}


def _service(returnees: int, checkins: int):
    from services.monitoring.bootstrap import MonitoringService
    from services.monitoring.handlers import record_checkin, start_monitoring
    from shared.auth import Principal, TokenIssuer, load_private_key
    from shared.clock import ManualClock
    from shared.config import Settings
    from shared.events import new_event
    from tests.unit.conftest import RecordingPublisher

    key = Path(tempfile.mkdtemp()) / "k.pem"
    issuer = TokenIssuer(load_private_key(str(key), create_dev_key=True), "homeward")
    clock = ManualClock(datetime(2026, 6, 1, tzinfo=timezone.utc))
    settings = Settings.from_env("monitoring", environ={"JWT_SIGNING_KEY_FILE": str(key),
                                                        "MONGODB_DB": "homeward_monitoring_bench"})
    service = MonitoringService(settings, clock=clock, publisher=RecordingPublisher())
    logging.getLogger("homeward").setLevel(logging.WARNING)  # one access-log line per POST is not the subject
    for i in range(returnees):
        start_monitoring(service.deps, new_event("partners", "returnee.arrived.v1", f"rtn_{i:05d}", {
            "returnee_id": f"rtn_{i:05d}", "partner_id": "prt_1", "country": "NG", "arrived_on": ARRIVED},
            clock.now()))
    seeder = Principal("bench", "consultant")
    for n in range(checkins):
        record_checkin(service.deps, seeder, {**BODY, "returnee_id": f"rtn_{n % returnees:05d}",
                                              "contact_date": datetime(2026, 5, 20).date()})
    headers = {"Authorization": "Bearer " + issuer.issue("p", "partner", org="prt_1")[0]}
    return service, headers


def measure(returnees: int, checkins: int, posts: int = 100) -> dict:
    """Median seconds of one check-in POST and of one scheduler tick on a store holding `checkins`."""
    from services.monitoring.api import create_app

    service, headers = _service(returnees, checkins)
    client = create_app(service=service).test_client()
    service.history_feed.run_once()  # the seeded cases' old check-ins move to the history before the timing
    samples = []
    for i in range(posts):
        body = {**BODY, "returnee_id": f"rtn_{(i * 7) % returnees:05d}"}
        start = time.perf_counter()
        response = client.post("/v1/checkins", json=body, headers={**headers, "Idempotency-Key": f"bench-{i}"})
        samples.append(time.perf_counter() - start)
        assert response.status_code == 201, response.json
    from services.monitoring.handlers import judge_due_cases

    ticks = []
    for _ in range(5):  # the scheduler's full pass (once a day, and every SCHEDULER_RESCAN_SECONDS)
        start = time.perf_counter()
        judge_due_cases(service.deps)
        ticks.append(time.perf_counter() - start)
    return {"post": statistics.median(samples[5:]), "tick": statistics.median(ticks)}


def _in_fresh_process(returnees: int, checkins: int) -> dict:
    """Each store in its own interpreter: a process that built a 10k store before pays for it in GC."""
    out = subprocess.run([sys.executable, "-m", "bench.checkin_growth", str(returnees), str(checkins)],
                         check=True, capture_output=True, text=True, cwd=ROOT).stdout
    return json.loads(out.strip().splitlines()[-1])


def over_http(deep: int = 100, shallow: int = 5, returnees: int = 40, rounds: int = 10, calm: bool = True) -> tuple:
    """Seconds per check-in POST (with its background work) on returnees holding `deep` check-ins and on
    returnees holding `shallow`, measured in alternating blocks in one server: (deep, shallow)."""
    from bench.checkin_http import Driver, Server
    from shared.auth import TokenIssuer, load_private_key
    from shared.embedded_broker import EmbeddedBroker, free_port

    key_file = str(Path(tempfile.mkdtemp()) / "bench-key.pem")
    issuer = TokenIssuer(load_private_key(key_file, create_dev_key=True), "homeward")
    broker = EmbeddedBroker(free_port()).start()
    server = Server(key_file, broker.bootstrap_servers)
    try:
        driver = Driver(server, issuer.issue("bench-partner", "partner", org="prt_bench", ttl=6 * 3600)[0], calm=calm)
        driver.seed("d", returnees, deep - 1, chunk=10)
        driver.seed("s", returnees * 10, shallow - 1)
        deep_ids = [f"d{i - i % 10}-{i % 10}" for i in range(returnees)]
        shallow_ids = [f"s{i - i % 200}-{i % 200}" for i in range(returnees * 10)]
        for rid in deep_ids + shallow_ids:  # the first check-in after the seed judges the year's slots; then each
            driver.checkin(rid)  # holds `deep` or `shallow` check-ins (a shallow one gets one more while timed)
        driver.settle()
        deep_blocks, shallow_blocks = [], []
        for r in range(rounds):
            deep_blocks.append(driver.block(driver.checkin, deep_ids))
            turn = r * returnees % len(shallow_ids)
            shallow_blocks.append(driver.block(driver.checkin, shallow_ids[turn:turn + returnees]))
        return statistics.median(deep_blocks), statistics.median(shallow_blocks)
    finally:
        server.stop()
        broker.stop()


def main() -> None:
    """Print the POST and tick cost at 1k and 10k stored check-ins, spread and deep, with the ratios;
    with --http, the check-in over HTTP at 100 check-ins of each returnee against 5."""
    if len(sys.argv) == 3 and sys.argv[1].isdigit():
        print(json.dumps(measure(int(sys.argv[1]), int(sys.argv[2]))))
        return
    if "--http" in sys.argv:
        calm = "--alerts" not in sys.argv
        for _ in range(ROUNDS):
            deep, shallow = over_http(calm=calm)
            print(f"over HTTP{'' if calm else ', with open alerts'}: check-in POST {deep * 1000:.2f} ms at 100 "
                  f"check-ins per returnee vs {shallow * 1000:.2f} ms at 5: {deep / shallow:.2f}x (goal <= 1.3)",
                  flush=True)
        return
    for label, small, large in (("spread", (200, 1_000), (2_000, 10_000)), ("deep", (200, 1_000), (200, 10_000))):
        runs = [(_in_fresh_process(*small), _in_fresh_process(*large)) for _ in range(ROUNDS)]
        # the least disturbed of the alternating rounds: other processes on a shared machine only add time
        a = {k: min(r[0][k] for r in runs) for k in ("post", "tick")}
        b = {k: min(r[1][k] for r in runs) for k in ("post", "tick")}
        print(f"{label}: check-in POST {a['post'] * 1000:.2f} ms at {small[1]:,} ({small[0]} returnees) vs "
              f"{b['post'] * 1000:.2f} ms at {large[1]:,} ({large[0]} returnees): {b['post'] / a['post']:.2f}x; "
              f"scheduler's full pass {a['tick'] * 1000:.1f} ms vs {b['tick'] * 1000:.1f} ms", flush=True)


if __name__ == "__main__":
    main()
