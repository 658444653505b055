"""Every app's `/metrics` (the three APIs, the staff web app, the portal) answers one way (issue 22, item 13):
the Content-Type prometheus_client names, with one charset (Prometheus 3 refuses a second), and with
METRICS_TOKEN set only to `Authorization: Bearer <METRICS_TOKEN>`; production without a token serves none."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest
from flask import Flask
from prometheus_client import CONTENT_TYPE_LATEST

from services.intake.api import create_app as intake_app
from services.intake.bootstrap import IntakeService
from services.monitoring.api import create_app as monitoring_app
from services.monitoring.bootstrap import MonitoringService
from services.partners.api import create_app as partners_app
from services.partners.bootstrap import PartnersService
from shared.clock import ManualClock

TOKEN = "a-metrics-token-of-enough-length-0123456789"
APPS = ("intake", "partners", "monitoring", "web", "portal")


@pytest.fixture
def app_of(build, settings_for, tmp_path_factory):
    """app_of(name, token) -> the app's Flask app, with METRICS_TOKEN `token` ("" for none)."""
    import mongoengine

    dropped = []

    def make(name: str, token: str = ""):
        if name in ("intake", "partners", "monitoring"):
            service_class, factory = {"intake": (IntakeService, intake_app), "partners": (PartnersService, partners_app),
                                      "monitoring": (MonitoringService, monitoring_app)}[name]
            service = build(service_class, name)
            service.settings = service.settings.with_(metrics_token=token)
            return factory(service=service)
        clock = ManualClock(datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc))
        if name == "web":
            from services.web.app import build as build_web, create_app
            from services.web.config import WebSettings

            settings = WebSettings(jwt_signing_key_file=str(tmp_path_factory.mktemp("webkey") / "key.pem"),
                                   mongodb_db="homeward_web_test", metrics_token=token)
            app = create_app(web=build_web(settings, clock=clock))
            dropped.append(("web", "homeward_web_test"))
            return app
        from services.portal.app import build as build_portal, create_app
        from services.portal.config import PortalSettings

        settings = PortalSettings(mongodb_db="homeward_portal_test", metrics_token=token)
        app = create_app(portal=build_portal(settings, clock=clock, sleep=lambda s: None))
        dropped.append(("portal", "homeward_portal_test"))
        return app

    yield make
    for alias, db in dropped:
        mongoengine.get_db(alias).client.drop_database(db)


@pytest.mark.parametrize("name", APPS)
def test_every_apps_metrics_have_one_content_type_with_one_charset(app_of, name):
    answer = app_of(name).test_client().get("/metrics")
    assert answer.status_code == 200
    assert answer.headers.getlist("Content-Type") == [CONTENT_TYPE_LATEST]
    assert answer.headers["Content-Type"].count("charset") == 1
    assert b"# TYPE" in answer.data


@pytest.mark.parametrize("name", APPS)
def test_with_a_metrics_token_only_its_bearer_reads_the_metrics(app_of, name):
    client = app_of(name, TOKEN).test_client()
    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", headers={"Authorization": "Bearer not-the-token"}).status_code == 401
    refused = client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}x"})
    assert refused.status_code == 401 and refused.headers["WWW-Authenticate"].startswith("Bearer")
    read = client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert read.status_code == 200 and read.headers["Content-Type"] == CONTENT_TYPE_LATEST


@pytest.mark.parametrize("token, production, sent, refusal", [
    ("", False, "", None),  # development without a token: open (make run, a local Prometheus)
    ("", True, "", 404),  # production without a token: not served at all
    ("", True, "Bearer anything", 404),
    (TOKEN, True, f"Bearer {TOKEN}", None),
    (TOKEN, False, "", 401),
    (TOKEN, False, f"bearer {TOKEN}", 401),  # the exact header, compared in constant time
])
def test_who_may_read_the_metrics(token, production, sent, refusal):
    from shared.metrics import metrics_refusal

    with Flask(__name__).test_request_context("/metrics", headers={"Authorization": sent} if sent else {}):
        assert metrics_refusal(token, production) == refusal
