"""Create the contract's Kafka topics and their dead-letter twins. Idempotent; safe to run on every deploy.

    python -m deploy.create_topics            # wait for the broker, create what is missing, exit 0
    python -m deploy.create_topics --check    # create nothing; wait until every topic exists
                                              # (Kubernetes init containers of the workers)
    python -m deploy.create_topics --dry-run  # print the plan; contacts no broker

Topic names come from `shared.topics` (plus `KAFKA_TOPIC_PREFIX`, as the services apply it), so this
script and the services cannot disagree about them. Environment:

    KAFKA_BOOTSTRAP_SERVERS        broker list (as the services read it)
    KAFKA_TOPIC_PREFIX             optional prefix (as the services read it)
    TOPIC_REPLICATION_FACTOR       default 3 (docker compose sets 1: one broker)
    TOPIC_MIN_INSYNC_REPLICAS      default 2 (docker compose sets 1); must not exceed the factor
    TOPIC_DLT_PARTITIONS           default 3: dead-letter topics carry little traffic
    TOPIC_RETENTION_MS             optional: one retention for every event topic (overrides the
                                   per-topic defaults below; -1 = keep forever)
    TOPIC_RETENTION_MS_<NAME>      retention of one event topic (NAME: RETURNEES, HANDOVERS,
                                   MONITORING, INSIGHTS). Defaults (PRIVACY.md): the topics about
                                   returnees keep 2 years (the monitoring year, the half year guidance
                                   may run on, and margin), then Kafka deletes them; the country
                                   insights, aggregates of at least k returnees, are kept forever so
                                   intake's read model can be rebuilt (RUNBOOK.md).
    TOPIC_DLT_RETENTION_MS         default 2592000000 (30 days) for dead-letter topics
    TOPIC_CREATE_TIMEOUT_SECONDS   default 180: how long to wait for the broker before failing

Exit status: 0 when every topic exists afterwards, 1 otherwise (broker unreachable within the
timeout, a topic refused, e.g. a replication factor larger than the number of brokers).
"""
from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from pathlib import Path

if __package__ in (None, ""):  # run as `python deploy/create_topics.py`: make `shared` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from shared import topics as contract  # noqa: E402

log = logging.getLogger("deploy.create_topics")

DEFAULT_REPLICATION_FACTOR = 3
DEFAULT_MIN_INSYNC_REPLICAS = 2
DEFAULT_DLT_PARTITIONS = 3
DEFAULT_DLT_RETENTION_MS = 30 * 24 * 3600 * 1000
TWO_YEARS_MS = 730 * 24 * 3600 * 1000
# topic -> (its own retention setting, default retention)
RETENTION = {contract.RETURNEES: ("TOPIC_RETENTION_MS_RETURNEES", TWO_YEARS_MS),
             contract.HANDOVERS: ("TOPIC_RETENTION_MS_HANDOVERS", TWO_YEARS_MS),
             contract.MONITORING: ("TOPIC_RETENTION_MS_MONITORING", TWO_YEARS_MS),
             contract.INSIGHTS: ("TOPIC_RETENTION_MS_INSIGHTS", -1)}
DEFAULT_TIMEOUT_SECONDS = 180.0


def _int(env, name: str, default: int) -> int:
    raw = env.get(name, "").strip()
    try:
        return int(raw) if raw else default
    except ValueError:
        raise ValueError(f"{name} must be an integer, got {raw!r}") from None


def topic_names(environ=None) -> list[str]:
    """Every topic the services use, in order: each contract topic followed by its `.dlt` twin."""
    env = os.environ if environ is None else environ
    prefix = env.get("KAFKA_TOPIC_PREFIX", "")
    names = []
    for name in contract.ALL:
        names += [f"{prefix}{name}", contract.dead_letter(f"{prefix}{name}")]
    return names


def topic_specs(environ=None) -> dict[str, dict]:
    """The topics to create, as kafka-python 3 takes them (`KafkaAdminClient.create_topics(dict)`).

    {name: {"num_partitions": int, "replication_factor": int, "configs": {key: str}}}
    (the dict form replaces the deprecated `NewTopic` list; it carries the same fields).
    """
    env = os.environ if environ is None else environ
    prefix = env.get("KAFKA_TOPIC_PREFIX", "")
    replication = _int(env, "TOPIC_REPLICATION_FACTOR", DEFAULT_REPLICATION_FACTOR)
    min_isr = _int(env, "TOPIC_MIN_INSYNC_REPLICAS", DEFAULT_MIN_INSYNC_REPLICAS)
    dlt_partitions = _int(env, "TOPIC_DLT_PARTITIONS", DEFAULT_DLT_PARTITIONS)
    if replication < 1:
        raise ValueError("TOPIC_REPLICATION_FACTOR must be at least 1")
    if not 1 <= min_isr <= replication:
        raise ValueError(f"TOPIC_MIN_INSYNC_REPLICAS must be between 1 and the replication factor "
                         f"({replication}), got {min_isr}")
    if not 1 <= dlt_partitions <= contract.PARTITIONS:
        raise ValueError(f"TOPIC_DLT_PARTITIONS must be between 1 and {contract.PARTITIONS}")
    base = {"min.insync.replicas": str(min_isr)}
    dlt_configs = {**base, "retention.ms": str(_int(env, "TOPIC_DLT_RETENTION_MS", DEFAULT_DLT_RETENTION_MS))}

    specs = {}
    for name in contract.ALL:
        topic = f"{prefix}{name}"
        own, default = RETENTION[name]
        retention = _int(env, own, _int(env, "TOPIC_RETENTION_MS", default))
        specs[topic] = {"num_partitions": contract.PARTITIONS, "replication_factor": replication,
                        "configs": {**base, "retention.ms": str(retention)}}
        specs[contract.dead_letter(topic)] = {"num_partitions": dlt_partitions, "replication_factor": replication,
                                              "configs": dict(dlt_configs)}
    return specs


def connect_admin(bootstrap_servers: str, deadline: float, client_id: str = "homeward-topics"):
    """A KafkaAdminClient, retrying until the broker answers or the deadline passes."""
    from kafka.admin import KafkaAdminClient

    attempt = 0
    while True:
        attempt += 1
        try:
            return KafkaAdminClient(bootstrap_servers=bootstrap_servers, client_id=client_id,
                                    request_timeout_ms=15_000)
        except Exception as exc:  # NoBrokersAvailable, DNS not ready yet, ... (re-raised at the deadline)
            if time.monotonic() >= deadline:
                raise
            log.info("broker %s not answering yet (attempt %d: %r); retrying", bootstrap_servers, attempt, exc)
            time.sleep(min(2.0 * attempt, 10.0))


def create_missing(admin, specs: dict[str, dict]) -> tuple[list[str], list[str], dict[str, str]]:
    """Create the topics; returns (created, already there, refused: name -> reason)."""
    from kafka.errors import NoError, TopicAlreadyExistsError, for_code

    result = admin.create_topics(specs, raise_errors=False)
    created, existing, refused = [], [], {}
    for entry in result.get("topics", []):
        name, error = entry["name"], for_code(entry["error_code"])
        if error is NoError:
            created.append(name)
        elif error is TopicAlreadyExistsError:
            existing.append(name)
        else:
            refused[name] = f"{error.__name__}: {entry.get('error_message') or ''}".strip()
    return created, existing, refused


def partition_shortfalls(admin, specs: dict[str, dict]) -> dict[str, tuple[int, int]]:
    """Topics that exist with fewer partitions than planned (e.g. auto-created): name -> (has, wants)."""
    short = {}
    for topic in admin.describe_topics(list(specs)):
        wants = specs.get(topic.get("name"), {}).get("num_partitions", 0)
        has = len(topic.get("partitions") or [])
        if topic.get("error_code", 0) == 0 and has < wants:
            short[topic["name"]] = (has, wants)
    return short


def missing_topics(admin, names) -> list[str]:
    present = set(admin.list_topics())
    return [name for name in names if name not in present]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m deploy.create_topics", description=__doc__.split("\n")[0])
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--check", action="store_true", help="create nothing; wait until every topic exists")
    mode.add_argument("--dry-run", action="store_true", help="print the plan and exit")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    logging.getLogger("kafka").setLevel(logging.WARNING)

    specs = topic_specs()
    if args.dry_run:
        for name, spec in specs.items():
            print(name, spec["num_partitions"], spec["replication_factor"], spec["configs"])
        return 0

    bootstrap = os.environ.get("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092")
    timeout = float(os.environ.get("TOPIC_CREATE_TIMEOUT_SECONDS", "") or DEFAULT_TIMEOUT_SECONDS)
    deadline = time.monotonic() + timeout
    try:
        admin = connect_admin(bootstrap, deadline)
    except Exception as exc:  # noqa: BLE001
        log.error("broker %s did not answer within %.0f s: %r", bootstrap, timeout, exc)
        return 1
    try:
        while True:
            try:
                if args.check:
                    missing = missing_topics(admin, specs)
                    if not missing:
                        log.info("all %d topics exist", len(specs))
                        return 0
                    log.info("waiting for topics: %s", ", ".join(missing))
                else:
                    created, existing, refused = create_missing(admin, specs)
                    for name in created:
                        log.info("created %s (%s)", name, specs[name])
                    if existing:
                        log.info("already present: %s", ", ".join(existing))
                    for name, reason in refused.items():
                        log.error("broker refused %s: %s", name, reason)
                    for name, (has, wants) in partition_shortfalls(admin, specs).items():
                        log.warning("%s has %d partitions, the plan says %d: worker replicas beyond %d idle; "
                                    "see RUNBOOK.md before adding partitions", name, has, wants, has)
                    return 1 if refused else 0
            except Exception as exc:  # noqa: BLE001 - controller not elected yet, timeouts: retry
                if time.monotonic() >= deadline:
                    log.error("giving up: %r", exc)
                    return 1
                log.info("broker not ready (%r); retrying", exc)
            if time.monotonic() >= deadline:
                log.error("timed out after %.0f s", timeout)
                return 1
            time.sleep(3.0)
    finally:
        admin.close()


if __name__ == "__main__":
    sys.exit(main())
