"""Kafka plumbing: a publisher that survives broker restarts and a consumer loop that loses nothing.

- The publisher sets `acks="all"` and idempotence explicitly and waits for the broker's ack. After
  any error it closes its producer and builds a new one on the next send: an idempotent producer
  is poisoned by a broker that lost its state (stack-notes.md), and a fresh one recovers.
- The consumer loop commits a record's offset only after its effect is stored (or the record is
  dead-lettered). A record that keeps failing goes to `<topic>.dlt` after N attempts with its
  origin in headers; undecodable records and schema failures go there at once.
"""
from __future__ import annotations

import logging
import threading
import time
from typing import Callable, Iterable

from kafka import KafkaConsumer, KafkaProducer
from kafka.admin import KafkaAdminClient, NewTopic
from kafka.errors import TopicAlreadyExistsError
from kafka.serializer import Serializer
from kafka.structs import OffsetAndMetadata

from shared.events import Envelope, InvalidEvent
from shared.topics import dead_letter

log = logging.getLogger(__name__)


class InvalidMessage(ValueError):
    """A decodable event whose payload breaks the reader's schema: dead-lettered without retries."""


def read_event(schema_class, envelope: Envelope) -> dict:
    """Load an event's data with a reader schema; a schema failure is a poison record (to the DLT)."""
    errors = schema_class().validate(envelope.data)
    if errors:
        raise InvalidMessage(f"{envelope.type}: {errors}")
    return schema_class().load(envelope.data)


class PublishError(RuntimeError):
    pass


class _Bytes(Serializer):
    def serialize(self, topic, value):
        return value


class Publisher:
    """Publishes bytes to a topic and returns only when the broker acknowledged them."""

    def __init__(self, bootstrap_servers: str, client_id: str, timeout: float = 10.0):
        self._bootstrap = bootstrap_servers
        self._client_id = client_id
        self._timeout = timeout
        self._producer: KafkaProducer | None = None
        self._lock = threading.Lock()

    def _get(self) -> KafkaProducer:
        if self._producer is None:
            self._producer = KafkaProducer(
                bootstrap_servers=self._bootstrap, client_id=self._client_id,
                acks="all", enable_idempotence=True, retries=3, linger_ms=2,
                max_block_ms=int(self._timeout * 1000), request_timeout_ms=int(self._timeout * 1000),
                key_serializer=_Bytes(), value_serializer=_Bytes(),
            )
        return self._producer

    def publish(self, topic: str, key: str, value: bytes, headers: list | None = None) -> None:
        self.publish_many([(topic, key, value, headers)])

    def publish_many(self, messages: list, on_acked: Callable[[int], None] = lambda index: None) -> None:
        """Send `(topic, key, value, headers)` messages pipelined; call `on_acked(i)` for each acked one, in
        order, and stop at the first failure (raising PublishError) so callers keep the rest pending."""
        with self._lock:
            try:
                producer = self._get()
                futures = [producer.send(topic, key=key.encode(), value=value, headers=headers or [])
                           for topic, key, value, headers in messages]
            except Exception as exc:  # noqa: BLE001 - every failure means "not published"
                self._reset()
                raise PublishError(f"publish failed: {exc!r}") from exc
            for index, future in enumerate(futures):
                try:
                    future.get(timeout=self._timeout)
                except Exception as exc:  # noqa: BLE001
                    self._reset()
                    raise PublishError(f"publish to {messages[index][0]} failed: {exc!r}") from exc
                on_acked(index)

    def _reset(self) -> None:
        producer, self._producer = self._producer, None
        if producer is not None:
            try:
                producer.close(timeout=1)
            except Exception:  # noqa: BLE001 - a broken producer may fail to close; it is dropped anyway
                log.debug("closing a failed producer raised", exc_info=True)

    def connected(self) -> bool:
        """A live connection to a broker right now (False before the first send)."""
        producer = self._producer
        return producer is not None and broker_link_up(getattr(getattr(producer, "_sender", None), "_client", None))

    def close(self) -> None:
        with self._lock:
            self._reset()


def ensure_topics(bootstrap_servers: str, topics: Iterable[str], partitions: int = 4) -> None:
    """Create topics and their DLTs if missing (development convenience; operators create them)."""
    admin = KafkaAdminClient(bootstrap_servers=bootstrap_servers, client_id="homeward-admin")
    try:
        for name in topics:
            for topic in (name, dead_letter(name)):
                try:
                    admin.create_topics([NewTopic(topic, partitions, 1)])
                except TopicAlreadyExistsError:
                    pass
    finally:
        admin.close()


Dispatch = Callable[[Envelope], None]


def dispatcher(handlers: dict, deps) -> Dispatch:
    """Route each event to `handlers[type](deps, envelope)`; other types are not this service's to act on."""

    def dispatch(envelope: Envelope) -> None:
        handler = handlers.get(envelope.type)
        if handler is not None:
            handler(deps, envelope)

    return dispatch


def broker_link_up(client) -> bool:
    """Whether a kafka-python network client holds a live connection to some broker.

    `bootstrap_connected()` only answers True while the first metadata request is under way, so
    readiness built on it said "not connected" while events flowed; this asks the connections.
    """
    if client is None:
        return False
    try:
        return any(client.connected(broker.node_id) for broker in client.cluster.brokers())
    except Exception:  # noqa: BLE001 - a client between reconnects may not answer: not up
        return False


class ConsumerLoop:
    """Consumes topics for one consumer group and applies each event through `dispatch`."""

    def __init__(self, settings, topics: Iterable[str], dispatch: Dispatch, publisher: Publisher,
                 retry_backoff: float = 0.2):
        self.settings = settings
        self.topics = tuple(topics)
        self.dispatch = dispatch
        self.publisher = publisher
        self.retry_backoff = retry_backoff
        self.processed = 0
        self.dead_lettered = 0
        self.lag = 0  # records behind the end of this process's partitions, after its latest poll
        self.caught_up_at: float | None = None  # wall-clock time it last had read everything there was
        self._live: KafkaConsumer | None = None

    def _consumer(self) -> KafkaConsumer:
        s = self.settings
        return KafkaConsumer(
            *self.topics, bootstrap_servers=s.kafka_bootstrap_servers, group_id=s.kafka_group_id,
            client_id=f"{s.kafka_group_id}-consumer", enable_auto_commit=False,
            auto_offset_reset="earliest", session_timeout_ms=s.kafka_session_timeout_ms,
            heartbeat_interval_ms=s.kafka_heartbeat_interval_ms,
            max_poll_interval_ms=s.kafka_max_poll_interval_ms, metadata_max_age_ms=5000,
        )

    def run(self, stop: threading.Event) -> None:
        """Poll until `stop` is set; rebuild the consumer after errors (e.g. a broker restart)."""
        while not stop.is_set():
            consumer = None
            try:
                consumer = self._live = self._consumer()
                while not stop.is_set():
                    for partition, records in consumer.poll(timeout_ms=500, max_records=100).items():
                        for record in records:
                            self.handle(record)
                            consumer.commit({partition: OffsetAndMetadata(record.offset + 1, "", -1)})
                    self._observe(consumer)
            except Exception:  # noqa: BLE001 - the loop must outlive broker outages
                log.exception("consumer loop failed; restarting in 1 s")
                stop.wait(1.0)
            finally:
                if consumer is not None:
                    try:
                        consumer.close(autocommit=False, timeout_ms=2000)  # the broker may be gone
                    except Exception:  # noqa: BLE001
                        log.debug("closing consumer raised", exc_info=True)

    def _observe(self, consumer: KafkaConsumer) -> None:
        """Lag after a poll, from the end offsets the broker last reported; with none behind, connected and
        partitions assigned, this process had read everything there was: `caught_up_at` moves on."""
        try:
            assigned = consumer.assignment()
            known = {tp: (consumer.highwater(tp), consumer.position(tp, timeout_ms=100)) for tp in assigned}
        except Exception:  # noqa: BLE001 - a consumer between rebalances may not answer: observe next time
            log.debug("could not read the consumer's lag", exc_info=True)
            return
        self.lag = sum(max(0, end - at) for end, at in known.values() if end is not None and at is not None)
        every_end_known = all(None not in pair for pair in known.values())
        if assigned and every_end_known and self.lag == 0 and self.connected():
            self.caught_up_at = time.time()

    def connected(self) -> bool:
        """The consumer holds a live broker connection right now."""
        consumer = self._live
        return consumer is not None and broker_link_up(getattr(consumer, "_client", None))

    def handle(self, record) -> None:
        """Apply one record, retrying; dead-letter it after N attempts. Raises only if the DLT fails."""
        try:
            envelope = Envelope.from_bytes(record.value)
        except InvalidEvent as exc:
            self._dead_letter(record, exc, attempts=0)
            return
        attempts = 0
        while True:
            attempts += 1
            try:
                self.dispatch(envelope)
                self.processed += 1
                return
            except InvalidMessage as exc:
                self._dead_letter(record, exc, attempts)
                return
            except Exception as exc:  # noqa: BLE001 - handler failures are retried, then dead-lettered
                if attempts >= self.settings.dlt_max_attempts:
                    log.exception("event %s failed %d times", envelope.id, attempts)
                    self._dead_letter(record, exc, attempts)
                    return
                time.sleep(self.retry_backoff * attempts)

    def _dead_letter(self, record, error: Exception, attempts: int) -> None:
        headers = [
            ("origin-topic", record.topic.encode()),
            ("origin-partition", str(record.partition).encode()),
            ("origin-offset", str(record.offset).encode()),
            ("error", repr(error)[:1000].encode()),
            ("attempts", str(attempts).encode()),
        ]
        key = record.key.decode(errors="replace") if record.key else ""
        self.publisher.publish(dead_letter(record.topic), key, record.value or b"", headers)
        self.dead_lettered += 1
        log.warning("dead-lettered %s/%s@%s: %r", record.topic, record.partition, record.offset, error)
