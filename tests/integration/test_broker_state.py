"""/readyz tells the broker state the relay and the consumer actually see: before, during and after
an outage (issue 10: it said "not connected" throughout while events flowed)."""
from __future__ import annotations

import threading

from shared.background import Background
from shared.kafka import Publisher
from shared.outbox import OutboxRelay
from tests.helpers import eventually


def test_the_broker_state_follows_the_broker_through_an_outage(own_broker, unique, settings_for):
    settings = settings_for("itest", kafka_bootstrap_servers=own_broker.bootstrap_servers,
                            kafka_group_id=f"state-{unique}")
    publisher = Publisher(own_broker.bootstrap_servers, "itest", timeout=3)
    background = Background(settings, publisher, OutboxRelay([], publisher), topics=[f"s-{unique}"],
                            dispatch=lambda envelope: None)
    stop = threading.Event()
    thread = threading.Thread(target=background.consumer.run, args=(stop,), daemon=True)
    thread.start()
    try:
        eventually(lambda: background.broker_state() == "connected", timeout=30, message="connected at start")
        own_broker.stop()
        eventually(lambda: background.broker_state() == "not connected", timeout=30, message="outage seen")
        own_broker.start()
        eventually(lambda: background.broker_state() == "connected", timeout=60, message="connected again")
    finally:
        stop.set()
        thread.join(10)
        publisher.close()
