"""What the partners service stored, read straight from its documents (for assertions only)."""
from __future__ import annotations

from services.partners.documents import Handover, Partner, WebhookMessage

__all__ = ["Handover", "Partner", "WebhookMessage", "stored_handover", "offered"]


def offered(build, auth, clock, returnee_id: str, handover_id: str, **data):
    """A partners service with an organisation (NG) offered one handover (`data`: more of the event's fields):
    (service, test client, the organisation's id)."""
    from services.partners.api import create_app
    from services.partners.bootstrap import PartnersService
    from services.partners.handlers import offer_handover
    from shared.events import new_event

    service = build(PartnersService, "partners")
    client = create_app(service=service).test_client()
    org = client.post("/v1/partners", json={"name": "Own", "countries": ["NG"]}, headers=auth("admin")).json["id"]
    offer_handover(service.deps, new_event("intake", "returnee.handover_requested.v1", returnee_id, {
        "returnee_id": returnee_id, "handover_id": handover_id, "partner_id": org, "country_of_return": "NG",
        **data}, clock.now()))
    return service, client, org


def stored_handover(handover_id: str) -> dict | None:
    """The handover document as stored, outboxes included; mongoengine stores no None (use `.get`)."""
    return Handover.objects(id=handover_id).as_pymongo().first()
