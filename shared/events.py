"""The CloudEvents 1.0 envelope (structured JSON mode) shared by every service.

Payload schemas stay in each service: share the envelope, not the payload classes.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from cloudevents.core.formats.json import JSONFormat
from cloudevents.core.v1.event import CloudEvent
from ulid import ULID

CONTENT_TYPE = "application/cloudevents+json"
_FORMAT = JSONFormat()


class InvalidEvent(ValueError):
    """Bytes that are not a CloudEvent we can read: they go to the dead-letter topic."""


@dataclass(frozen=True)
class Envelope:
    type: str
    source: str
    subject: str
    time: datetime
    data: dict = field(default_factory=dict)
    id: str = field(default_factory=lambda: str(ULID()))

    def to_bytes(self) -> bytes:
        attributes = {
            "specversion": "1.0", "id": self.id, "source": self.source, "type": self.type,
            "time": self.time, "subject": self.subject, "datacontenttype": "application/json",
        }
        return _FORMAT.write(CloudEvent(attributes, self.data))

    @classmethod
    def from_bytes(cls, raw: bytes | None) -> "Envelope":
        if not raw:
            raise InvalidEvent("empty record")
        try:
            event = _FORMAT.read(CloudEvent, raw)
            attrs = event.get_attributes()
            data = event.get_data()
        except Exception as exc:  # noqa: BLE001 - any decode failure is a poison record
            raise InvalidEvent(f"not a CloudEvent: {exc}") from exc
        if not isinstance(data, dict):
            raise InvalidEvent("data must be a JSON object")
        missing = [name for name in ("subject", "time") if not attrs.get(name)]
        if missing:
            raise InvalidEvent(f"missing attributes: {', '.join(missing)}")
        return cls(type=attrs["type"], source=attrs["source"], subject=attrs["subject"],
                   time=attrs["time"], data=data, id=attrs["id"])


def new_event(service: str, type_: str, subject: str, data: dict, now: datetime) -> Envelope:
    return Envelope(type=type_, source=f"/services/{service}", subject=subject, time=now, data=data)


class UndeclaredEvent(ValueError):
    """An event its producer does not declare, or whose data the declared schema refuses: a bug, never sent."""


def declared_event(service: str, schemas: dict, type_: str, subject: str, data: dict, now: datetime) -> Envelope:
    """A new event of `service`, its data checked against the strict schema `schemas[type_]` (a marshmallow
    schema instance from the service's own `events.py`): strict on what we emit."""
    schema = schemas.get(type_)
    if schema is None:
        raise UndeclaredEvent(f"{service} declares no event type {type_!r}")
    errors = schema.validate(data)
    if errors:
        raise UndeclaredEvent(f"{service} emitted {type_} with data its schema refuses: {errors}")
    return new_event(service, type_, subject, data, now)
