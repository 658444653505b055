"""Done when (issue 21): a safety-concern alert puts a mail for the following consultant in the mail directory,
through a real broker (Tansu), the web service's notifications consumer and real SMTP; without the name."""
from __future__ import annotations

from datetime import datetime, timezone
from email import message_from_bytes, policy

import mongoengine

from services.intake.events import RETURNEE_REGISTERED, build_event as intake_event
from services.monitoring.events import ALERT_RAISED, build_event as monitoring_event
from services.web import accounts, notifications_repository, store
from services.web.config import WebSettings
from services.web.notifications import Notifications
from shared import topics
from shared.clock import SystemClock
from shared.config import Settings
from shared.kafka import Publisher, ensure_topics
from shared.mail.smtp import MailSettings
from shared.outbox import HEADERS
from tests.helpers import eventually

RTN = "rtn_01M8C64B0WCN70XCSRKNMQBNB7"
CANARY = "Qwertyuiop Canaryname"


def test_a_safety_concern_reaches_the_following_consultants_mailbox(broker, unique, smtp_server):
    controller, directory = smtp_server
    kafka = Settings(service="web", kafka_bootstrap_servers=broker.bootstrap_servers,
                     kafka_group_id=f"web-{unique}", kafka_topic_prefix=f"{unique}.")
    settings = WebSettings(mongodb_db="homeward_web_test", kafka=kafka, public_url="https://web.example",
                           mail=MailSettings(host="127.0.0.1", port=controller.port, interval_seconds=0.2))
    store.connect(settings)
    accounts.create_account("anna", "consultant", None, datetime.now(timezone.utc), email="anna@example.org")
    notifications = Notifications(settings, SystemClock())
    publisher = Publisher(broker.bootstrap_servers, "itest-services")
    ensure_topics(broker.bootstrap_servers, [kafka.topic(t) for t in (topics.RETURNEES, topics.MONITORING)])
    loops = notifications.start()
    try:
        now = datetime.now(timezone.utc)
        registered = intake_event(RETURNEE_REGISTERED, RTN, {
            "returnee_id": RTN, "country_of_return": "NG", "registered_on": "2026-03-01", "trajectory": "return",
            "office": None, "office_region": None, "consultant": "web:anna"}, now)
        raised = monitoring_event(ALERT_RAISED, RTN, {
            "returnee_id": RTN, "country": "NG", "partner_id": "prt_1", "alert_id": "alr_1", "type": "safety_concern",
            "detail": f"The partner reported a safety concern about {CANARY}.", "checkin_id": "chk_1", "slot": 3,
            "summary": {"next_due_on": None, "latest_index": 2.5, "open_alerts": 1, "state": "active",
                        "latest_scores": None, "latest_scored_on": None}}, now)
        publisher.publish(kafka.topic(topics.RETURNEES), RTN, registered.to_bytes(), HEADERS)
        # two topics keep no order between them: the alert goes once web knows who follows (days later in life)
        eventually(lambda: notifications_repository.following(RTN), timeout=60, message="who follows the returnee")
        publisher.publish(kafka.topic(topics.MONITORING), RTN, raised.to_bytes(), HEADERS)
        files = eventually(lambda: list(directory.glob("*.eml")), timeout=60, message="a mail for the consultant")
        mail = message_from_bytes(files[0].read_bytes(), policy=policy.default)
        assert mail["To"] == "anna@example.org" and mail["Subject"] == "Veiligheidszorg gemeld"
        assert f"https://web.example/returnees/{RTN}" in mail.get_body(("plain",)).get_content()
        assert "Nigeria" in mail.get_body(("html",)).get_content()
        assert CANARY not in files[0].read_text()
        logged = notifications.mails.log_page(10, None)["items"]
        assert [(m["to"], m["kind"], m["state"]) for m in logged] == [("anna@example.org", "safety_concern", "sent")]
    finally:
        loops.shutdown()
        notifications.close()
        publisher.close()
        mongoengine.get_db("web").client.drop_database("homeward_web_test")
