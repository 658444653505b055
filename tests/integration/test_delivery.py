"""The delivery guarantees of design.md, through a real broker with the real kafka-python client:
outbox -> Kafka -> consumer -> effect, once in effect, dead letters, crash before commit, broker restart."""
from __future__ import annotations

import threading
from datetime import datetime, timezone

import pytest
from kafka import KafkaConsumer, KafkaProducer
from mongoengine import IntField, StringField

from shared import store
from shared.documents import Aggregate
from shared.events import Envelope, new_event
from shared.kafka import ConsumerLoop, InvalidMessage, Publisher
from shared.outbox import OutboxRelay, outbox_push
from shared.store import apply_once
from tests.helpers import eventually

NOW = datetime(2026, 5, 1, tzinfo=timezone.utc)
ALIAS = "itest"


class Source(Aggregate):
    """A producer's document: its state and its outbox."""

    id = StringField(primary_key=True)
    state = StringField()
    meta = {"db_alias": ALIAS, "collection": "source"}


class Effect(Aggregate):
    """A consumer's document: how often an event's effect was applied."""

    id = StringField(primary_key=True)
    n = IntField(default=0)
    meta = {"db_alias": ALIAS, "collection": "effects"}


def raw(cls, doc_id):
    return cls.objects(id=doc_id).as_pymongo().first()


class Effects:
    """A consumer's side: count each event's effect on a document, idempotently."""

    def __init__(self):
        self.calls = 0

    def dispatch(self, envelope: Envelope) -> None:
        self.calls += 1
        if envelope.type == "test.boom.v1":
            raise RuntimeError("handler keeps failing")
        if envelope.type == "test.bad_schema.v1":
            raise InvalidMessage("missing field")
        Effect.objects(id=envelope.subject).update_one(upsert=True, set_on_insert__n=0)
        apply_once(Effect.objects(id=envelope.subject), {"$inc": {"n": 1}}, envelope.id)

    def count(self, subject: str) -> int:
        doc = raw(Effect, subject)
        return doc["n"] if doc else 0


@pytest.fixture
def env(broker, unique, settings_for):
    settings = settings_for("itest", kafka_bootstrap_servers=broker.bootstrap_servers,
                            kafka_group_id=f"g-{unique}", dlt_max_attempts=3)
    store.connect(settings, ALIAS)
    topic = f"t-{unique}"
    publisher = Publisher(broker.bootstrap_servers, "itest")
    effects = Effects()
    loop = ConsumerLoop(settings, [topic], effects.dispatch, publisher, retry_backoff=0.01)
    stop = threading.Event()
    yield settings, topic, publisher, effects, loop, stop
    stop.set()
    publisher.close()


def start(loop, stop):
    thread = threading.Thread(target=loop.run, args=(stop,), daemon=True)
    thread.start()
    return thread


def event(subject: str, type_: str = "test.happened.v1") -> Envelope:
    return new_event("itest", type_, subject, {"x": 1}, NOW)


def read_all(bootstrap: str, topic: str, expected: int, timeout_ms: int = 15000):
    consumer = KafkaConsumer(topic, bootstrap_servers=bootstrap, auto_offset_reset="earliest",
                             consumer_timeout_ms=timeout_ms, group_id=None)
    records = []
    try:
        for record in consumer:
            records.append(record)
            if len(records) >= expected:
                break
    finally:
        consumer.close()
    return records


class TestOutboxToEffect:
    def test_an_event_stored_with_its_state_change_reaches_the_consumer_and_is_applied(self, env):
        settings, topic, publisher, effects, loop, stop = env
        Source(id="a", state="changed").save(force_insert=True)
        Source.objects(id="a").update_one(__raw__={"$set": {"state": "changed again"},
                                                   "$push": outbox_push(topic, event("rtn_a"))})
        relay = OutboxRelay([Source], publisher, sweep_seconds=3600)
        assert relay.backlog() == 1
        assert relay.run_once() == 1, "the first round sweeps"
        assert relay.backlog() == 0 and raw(Source, "a")["outbox"] == []
        start(loop, stop)
        eventually(lambda: effects.count("rtn_a") == 1, message="effect applied")


class TestOnceInEffect:
    def test_the_same_event_delivered_twice_has_one_effect(self, env):
        settings, topic, publisher, effects, loop, stop = env
        twice = event("rtn_b")
        publisher.publish(topic, "rtn_b", twice.to_bytes())
        publisher.publish(topic, "rtn_b", twice.to_bytes())
        publisher.publish(topic, "rtn_b", event("rtn_b").to_bytes())
        start(loop, stop)
        eventually(lambda: loop.processed == 3, message="three records processed")
        assert effects.count("rtn_b") == 2  # the duplicate was a no-op, the distinct event was not


class TestDeadLetters:
    def test_poison_records_go_to_the_dlt_and_the_records_behind_them_are_processed(self, env, broker):
        settings, topic, publisher, effects, loop, stop = env
        producer = KafkaProducer(bootstrap_servers=broker.bootstrap_servers)
        # all on one key, so one partition: the good record sits behind the poison ones
        producer.send(topic, key=b"rtn_c", value=b"\x00not json").get(10)
        producer.close()
        publisher.publish(topic, "rtn_c", event("rtn_c", "test.boom.v1").to_bytes())
        publisher.publish(topic, "rtn_c", event("rtn_c", "test.bad_schema.v1").to_bytes())
        publisher.publish(topic, "rtn_c", event("rtn_c").to_bytes())
        start(loop, stop)
        eventually(lambda: effects.count("rtn_c") == 1, message="good record applied")
        dead = read_all(broker.bootstrap_servers, f"{topic}.dlt", expected=3)
        assert len(dead) == 3
        headers = [dict(r.headers) for r in dead]
        assert [h["origin-topic"].decode() for h in headers] == [topic] * 3
        assert [h["attempts"] for h in headers] == [b"0", b"3", b"1"]  # undecodable, retried 3x, schema
        assert dead[0].value == b"\x00not json"
        assert all(h["origin-offset"].isdigit() for h in headers)


class TestCrashBeforeCommit:
    def test_a_consumer_that_dies_after_the_effect_but_before_committing_does_not_apply_it_twice(self, env):
        settings, topic, publisher, effects, loop, stop = env
        publisher.publish(topic, "rtn_d", event("rtn_d").to_bytes())
        consumer = loop._consumer()
        records = eventually(lambda: [r for recs in consumer.poll(timeout_ms=500).values() for r in recs],
                             message="first delivery")
        loop.handle(records[0])  # the effect is stored ...
        consumer.close(autocommit=False)  # ... and the process dies before committing
        assert effects.count("rtn_d") == 1 and effects.calls == 1
        restarted = ConsumerLoop(settings, [topic], effects.dispatch, publisher)
        start(restarted, stop)
        eventually(lambda: effects.calls == 2, message="redelivery after restart")
        assert effects.count("rtn_d") == 1


class TestBrokerRestart:
    def test_the_relay_recovers_from_a_broker_restart_without_losing_an_event(self, own_broker, unique,
                                                                              settings_for):
        store.connect(settings_for("itest"), ALIAS)
        topic = f"r-{unique}"
        publisher = Publisher(own_broker.bootstrap_servers, "itest", timeout=3)
        relay = OutboxRelay([Source], publisher, sweep_seconds=3600)
        Source.objects(id="x").update_one(upsert=True, __raw__={"$push": outbox_push(topic, event("rtn_e"))})
        assert relay.run_once() == 1
        own_broker.restart()  # memory storage: topics, producer ids and offsets are gone
        after = event("rtn_e")
        Source.objects(id="x").update_one(__raw__={"$push": outbox_push(topic, after)})
        relay.notify(Source, "x")  # what a repository does after writing events
        stop = threading.Event()
        thread = threading.Thread(target=relay.run, args=(stop, 0.1), daemon=True)
        thread.start()
        try:
            eventually(lambda: relay.backlog() == 0, timeout=30, message="outbox drained after restart")
        finally:
            stop.set()
            thread.join(5)
            publisher.close()
        records = read_all(own_broker.bootstrap_servers, topic, expected=1)
        assert [Envelope.from_bytes(r.value).id for r in records] == [after.id]
