"""Benchmarks: each case is timed against a minimal baseline measured in the same run, and only the
ratio is reported (absolute times on mongomock and a laptop mean little).

Run: `make bench` (writes bench/RESULTS.md).
"""
from __future__ import annotations

import json
import platform
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timezone
from pathlib import Path


ROOT = Path(__file__).resolve().parent.parent


def timed(fn, repeat: int = 5) -> float:
    """Median wall time of `fn()` over `repeat` runs."""
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def _tokens(n: int):
    import base64

    from shared.auth import TokenIssuer, TokenVerifier, load_private_key

    key = load_private_key(str(Path(tempfile.mkdtemp()) / "k.pem"), create_dev_key=True)
    issuer = TokenIssuer(key, "homeward")
    tokens = [issuer.issue(f"c{i}", "partner", org="p")[0] for i in range(n)]

    def decode_payloads():
        for token in tokens:
            payload = token.split(".")[1]
            json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))

    return key, tokens, TokenVerifier, decode_payloads


def bench_token_verify(n: int = 2000) -> tuple[float, float]:
    """RS256 verification of n different bearer tokens vs decoding their JSON payloads without checking."""
    key, tokens, TokenVerifier, baseline = _tokens(n)

    def full():
        verifier = TokenVerifier([key.public_key()])  # a fresh cache: every token is checked
        for token in tokens:
            verifier.verify(token)

    return timed(full), timed(baseline)


def bench_token_cached(n: int = 2000) -> tuple[float, float]:
    """The same n tokens presented again (a client's later requests) vs decoding their payloads."""
    key, tokens, TokenVerifier, baseline = _tokens(n)
    verifier = TokenVerifier([key.public_key()])
    for token in tokens:
        verifier.verify(token)

    def full():
        for token in tokens:
            verifier.verify(token)

    return timed(full), timed(baseline)


def bench_insights(cases_per_country: int = 300) -> tuple[float, float]:
    """Recomputing one country's insight (all its check-ins) vs one pass summing the same scores."""
    from services.monitoring.domain.insights import country_insight

    cases = []
    for i in range(cases_per_country):
        checkins = [{"id": f"{i}-{s}", "slot": s, "contact_date": "2026-05-01", "recorded_at": "x",
                     "scores": {"economic": 1 + (i + s) % 5, "housing": 3, "social": 4}, "safety_concern": i % 7 == 0,
                     "support_delivered": [{"type": "business"}], "superseded_by": None, "contact_made": True}
                    for s in (1, 3, 6)]
        cases.append({"returnee_id": f"r{i}", "region": f"reg{i % 4}", "latest_index": 0.5, "checkins": checkins})

    def full():
        country_insight("NG", cases, 5, "t")

    def baseline():
        total = 0
        for case in cases:
            for checkin in case["checkins"]:
                total += sum(checkin["scores"].values())
        return total

    return timed(full), timed(baseline)


def bench_relay(n: int = 200) -> tuple[float, float]:
    """The outbox relay publishing n events (ack, then pull from the document) vs a bare producer sending n."""
    from kafka import KafkaProducer
    from mongoengine import StringField

    from shared import store
    from shared.config import Settings
    from shared.documents import Aggregate
    from shared.embedded_broker import EmbeddedBroker
    from shared.events import new_event
    from shared.kafka import Publisher
    from shared.outbox import OutboxRelay, outbox_push

    class RelaySource(Aggregate):
        id = StringField(primary_key=True)
        meta = {"db_alias": "bench", "collection": "source"}

    store.connect(Settings.from_env("bench", environ={}), "bench")
    broker = EmbeddedBroker().start()
    try:
        publisher = Publisher(broker.bootstrap_servers, "bench")
        relay = OutboxRelay([RelaySource], publisher, batch=n)
        now = datetime.now(timezone.utc)
        runs = iter(range(100))

        def full():
            run = next(runs)
            docs = [{"_id": f"{run}-{i}", "outbox": outbox_push("bench.relay", new_event(
                "bench", "bench.v1", f"r{i}", {"i": i}, now))["outbox"]["$each"]} for i in range(n)]
            RelaySource._get_collection().insert_many(docs)
            assert relay.run_once(sweep=True) == n

        producer = KafkaProducer(bootstrap_servers=broker.bootstrap_servers, acks="all")
        value = new_event("bench", "bench.v1", "r", {"i": 1}, now).to_bytes()

        def baseline():
            futures = [producer.send("bench.raw", key=f"r{i}".encode(), value=value) for i in range(n)]
            for future in futures:
                future.get(10)

        full(), baseline()  # warm up: topic creation and connections
        result = timed(full, 3), timed(baseline, 3)
        producer.close()
        publisher.close()
        return result
    finally:
        broker.stop()


HEADER = """# Benchmark results

Ratio = case time / baseline time, both measured in the same run (median of repeats); newest run
first. Absolute seconds are on mongomock and this machine and mean little; compare ratios.
"""

CASES = {
    "RS256 token verification vs payload decode": bench_token_verify,
    "verified-token cache hit vs payload decode": bench_token_cached,
    "country insight recompute vs one summing pass": bench_insights,
    "outbox relay (pipelined sends, pull after each ack) vs bare pipelined producer sends (Tansu)": bench_relay,
}


def main() -> None:
    """Run every benchmark, print ratios and write bench/RESULTS.md."""
    from bench import checkin_http

    sys.path.insert(0, str(ROOT))
    lines = [f"## {date.today()}, {platform.python_implementation()} {platform.python_version()} "
             f"({platform.machine()})\n", "| case | ratio | case | baseline |", "| --- | --- | --- | --- |"]
    rows = [(name, *fn()) for name, fn in CASES.items()] + checkin_http.run()
    for name, case, base in rows:
        ratio = case / base if base else float("inf")
        print(f"{name}: {ratio:.2f}x  ({case:.5f} vs {base:.5f})", flush=True)
        lines.append(f"| {name} | {ratio:.2f}x | {case:.5f} | {base:.5f} |")
    results = ROOT / "bench" / "RESULTS.md"
    previous = results.read_text() if results.exists() else HEADER
    head, _, runs = previous.partition("\n## ")
    runs = ("## " + runs) if runs else ""
    results.write_text(head.rstrip() + "\n\n" + "\n".join(lines) + "\n\n" + runs)


if __name__ == "__main__":
    main()
