"""The checks of the events' contract (tests/unit/contract/test_events.py, test_event_declarations.py): what each
service declares it emits, what each consumer's handlers read it with, and where the two disagree."""
from __future__ import annotations

import sys
from datetime import datetime, timezone
from unittest import mock

from services.intake import events as intake_events
from services.intake.handlers import HANDLERS as INTAKE_HANDLERS
from services.monitoring import events as monitoring_events
from services.monitoring.handlers import HANDLERS as MONITORING_HANDLERS
from services.partners import events as partners_events
from services.partners.handlers import HANDLERS as PARTNERS_HANDLERS
from services.web.notifications.handlers import HANDLERS as WEB_HANDLERS
from shared.events import Envelope

EMITS = {"intake": intake_events.EMITS, "partners": partners_events.EMITS, "monitoring": monitoring_events.EMITS}
HANDLERS = {"intake": INTAKE_HANDLERS, "partners": PARTNERS_HANDLERS, "monitoring": MONITORING_HANDLERS,
            "web": WEB_HANDLERS}  # web: the staff notifications (services/web/notifications)
# emitted, and acted on by no service (yet): each listed with the reason
NOT_CONSUMED = {
    partners_events.WEBHOOK_PAUSED: "for operators; the organisation's notes say it too",
    partners_events.WEBHOOK_RESUMED: "for operators; the organisation's notes say it too",
}


# --- the checks ----------------------------------------------------------------------------------------

def contract_breaches(emitted, readers: dict, subscriptions: dict) -> list[str]:
    """Every emitted event that a consumer of its topic handles but whose reader refuses it.

    `emitted`: (topic, Envelope) pairs as published; `readers`: consumer -> {type: reader schema class};
    `subscriptions`: consumer -> the topics it consumes."""
    breaches = []
    for topic, event in emitted:
        for consumer, schemas in readers.items():
            reader = schemas.get(event.type)
            if reader is None or topic not in subscriptions[consumer]:
                continue
            errors = reader().validate(event.data)
            if errors:
                breaches.append(f"{event.type} on {topic} from {event.source}: {consumer} ({reader.__name__}) "
                                f"refuses it: {errors}")
    return breaches


def promise_breaches(emits: dict, readers: dict) -> list[str]:
    """Every field a reader requires that its producer's schema does not promise always (required), and
    every field a reader needs non-null that the producer may send as null."""
    breaches = []
    for producer, schemas in emits.items():
        for type_, emitted in schemas.items():
            for consumer, reading in readers.items():
                reader = reading.get(type_)
                if reader is None:
                    continue
                for name, field in reader().fields.items():
                    promised = emitted.fields.get(name)
                    where = f"{consumer} ({reader.__name__}) reads {type_}.{name}"
                    if field.required and (promised is None or not promised.required):
                        breaches.append(f"{where} as required; {producer} does not always send it")
                    elif promised is not None and promised.allow_none and not field.allow_none:
                        breaches.append(f"{where} as never null; {producer} may send null")
    return breaches


class _Read(Exception):
    def __init__(self, schema):
        super().__init__(schema)
        self.schema = schema


def reader_of(handler, type_: str):
    """The reader schema `handler` loads an event of `type_` with (every handler reads before it acts),
    or None when it reads with none."""
    def read_event(schema, envelope):
        raise _Read(schema)

    probe = Envelope(type=type_, source="/services/probe", subject="rtn_probe", time=datetime.now(timezone.utc))
    with mock.patch.object(sys.modules[handler.__module__], "read_event", read_event):
        try:
            handler(mock.MagicMock(), probe)
        except _Read as read:
            return read.schema
    return None


def readers() -> dict:
    """consumer -> {type: the reader schema its handler loads that type with}."""
    return {consumer: {type_: reader_of(handler, type_) for type_, handler in handlers.items()}
            for consumer, handlers in HANDLERS.items()}

