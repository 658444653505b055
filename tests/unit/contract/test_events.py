"""The events between the services: what a producer emits, each consumer's reader accepts.

Every event checked here is built by the real code. Returnees go through the three services in process
(their HTTP APIs and scheduled jobs); each service's relay publishes its outbox to a recording publisher,
and every event goes on to the services that subscribe to its topic, through their real dispatchers, as
their consumer loops would. Each event is then loaded with the reader schema of every consumer of its
topic that handles its type, so a renamed or dropped field fails in `make test`, not in production.
Each service declares what it emits in its own `events.py` (strict schemas, checked when an event is
built) and reads with the tolerant reader schemas its handlers load (services/*/schemas.py).
"""
from __future__ import annotations

import marshmallow as ma
import pytest

from services.intake import events as intake_events
from services.monitoring import events as monitoring_events
from services.monitoring.bootstrap import MonitoringService
from services.partners import events as partners_events
from shared.fields import ReaderSchema
from tests.unit.contract.event_checks import EMITS, HANDLERS, contract_breaches, promise_breaches, readers
from tests.unit.contract.event_network import Network, journey, types_by_topic


@pytest.fixture
def network(build, settings_for, auth, clock, publisher, monkeypatch):
    monkeypatch.setenv("INSIGHT_RELEASE_MIN_RETURNEES", "1")  # publish each change of a country's insight
    # two returnees make a country insight with figures
    monitoring = MonitoringService(settings_for("monitoring", suppression_k=2), clock=clock, publisher=publisher)
    net = Network(build, auth, clock, publisher, monitoring)
    journey(net)
    yield net
    monitoring.insights_feed.close()
    monitoring.history_feed.close()



class TestWhatProducersEmitConsumersRead:
    def test_every_event_loads_with_the_reader_of_every_consumer_of_its_topic(self, network):
        assert contract_breaches(network.emitted, readers(), network.subscriptions()) == []

    def test_the_returnees_journey_makes_every_service_emit_every_type_a_consumer_handles(self, network):
        handled = {type_ for handlers in HANDLERS.values() for type_ in handlers}
        assert handled - set(types_by_topic(network.emitted)) == set()
        declined = [e.data for _, e in network.emitted if e.type == partners_events.HANDOVER_DECLINED]
        assert {d.get("automatic", False) for d in declined} == {True, False}  # at once and by the partner
        insights = [e.data for _, e in network.emitted if e.type == monitoring_events.INSIGHTS_UPDATED]
        assert {d["suppressed"] for d in insights} == {True, False}  # with and without figures

    def test_the_handover_tells_monitoring_who_follows_the_client(self, network):
        requested = [e.data for _, e in network.emitted if e.type == intake_events.HANDOVER_REQUESTED]
        assert requested and all(d["consultant"] for d in requested)
        cases = [(network.services["monitoring"].repo.get(d["returnee_id"]), d["consultant"]) for d in requested]
        assert [case["consultant"] for case, _ in cases if case] == [who for case, who in cases if case] != []

    def test_every_type_a_consumer_handles_comes_on_a_topic_it_subscribes_to(self, network):
        topics_of = types_by_topic(network.emitted)
        subscriptions = network.subscriptions()
        unreachable = {(consumer, type_) for consumer, handlers in HANDLERS.items() for type_ in handlers
                       if not topics_of.get(type_, set()) & subscriptions[consumer]}
        assert unreachable == set()

    def test_what_is_published_is_what_the_producers_declare(self, network):
        declared = {type_: producer for producer, schemas in EMITS.items() for type_ in schemas}
        assert {(e.type, e.source) for _, e in network.emitted} <= \
            {(type_, f"/services/{producer}") for type_, producer in declared.items()}



# --- the checks catch drift ----------------------------------------------------------------------------

class RenamedFieldReader(ReaderSchema):
    """intake's handover reader after a rename it did not agree with partners: `handover_ref`."""
    returnee_id = ma.fields.String(required=True)
    handover_ref = ma.fields.String(required=True)


class RetypedFieldReader(ReaderSchema):
    """monitoring's arrival reader expecting a number where partners sends a date."""
    returnee_id = ma.fields.String(required=True)
    arrived_on = ma.fields.Integer(required=True)


class TestTheChecksCatchDrift:
    def test_a_reader_requiring_a_field_the_producer_does_not_send_is_a_breach(self, network):
        broken = {**readers(), "intake": {partners_events.HANDOVER_ACCEPTED: RenamedFieldReader}}
        breaches = contract_breaches(network.emitted, broken, network.subscriptions())
        assert breaches and all("handover.accepted.v1" in b and "handover_ref" in b for b in breaches)
        assert promise_breaches(EMITS, broken) == [
            "intake (RenamedFieldReader) reads handover.accepted.v1.handover_ref as required; "
            "partners does not always send it"]

    def test_a_reader_expecting_another_type_is_a_breach(self, network):
        broken = {**readers(), "monitoring": {partners_events.RETURNEE_ARRIVED: RetypedFieldReader}}
        breaches = contract_breaches(network.emitted, broken, network.subscriptions())
        assert len(breaches) == 2  # both arrivals of the journey
        assert all("returnee.arrived.v1" in b and "monitoring (RetypedFieldReader)" in b and "arrived_on" in b
                   for b in breaches)

    def test_a_consumer_that_does_not_subscribe_to_the_topic_reads_nothing_of_it(self, network):
        broken = {"partners": {partners_events.HANDOVER_ACCEPTED: RenamedFieldReader}}
        assert contract_breaches(network.emitted, broken, network.subscriptions()) == []

    def test_a_producer_that_may_send_null_breaks_a_reader_needing_a_value(self):
        class NeedsRegion(ReaderSchema):
            region = ma.fields.String()

        assert promise_breaches({"partners": partners_events.EMITS}, {"monitoring": {
            partners_events.RETURNEE_ARRIVED: NeedsRegion}}) == [
            "monitoring (NeedsRegion) reads returnee.arrived.v1.region as never null; partners may send null"]

