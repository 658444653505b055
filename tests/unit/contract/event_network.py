"""The three services in process, wired by their topics, and a journey of returnees that makes every service emit
every event type a consumer handles (tests/unit/contract/test_events.py)."""
from __future__ import annotations

from datetime import date, datetime, timezone

from services.intake.api import create_app as intake_app
from services.intake.bootstrap import IntakeService
from services.monitoring.api import create_app as monitoring_app
from services.monitoring.bootstrap import MonitoringService
from services.partners.api import create_app as partners_app
from services.partners.bootstrap import PartnersService
from services.web.notifications import TOPICS as WEB_TOPICS
from shared.events import Envelope


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



def types_by_topic(emitted) -> dict:
    found: dict[str, set] = {}
    for topic, event in emitted:
        found.setdefault(event.type, set()).add(topic)
    return found
