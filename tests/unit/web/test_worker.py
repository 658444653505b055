"""The web worker as operators run it: its settings, and its metrics server, which the health check asks."""
from __future__ import annotations

from shared.embedded_broker import free_port
import urllib.request

import pytest

from services.web import worker
from services.web.config import WebSettings
from services.web.notifications import Notifications
from shared import background
from shared.config import ConfigError

PRODUCTION = {"HOMEWARD_ENV": "production", "MONGODB_URI": "mongodb://mongo:27017/?replicaSet=rs0",
              "KAFKA_BOOTSTRAP_SERVERS": "kafka:9092", "SMTP_HOST": "smtp.example.org"}


def test_the_worker_needs_no_cookie_secret_nor_signing_key_but_the_app_does():
    settings = WebSettings.from_env(dict(PRODUCTION), worker=True)
    assert settings.production and settings.kafka.kafka_group_id == "homeward-web"
    assert settings.mail.host == "smtp.example.org"
    with pytest.raises(ConfigError, match="WEB_SECRET_KEY"):
        WebSettings.from_env(dict(PRODUCTION))


def test_the_worker_still_refuses_the_in_memory_store_in_production():
    with pytest.raises(ConfigError, match="MONGODB_URI"):
        WebSettings.from_env({**PRODUCTION, "MONGODB_URI": ""}, worker=True)


def test_the_worker_serves_its_metrics_on_worker_metrics_port(web, monkeypatch):
    port = free_port()
    started, scraped = [], {}
    monkeypatch.setattr(worker.store, "connect", lambda settings: None)  # the test's store stays connected
    monkeypatch.setattr(Notifications, "start", lambda self: started.append(self) or self.loops)

    def run_until_signalled(loops, start):  # instead of blocking: start, ask the port as the health check does
        start()
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as response:
            scraped["status"], scraped["text"] = response.status, response.read().decode()

    monkeypatch.setattr(background, "run_until_signalled", run_until_signalled)
    worker.main({"WORKER_METRICS_PORT": str(port), "MONGODB_DB": "homeward_web_test"})
    assert started, "the loops were not started"
    assert scraped["status"] == 200
    for name in ("homeward_consumer_lag", "homeward_mail_pending", "homeward_mail_failed",
                 "homeward_events_processed_total", "homeward_mails_sent_total"):
        assert name in scraped["text"], name


def test_without_worker_metrics_port_no_server_starts(web, monkeypatch):
    served = []
    monkeypatch.setattr(worker.store, "connect", lambda settings: None)
    monkeypatch.setattr(Notifications, "start", lambda self: self.loops)
    monkeypatch.setattr("shared.metrics.serve_worker_metrics", lambda *args: served.append(args))
    monkeypatch.setattr(background, "run_until_signalled", lambda loops, start: start())
    worker.main({"MONGODB_DB": "homeward_web_test"})
    assert served == []


def test_the_worker_removes_kept_uploads_older_than_upload_minutes(web):
    from datetime import timedelta

    from services.web import repository
    from services.web.documents import KeptUpload
    from services.web.repository import UPLOAD_MINUTES
    notifications = Notifications(web.settings, web.clock)
    repository.keep_upload(id="old", owner="anna", filename="a.csv", content=b"client_ref\n", created_at=web.clock.now())
    web.clock.advance(minutes=UPLOAD_MINUTES - 1)
    repository.keep_upload(id="new", owner="anna", filename="b.csv", content=b"client_ref\n", created_at=web.clock.now())
    assert notifications.remove_kept_uploads() == 0
    web.clock.advance(minutes=2)
    assert notifications.remove_kept_uploads() == 1
    assert [upload.id for upload in KeptUpload.objects] == ["new"]
    assert repository.delete_uploads_before(web.clock.now() + timedelta(minutes=1)) == 1
