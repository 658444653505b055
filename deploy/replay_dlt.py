"""Republish the records of a dead-letter topic to the topic they came from.

    python -m deploy.replay_dlt homeward.returnees.dlt             # replay everything not yet replayed
    python -m deploy.replay_dlt homeward.returnees.dlt --dry-run   # list what would be replayed
    python -m deploy.replay_dlt homeward.returnees.dlt --limit 10

Fix the cause first (deploy the corrected consumer): a record that still fails is dead-lettered again.

Each record goes back with its key and value unchanged to the topic named in its `origin-topic`
header (the consumer loop in shared/kafka.py sets `origin-topic`, `origin-partition`,
`origin-offset`, `error` and `attempts`). Those headers are dropped, any other header is kept, and a
`replayed-from: <dlt>/<partition>@<offset>` header is added. Consumers are idempotent, so a record
replayed twice has its effect once.

Progress is a consumer group (default `homeward-replay-<dlt topic>`): an offset is committed only
after the broker acknowledged the republished record, so an interrupted run resumes where it stopped
and a second run replays only what was dead-lettered since. `--dry-run` commits nothing. The run
ends when no record arrived for `--idle-seconds`. Environment: KAFKA_BOOTSTRAP_SERVERS.
"""
from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from pathlib import Path

if __package__ in (None, ""):  # run as `python deploy/replay_dlt.py`: make `shared` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from shared.topics import dead_letter  # noqa: E402

log = logging.getLogger("deploy.replay_dlt")

DLT_HEADERS = frozenset({"origin-topic", "origin-partition", "origin-offset", "error", "attempts"})
DLT_SUFFIX = dead_letter("")  # ".dlt"


class NotReplayable(ValueError):
    """The record does not say where it came from, or names a topic this DLT does not belong to."""


def _text(value) -> str:
    return value.decode("utf-8", errors="replace") if isinstance(value, (bytes, bytearray)) else str(value)


def replay_plan(record, dlt_topic: str) -> tuple[str, bytes | None, bytes | None, list[tuple[str, bytes]]]:
    """(origin topic, key, value, headers) to republish for one DLT record; raises NotReplayable."""
    headers = list(record.headers or [])
    origin = next((_text(v) for k, v in headers if k == "origin-topic"), "")
    if not origin:
        raise NotReplayable("no origin-topic header")
    if dead_letter(origin) != dlt_topic:
        raise NotReplayable(f"origin-topic {origin!r} does not belong to {dlt_topic!r}")
    kept = [(k, v) for k, v in headers if k not in DLT_HEADERS and k != "replayed-from"]
    kept.append(("replayed-from", f"{dlt_topic}/{record.partition}@{record.offset}".encode()))
    return origin, record.key, record.value, kept


def describe(record) -> str:
    headers = {k: _text(v) for k, v in (record.headers or [])}
    key = _text(record.key) if record.key is not None else "-"
    return (f"{record.topic}/{record.partition}@{record.offset} key={key} origin={headers.get('origin-topic', '?')}"
            f"/{headers.get('origin-partition', '?')}@{headers.get('origin-offset', '?')} "
            f"attempts={headers.get('attempts', '?')} error={headers.get('error', '?')[:200]}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m deploy.replay_dlt", description=__doc__.split("\n")[0])
    parser.add_argument("dlt_topic", help="the dead-letter topic, e.g. homeward.returnees.dlt")
    parser.add_argument("--dry-run", action="store_true", help="list the records; publish and commit nothing")
    parser.add_argument("--limit", type=int, default=0, help="replay at most this many records (0: all)")
    parser.add_argument("--group", default="", help="consumer group keeping replay progress")
    parser.add_argument("--idle-seconds", type=float, default=10.0, help="stop after this long without records")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    logging.getLogger("kafka").setLevel(logging.WARNING)

    if not args.dlt_topic.endswith(DLT_SUFFIX):
        parser.error(f"{args.dlt_topic!r} is not a dead-letter topic (name ending in {DLT_SUFFIX})")

    from kafka import KafkaConsumer, KafkaProducer
    from kafka.structs import OffsetAndMetadata, TopicPartition

    bootstrap = os.environ.get("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092")
    group = args.group or f"homeward-replay-{args.dlt_topic}"
    consumer = KafkaConsumer(args.dlt_topic, bootstrap_servers=bootstrap, group_id=group,
                             client_id=group, enable_auto_commit=False, auto_offset_reset="earliest",
                             session_timeout_ms=10_000, heartbeat_interval_ms=3000)
    producer = None if args.dry_run else KafkaProducer(
        bootstrap_servers=bootstrap, client_id=group, acks="all", enable_idempotence=True, retries=5)
    replayed = skipped = 0
    idle_since = time.monotonic()

    def limit_reached() -> bool:
        return bool(args.limit) and replayed >= args.limit

    try:
        while not limit_reached():
            batch = consumer.poll(timeout_ms=1000, max_records=100)
            if not batch:
                if time.monotonic() - idle_since >= args.idle_seconds:
                    break
                continue
            idle_since = time.monotonic()
            records = [record for part in batch.values() for record in part]
            for record in records:
                if limit_reached():
                    break
                try:
                    origin, key, value, headers = replay_plan(record, args.dlt_topic)
                    log.info("%s %s", "would replay" if args.dry_run else "replaying", describe(record))
                except NotReplayable as exc:
                    skipped += 1
                    origin = None
                    log.error("skipping %s: %s (left in the DLT)", describe(record), exc)
                if origin is not None:
                    if not args.dry_run:
                        producer.send(origin, key=key, value=value, headers=headers).get(timeout=30)
                    replayed += 1
                if not args.dry_run:
                    consumer.commit({TopicPartition(record.topic, record.partition):
                                     OffsetAndMetadata(record.offset + 1, "", -1)})
    finally:
        if producer is not None:
            producer.close(timeout=10)
        consumer.close(autocommit=False)
    log.info("%s %d record(s) from %s; %d skipped", "would replay" if args.dry_run else "replayed",
             replayed, args.dlt_topic, skipped)
    return 1 if skipped else 0


if __name__ == "__main__":
    sys.exit(main())
