"""Both sides of the events' contract without running the services: every handled type has one producer, every
emitted type a consumer (or a reason), readers are tolerant and require only what producers always send, and the
producers' schemas are strict and refuse drift before the outbox."""
from __future__ import annotations

from datetime import datetime, timezone
from unittest import mock

import marshmallow as ma
import pytest

from services.intake import events as intake_events
from services.intake.bootstrap import IntakeService
from services.intake.handlers import register_returnee
from services.partners import events as partners_events
from shared.events import UndeclaredEvent
from shared.fields import ReaderSchema
from tests.unit.contract.event_checks import EMITS, HANDLERS, NOT_CONSUMED, promise_breaches, readers


class TestBothSidesOfTheContract:
    def test_every_type_a_consumer_handles_has_a_producer(self):
        declared = {type_ for schemas in EMITS.values() for type_ in schemas}
        orphans = {(consumer, type_) for consumer, handlers in HANDLERS.items() for type_ in handlers
                   if type_ not in declared}
        assert orphans == set()

    def test_every_emitted_type_has_a_consumer_unless_listed_with_its_reason(self):
        handled = {type_ for handlers in HANDLERS.values() for type_ in handlers}
        unconsumed = {type_ for schemas in EMITS.values() for type_ in schemas if type_ not in handled}
        assert unconsumed == set(NOT_CONSUMED)

    def test_a_type_has_one_producer(self):
        declared = [type_ for schemas in EMITS.values() for type_ in schemas]
        assert len(declared) == len(set(declared))

    def test_readers_require_only_what_the_producers_always_send(self):
        assert promise_breaches(EMITS, readers()) == []

    def test_every_handler_reads_with_a_tolerant_reader_schema(self):
        for consumer, schemas in readers().items():
            for type_, reader in schemas.items():
                assert reader is not None, f"{consumer} handles {type_} without a reader schema"
                assert issubclass(reader, ReaderSchema) and reader.Meta.unknown == ma.EXCLUDE, (consumer, type_)

    def test_every_emit_schema_is_strict_down_to_its_nested_parts(self):
        def strict(schema) -> bool:
            nested = [f.schema for f in schema.fields.values() if isinstance(f, ma.fields.Nested)]
            nested += [f.inner.schema for f in schema.fields.values()
                       if isinstance(f, ma.fields.List) and isinstance(f.inner, ma.fields.Nested)]
            return schema.unknown == ma.RAISE and all(strict(n) for n in nested)

        assert [t for schemas in EMITS.values() for t, s in schemas.items() if not strict(s)] == []



class TestProducersAreStrict:
    NOW = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)
    ACCEPTED = {"handover_id": "hnd_1", "returnee_id": "rtn_1", "partner_id": "prt_1",
                "accepted_at": "2026-03-02T09:00:00+00:00"}

    def test_a_declared_event_is_built(self):
        event = partners_events.build_event(partners_events.HANDOVER_ACCEPTED, "rtn_1", self.ACCEPTED, self.NOW)
        assert (event.type, event.source, event.subject) == ("handover.accepted.v1", "/services/partners", "rtn_1")

    @pytest.mark.parametrize("data,problem", [
        ({**ACCEPTED, "accepted_on": "2026-03-02"}, "accepted_on"),  # a field nobody declared
        ({k: v for k, v in ACCEPTED.items() if k != "accepted_at"}, "accepted_at"),  # a field renamed away
        ({**ACCEPTED, "accepted_at": "yesterday"}, "accepted_at"),
    ])
    def test_an_event_that_drifts_from_its_schema_is_refused_before_the_outbox(self, data, problem):
        with pytest.raises(UndeclaredEvent, match=problem):
            partners_events.build_event(partners_events.HANDOVER_ACCEPTED, "rtn_1", data, self.NOW)

    def test_an_undeclared_type_is_refused(self):
        with pytest.raises(UndeclaredEvent, match="handover.accepted.v2"):
            partners_events.build_event("handover.accepted.v2", "rtn_1", self.ACCEPTED, self.NOW)

    def test_the_real_handlers_build_their_events_through_the_declared_schemas(self, build):
        service = build(IntakeService, "intake")
        narrower = {intake_events.RETURNEE_REGISTERED: intake_events.ReturneeEventSchema()}  # returnee_id only
        with mock.patch.dict(intake_events.EMITS, narrower), pytest.raises(UndeclaredEvent, match="country_of_return"):
            register_returnee(service.deps, {"given_name": "Hana", "family_name": "Bekele", "country_of_return": "ET"})
        assert service.repo.page({}, None, 10)["items"] == []  # nothing stored: not the returnee, not its event
