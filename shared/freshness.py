"""How current a service's copies of other services' state are: the consumer's mark.

A service keeps copies of what other services told it through events (intake: a returnee's handover
status and monitoring's summary with its open alerts). Those copies are current as of the last moment
its consumer had read every event there was (`ConsumerLoop.caught_up_at`); the process that consumes
writes that moment to the service's own store every few seconds, and the API answers it beside the
copies (`events_as_of`), so a page can say how old they are while the broker is away. With several
worker replicas the mark is the latest caught-up one's; one replica lagging alone shows as consumer lag
in the metrics, not here.
"""
from __future__ import annotations

from datetime import datetime, timezone

MARK_ID = "consumer"
MARK_SECONDS = 5.0


def mark_writer(mark_class, consumer):
    """A periodic tick that stores the consumer's latest caught-up moment when it moved on."""
    written = {"at": None}

    def tick() -> None:
        at = consumer.caught_up_at
        if at is None or at == written["at"]:
            return
        mark_class.objects(id=MARK_ID).update_one(
            upsert=True, set__caught_up_at=datetime.fromtimestamp(at, timezone.utc))
        written["at"] = at

    return ("consumer-mark", MARK_SECONDS, tick)


def events_as_of(mark_class) -> datetime | None:
    """When the copies were last known current (None: the consumer never caught up, or the store hiccups)."""
    try:
        mark = mark_class.objects(id=MARK_ID).only("caught_up_at").as_pymongo().first()
    except Exception:  # noqa: BLE001 - an answer without the mark beats no answer
        return None
    return mark["caught_up_at"] if mark else None
