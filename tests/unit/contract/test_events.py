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

import sys
from datetime import date, datetime, timezone
from unittest import mock

import marshmallow as ma
import pytest

from services.intake import events as intake_events
from services.intake.api import create_app as intake_app
from services.intake.bootstrap import IntakeService
from services.intake.handlers import HANDLERS as INTAKE_HANDLERS, register_returnee
from services.monitoring import events as monitoring_events
from services.monitoring.api import create_app as monitoring_app
from services.monitoring.bootstrap import MonitoringService
from services.monitoring.handlers import HANDLERS as MONITORING_HANDLERS
from services.partners import events as partners_events
from services.partners.api import create_app as partners_app
from services.partners.bootstrap import PartnersService
from services.partners.handlers import HANDLERS as PARTNERS_HANDLERS
from services.web.notifications import TOPICS as WEB_TOPICS
from services.web.notifications.handlers import HANDLERS as WEB_HANDLERS
from shared.events import Envelope, UndeclaredEvent
from shared.fields import ReaderSchema

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


# --- the services in process ---------------------------------------------------------------------------

class Network:
    """The three services on in-memory stores, wired by their topics as their consumer loops would be."""

    def __init__(self, build, auth, clock, publisher, monitoring: MonitoringService):
        self.auth, self.clock, self.publisher = auth, clock, publisher
        self.services = {"intake": build(IntakeService, "intake"), "partners": build(PartnersService, "partners"),
                         "monitoring": monitoring}
        self.clients = {"intake": intake_app(service=self.services["intake"]).test_client(),
                        "partners": partners_app(service=self.services["partners"]).test_client(),
                        "monitoring": monitoring_app(service=self.services["monitoring"]).test_client()}
        self.emitted: list[tuple[str, Envelope]] = []
        self._published = 0
        self._keys = 0

    def subscriptions(self) -> dict:
        return {**{name: set(service.background.consumer.topics) for name, service in self.services.items()},
                "web": set(WEB_TOPICS)}  # the staff notifications: not in this network, their readers checked all the same

    def flow(self) -> None:
        """Publish what the outboxes hold and deliver it to the subscribers, until nothing new comes."""
        while True:
            self.services["monitoring"].insights_feed.run_once()
            for service in self.services.values():
                service.relay.run_once(sweep=True)
            fresh, self._published = self.publisher.sent[self._published:], len(self.publisher.sent)
            if not fresh:
                return
            for topic, _key, value, _headers in fresh:
                event = Envelope.from_bytes(value)
                self.emitted.append((topic, event))
                for service in self.services.values():
                    if topic in service.background.consumer.topics:
                        service.background.consumer.dispatch(event)

    def call(self, service: str, method: str, path: str, status: int, role: str = "consultant",
             org: str | None = None, **kwargs) -> dict:
        headers = {**self.auth(role, org=org), **kwargs.pop("headers", {})}
        response = getattr(self.clients[service], method)(path, headers=headers, **kwargs)
        assert response.status_code == status, (method, path, response.get_json(silent=True))
        self.flow()
        return response.get_json(silent=True)

    def partner(self, name: str, countries: list[str]) -> str:
        body = {"name": name, "countries": countries, "languages": ["am", "en"]}
        return self.call("partners", "post", "/v1/partners", 201, role="admin", json=body)["id"]

    def register(self, **fields) -> str:
        body = {"client_ref": "F-1", "given_name": "Yonas", "family_name": "Tesfaye", "date_of_birth": "1988-02-03",
                "country_of_return": "ET", "region": "Tigray", "vulnerabilities": ["medical"],
                "consent": {"share_with_partner": True, "given_on": "2026-01-05"}, **fields}
        return self.call("intake", "post", "/v1/returnees", 201, json=body)["id"]

    def offer(self, returnee_id: str, partner_id: str) -> str:
        return self.call("intake", "post", f"/v1/returnees/{returnee_id}/handover", 202,
                         json={"partner_id": partner_id})["handover"]["id"]

    def answer(self, org: str, handover_id: str, action: str, **body) -> dict:
        return self.call("partners", "post", f"/v1/handovers/{handover_id}/{action}", 200, role="partner", org=org,
                         json=body)

    def checkin(self, returnee_id: str, slot, on: str, **fields) -> dict:
        self._keys += 1
        body = {"returnee_id": returnee_id, "slot": slot, "contact_date": on, "contact_made": True,
                "contact_mode": "in_person", "scores": {"economic": 3, "housing": 3, "social": 3, "health": 3,
                                                        "resilience": 3}, **fields}
        return self.call("monitoring", "post", "/v1/checkins", 201, json=body,
                         headers={"Idempotency-Key": f"contract-{self._keys}"})

    def day(self, on: date) -> None:
        """Let time pass to 10:00 on `on` and run the scheduled jobs of that day."""
        self.clock.set(datetime(on.year, on.month, on.day, 10, 0, tzinfo=timezone.utc))
        self.services["monitoring"].tick()
        self.services["partners"].expire_offers()
        self.flow()


def journey(net: Network) -> None:
    """Returnees along every path that makes a service emit: declined at once and by the partner, expired,
    accepted, departed, arrived and monitored to an end, withdrawn by an exit, consent withdrawn, erased."""
    ours, other = net.partner("Ours", ["ET"]), net.partner("Other", ["ET"])
    elsewhere = net.partner("Elsewhere", ["NG"])
    # a credential revoked and a partner deactivated: their tokens end in every service
    credential = net.call("partners", "post", f"/v1/partners/{elsewhere}/credentials", 201, role="admin")
    net.call("partners", "delete", f"/v1/partners/{elsewhere}/credentials/{credential['client_id']}", 204,
             role="admin")
    gone = net.partner("Gone", ["NG"])
    net.call("partners", "patch", f"/v1/partners/{gone}", 200, role="admin", json={"active": False})

    # A: offered where the partner does not work (declined at once), then to ours; accepted, corrected,
    # departed, arrived, monitored until re-migrated
    a = net.register(office="groningen")
    net.offer(a, elsewhere)
    a_handover = net.offer(a, ours)
    net.call("intake", "patch", f"/v1/returnees/{a}", 200,
             json={"region": "Amhara", "languages": ["am"], "given_name": "Hana", "office": "leeuwarden",
                   "planned_departure_date": "2026-03-10", "vulnerabilities": ["medical", "single_parent"]})
    net.answer(ours, a_handover, "accept")
    net.call("intake", "post", f"/v1/returnees/{a}/assessments", 201, json={  # the judgement before return
        "assessed_on": "2026-03-02", "moment": "at_end", "scores": {"economic": 2}, "documents": "complete",
        "safety": "safe", "judgement": "haalbaar"})
    # a note shared with the partner that accepted, then unshared (issue 20)
    note = net.call("intake", "post", f"/v1/returnees/{a}/notes", 201, json={
        "text": "Talked about the flight.", "kind": "conversation", "mode": "phone", "contact_on": "2026-03-02"})
    net.call("intake", "post", f"/v1/returnees/{a}/notes/{note['id']}/share", 200)
    net.call("intake", "delete", f"/v1/returnees/{a}/notes/{note['id']}/share", 204)
    net.call("intake", "post", f"/v1/returnees/{a}/departure", 200, json={"departed_on": "2026-03-01"})
    net.answer(ours, a_handover, "arrival", arrived_on="2026-03-02")

    # C: arrived too (a country insight with figures needs two), misses its first check-in
    c = net.register(region=None)
    c_handover = net.offer(c, ours)
    net.answer(ours, c_handover, "accept")
    net.answer(ours, c_handover, "arrival", arrived_on="2026-03-02")

    # B: declined by the partner, offered to the other, which lets it lapse; consent withdrawn, exit, erased
    b = net.register(trajectory="return_guidance")
    net.answer(ours, net.offer(b, ours), "decline", reason="no_capacity", detail="Full until June.")
    net.offer(b, other)

    # E: an exit while an offer is open withdraws it
    e = net.register()
    net.offer(e, other)
    net.call("intake", "post", f"/v1/returnees/{e}/exit", 200, json={"reason": "irregular", "exited_on": "2026-03-02"})

    net.day(date(2026, 3, 30))  # reminders of the first check-ins; B's offer unanswered for 5 days
    net.day(date(2026, 4, 2))
    recorded = net.checkin(a, 1, "2026-04-02", safety_concern=True,
                           scores={"economic": 1, "housing": 2, "social": 3, "health": 3, "resilience": 3})
    net.checkin(c, "ad_hoc", "2026-04-02", contact_mode="phone")
    alerts = net.call("monitoring", "get", f"/v1/alerts?returnee_id={a}", 200)["items"]
    concern = next(alert for alert in alerts if alert["type"] == "safety_concern")
    net.call("monitoring", "post", f"/v1/alerts/{concern['id']}/resolve", 200, json={"note": "Talked it through."})
    assert recorded["slot"] == 1

    net.day(date(2026, 4, 17))  # C's first check-in overdue; B's offer expired (14 days)
    net.call("intake", "put", f"/v1/returnees/{b}/consent", 200,
             json={"share_with_partner": False, "given_on": "2026-01-05"})
    net.call("intake", "post", f"/v1/returnees/{b}/exit", 200,
             json={"reason": "other_return_organisation", "organisation": "ros", "exited_on": "2026-04-17"})
    net.call("intake", "delete", f"/v1/returnees/{b}", 204)

    net.day(date(2026, 5, 18))  # C's first check-in missed: the next one is due (the plan moved)
    net.checkin(c, 1, "2026-05-18", contact_mode="phone")  # late after all: the overdue alert resolves itself
    net.checkin(a, "ad_hoc", "2026-05-18", status="re_migrated", contact_mode="phone")


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


def types_by_topic(emitted) -> dict:
    found: dict[str, set] = {}
    for topic, event in emitted:
        found.setdefault(event.type, set()).add(topic)
    return found


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
