"""Done when (issue 21): an offer puts a mail for the partner's field worker in the mail directory, through a
real broker (Tansu), the partners worker's loops and real SMTP to a local server; without the returnee's name."""
from __future__ import annotations

from email import message_from_bytes, policy

from services.partners.api import create_app
from services.partners.bootstrap import PartnersService
from shared import topics
from shared.clock import SystemClock
from shared.events import new_event
from shared.kafka import Publisher
from shared.mail.smtp import MailSettings, SmtpTransport
from shared.outbox import HEADERS
from tests.helpers import eventually

CANARY = "Qwertyuiop Canaryname"


def test_an_offer_reaches_the_field_workers_mailbox(broker, unique, settings_for, smtp_server, auth):
    controller, directory = smtp_server
    settings = settings_for("partners", kafka_bootstrap_servers=broker.bootstrap_servers,
                            kafka_group_id=f"partners-{unique}", kafka_topic_prefix=f"{unique}.",
                            scheduler_interval_seconds=0.2)
    transport = SmtpTransport(MailSettings(host="127.0.0.1", port=controller.port))
    service = PartnersService(settings, clock=SystemClock(), mail_transport=transport)
    client = create_app(service=service).test_client()
    admin = auth("admin")
    org = client.post("/v1/partners", json={"name": "Partner GN", "countries": ["GN"]}, headers=admin).json["id"]
    created = client.post(f"/v1/partners/{org}/users", headers=admin, json={
        "username": "fw.gn", "display_name": "Field worker", "role": "field_worker", "email": "fw.gn@example.org",
        "language": "fr"})
    assert created.status_code == 201, created.json
    loops = service.background.start()
    publisher = Publisher(broker.bootstrap_servers, "itest-intake")
    try:
        event = new_event("intake", "returnee.handover_requested.v1", "rtn_01M8C64B0WCN70XCSRKNMQBNB7", {
            "returnee_id": "rtn_01M8C64B0WCN70XCSRKNMQBNB7", "handover_id": "hnd_01M8C64B0WCN70XCSRKNMQBNB7",
            "partner_id": org, "country_of_return": "GN", "personal": {"given_name": CANARY}},
            service.clock.now())
        publisher.publish(settings.topic(topics.RETURNEES), event.subject, event.to_bytes(), HEADERS)
        files = eventually(lambda: list(directory.glob("*.eml")), timeout=60, message="a mail for the field worker")
        mail = message_from_bytes(files[0].read_bytes(), policy=policy.default)
        assert mail["To"] == "fw.gn@example.org" and mail["Subject"] == "Nouvelle offre de transfert"
        text = mail.get_body(("plain",)).get_content()
        assert "Guinée" in text and "/offers/hnd_01M8C64B0WCN70XCSRKNMQBNB7" in text
        assert CANARY not in files[0].read_text()
        log = client.get("/v1/mail-deliveries", headers=admin).json["items"]
        assert [(row["to"], row["kind"], row["state"]) for row in log] == [("fw.gn@example.org", "offer_new", "sent")]
    finally:
        loops.shutdown()
        publisher.close()
