"""Every /v1 route of every service requires a token, except the OAuth token endpoint itself."""
from __future__ import annotations

import pytest

from services.intake.api import create_app as intake_app
from services.intake.bootstrap import IntakeService
from services.monitoring.api import create_app as monitoring_app
from services.monitoring.bootstrap import MonitoringService
from services.partners.api import create_app as partners_app
from services.partners.bootstrap import PartnersService

PUBLIC = {"/v1/oauth/token", "/v1/partner-users/invitations/redeem"}  # the code is the proof


@pytest.mark.parametrize("factory,service_class,name", [
    (intake_app, IntakeService, "intake"), (partners_app, PartnersService, "partners"),
    (monitoring_app, MonitoringService, "monitoring")])
def test_every_v1_route_is_protected(build, factory, service_class, name):
    app = factory(service=build(service_class, name))
    v1 = [rule for rule in app.url_map.iter_rules() if rule.rule.startswith("/v1/")]
    assert v1, "the service has routes"
    unprotected = [rule.rule for rule in v1 if rule.rule not in PUBLIC and
                   not _roles(app.view_functions[rule.endpoint])]
    assert unprotected == []


def _roles(view):
    seen = set()
    while view is not None and id(view) not in seen:
        seen.add(id(view))
        if getattr(view, "_homeward_roles", None):
            return view._homeward_roles
        view = getattr(view, "__wrapped__", None) or getattr(view, "view_class", None)
        if isinstance(view, type):
            return all(_roles(getattr(view, m)) for m in ("get", "post", "patch", "put", "delete") if hasattr(view, m))
    return None


def test_the_factory_builds_an_app_with_health_endpoints(build):
    client = intake_app(service=build(IntakeService, "intake")).test_client()
    assert client.get("/healthz").json["status"] == "ok"
    ready = client.get("/readyz").json
    assert ready["mongodb"] == "ok" and ready["outbox_backlog"] == 0
    assert client.get("/openapi.json").json["info"]["title"] == "Homeward intake"
    assert b"http_requests_total" in client.get("/metrics").data


def test_metrics_show_the_outbox_backlog_and_loop_counters(build, auth):
    client = intake_app(service=build(IntakeService, "intake")).test_client()
    client.post("/v1/returnees", json={"given_name": "A", "family_name": "B", "country_of_return": "NG"},
                headers=auth("consultant"))
    text = client.get("/metrics").get_data(as_text=True)
    assert "homeward_outbox_backlog 1.0" in text  # the registration event waits for the relay
    assert "homeward_events_processed_total 0.0" in text and "homeward_events_dead_lettered_total" in text
