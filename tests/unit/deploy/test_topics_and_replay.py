"""Topic creation, retention and the dead-letter replay."""
from __future__ import annotations

import re

import pytest

from shared import topics as contract
from tests.unit.deploy.manifests import (DEPLOY, ROOT)


# --- topic creation ------------------------------------------------------------------------------

def test_topic_specs_cover_every_contract_topic_and_its_dead_letter_twin():
    from deploy import create_topics

    assert create_topics.contract is contract  # the names come from shared.topics, not a copy
    specs = create_topics.topic_specs(environ={})
    expected = [t for name in contract.ALL for t in (name, contract.dead_letter(name))]
    assert list(specs) == expected == create_topics.topic_names(environ={})
    for name in contract.ALL:
        assert specs[name]["num_partitions"] == contract.PARTITIONS
        assert 1 <= specs[contract.dead_letter(name)]["num_partitions"] <= contract.PARTITIONS
    for spec in specs.values():
        assert spec["replication_factor"] == 3
        assert spec["configs"]["min.insync.replicas"] == "2"


def test_topic_specs_follow_the_environment():
    from deploy import create_topics

    specs = create_topics.topic_specs(environ={
        "TOPIC_REPLICATION_FACTOR": "1", "TOPIC_MIN_INSYNC_REPLICAS": "1", "TOPIC_RETENTION_MS": "-1",
        "TOPIC_DLT_PARTITIONS": "2", "KAFKA_TOPIC_PREFIX": "staging."})
    assert set(specs) == {f"staging.{t}" for t in contract.ALL} | {
        contract.dead_letter(f"staging.{t}") for t in contract.ALL}
    assert {s["replication_factor"] for s in specs.values()} == {1}
    assert specs[f"staging.{contract.RETURNEES}"]["configs"] == {"min.insync.replicas": "1", "retention.ms": "-1"}
    assert specs[contract.dead_letter(f"staging.{contract.RETURNEES}")]["num_partitions"] == 2
    with pytest.raises(ValueError):
        create_topics.topic_specs(environ={"TOPIC_REPLICATION_FACTOR": "1", "TOPIC_MIN_INSYNC_REPLICAS": "2"})


def test_create_missing_treats_existing_topics_as_success():
    from kafka.errors import InvalidReplicationFactorError, TopicAlreadyExistsError

    from deploy import create_topics

    class FakeAdmin:
        def create_topics(self, specs, raise_errors=True):
            assert raise_errors is False
            codes = [0, TopicAlreadyExistsError.errno, InvalidReplicationFactorError.errno]
            return {"topics": [{"name": name, "error_code": codes[min(i, 2)], "error_message": None}
                               for i, name in enumerate(specs)]}

    specs = create_topics.topic_specs(environ={})
    created, existing, refused = create_topics.create_missing(FakeAdmin(), specs)
    names = list(specs)
    assert created == names[:1] and existing == names[1:2]
    assert set(refused) == set(names[2:]) and "InvalidReplicationFactor" in refused[names[2]]


def test_create_topics_dry_run_needs_no_broker(capsys, monkeypatch):
    from deploy import create_topics

    monkeypatch.setenv("KAFKA_BOOTSTRAP_SERVERS", "nowhere.invalid:9092")
    assert create_topics.main(["--dry-run"]) == 0
    printed = capsys.readouterr().out.split("\n")
    assert {line.split()[0] for line in printed if line} == set(create_topics.topic_names(environ={}))


# --- DLT replay -----------------------------------------------------------------------------------

class Record:
    def __init__(self, headers, topic="homeward.returnees.dlt", partition=1, offset=7, key=b"r-1", value=b"{}"):
        self.headers, self.topic, self.partition, self.offset, self.key, self.value = (
            headers, topic, partition, offset, key, value)


def test_replay_plan_sends_key_and_value_back_to_the_origin_topic():
    from deploy.replay_dlt import replay_plan

    record = Record([("origin-topic", b"homeward.returnees"), ("origin-partition", b"3"),
                     ("origin-offset", b"42"), ("error", b"ValueError('x')"), ("attempts", b"3"),
                     ("traceparent", b"00-abc")])
    topic, key, value, headers = replay_plan(record, "homeward.returnees.dlt")
    assert (topic, key, value) == ("homeward.returnees", b"r-1", b"{}")
    assert headers == [("traceparent", b"00-abc"), ("replayed-from", b"homeward.returnees.dlt/1@7")]


@pytest.mark.parametrize("headers", [[], [("origin-topic", b"homeward.handovers")]])
def test_replay_plan_refuses_records_without_a_matching_origin(headers):
    from deploy.replay_dlt import NotReplayable, replay_plan

    with pytest.raises(NotReplayable):
        replay_plan(Record(headers), "homeward.returnees.dlt")


def test_replay_headers_match_what_the_consumer_loop_writes():
    from deploy.replay_dlt import DLT_HEADERS

    kafka_code = (ROOT / "shared" / "kafka.py").read_text()
    written = set(re.findall(r'\("([a-z-]+)", ', kafka_code[kafka_code.index("def _dead_letter"):]))
    assert written and written <= DLT_HEADERS, written




def test_topics_about_returnees_expire_and_only_the_insights_are_kept_forever():
    from deploy import create_topics

    two_years = str(730 * 24 * 3600 * 1000)
    specs = create_topics.topic_specs(environ={})
    assert {name: specs[name]["configs"]["retention.ms"] for name in contract.ALL} == {
        contract.RETURNEES: two_years, contract.HANDOVERS: two_years, contract.MONITORING: two_years,
        contract.INSIGHTS: "-1"}
    one = create_topics.topic_specs(environ={"TOPIC_RETENTION_MS_RETURNEES": "1000"})
    assert one[contract.RETURNEES]["configs"]["retention.ms"] == "1000"
    configmap = (DEPLOY / "k8s" / "configmap.yaml").read_text()
    compose = (DEPLOY / "docker-compose.yml").read_text()
    assert 'TOPIC_RETENTION_MS: "-1"' not in configmap + compose
    assert f'TOPIC_RETENTION_MS_RETURNEES: "{two_years}"' in configmap
