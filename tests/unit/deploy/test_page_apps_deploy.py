"""The staff web app and the partner portal as deployed."""
from __future__ import annotations

from shared.config import Settings
from tests.unit.deploy.manifests import (DEPLOY, PORTAL, SERVICES, WEB, WEB_JWKS, WEB_KEY, WEB_WORKER, compose, defined, process_environments)


# --- the staff web app ----------------------------------------------------------------------------

def test_web_reaches_the_three_apis_by_their_service_names():
    compose_services = compose()["services"]
    k8s_services = defined("Service")
    for where, service, environ in process_environments():
        if service != WEB or where.endswith(WEB_WORKER):  # the worker calls no API
            continue
        for api in SERVICES:
            name = f"{api.upper()}_URL"
            if where.startswith("compose:"):
                assert environ[name] == f"http://{api}:{compose_services[api]['environment']['PORT']}", where
            else:
                (port,) = [p["port"] for p in k8s_services[api]["spec"]["ports"]]
                assert environ[name] == f"http://{api}:{port}", where
    assert {where for where, service, _ in process_environments() if service == WEB} == {
        f"compose:{WEB}", f"k8s:{WEB}-api", f"compose:{WEB_WORKER}", f"k8s:{WEB_WORKER}"}


def test_every_api_trusts_the_staff_tokens_the_web_app_signs():
    """JWT_JWKS_URLS of each API names web's key set (the compose service / Service "web", port 8000)."""
    from services.web.config import WebSettings

    web_issuer = {}
    for where, service, environ in process_environments():
        if service == WEB and not where.endswith(WEB_WORKER):
            web_issuer[where.split(":")[0]] = environ.get("JWT_ISSUER", WebSettings().jwt_issuer)
    apis = [(w, s, e) for w, s, e in process_environments() if s in SERVICES and not w.endswith("worker")]
    assert len(apis) == 2 * len(SERVICES)
    for where, service, environ in apis:
        settings = Settings.from_env(service, environ=environ)
        assert WEB_JWKS in settings.jwt_jwks_urls, where
        assert web_issuer[where.split(":")[0]] in settings.jwt_trusted_issuers, where
    assert compose()["services"][WEB]["environment"]["PORT"] == "8000"
    assert [p["port"] for p in defined("Service")[WEB]["spec"]["ports"]] == [8000]


def test_compose_web_app_has_its_health_check_metrics_directory_and_store():
    web = compose()["services"][WEB]
    assert web["healthcheck"]["test"][-2:] == ["-m", "deploy.healthcheck"]
    assert web["environment"]["PROMETHEUS_MULTIPROC_DIR"].startswith("/tmp/")
    assert web["environment"]["MONGODB_DB"] == "homeward_web"
    assert web["depends_on"]["mongo"]["condition"] == "service_healthy"


def test_runbook_explains_the_staff_web_app():
    runbook = (DEPLOY / "RUNBOOK.md").read_text()
    assert "## The staff web app" in runbook
    section = runbook.split("## The staff web app", 1)[1].split("\n## ", 1)[0]
    for needle in ("/login", "services.web.manage", "WEB_SECRET_KEY", "OIDC_ISSUER", "OIDC_ROLE_CLAIM", WEB_KEY,
                   WEB_JWKS, "/login/callback", "WEB_SESSION_IDLE_MINUTES"):
        assert needle in section, needle


# --- the partner portal ------------------------------------------------------------------------------

def test_the_portal_reaches_partners_and_monitoring_by_their_service_names_and_nothing_else():
    """A client of the partners and monitoring APIs only (never intake, never a database but its own), with no key."""
    compose_services, k8s_services = compose()["services"], defined("Service")
    portals = [(where, environ) for where, service, environ in process_environments() if service == PORTAL]
    assert {where for where, _ in portals} == {f"compose:{PORTAL}", f"k8s:{PORTAL}-api"}
    for where, environ in portals:
        for api in ("partners", "monitoring"):
            if where.startswith("compose:"):
                port = compose_services[api]["environment"]["PORT"]
            else:
                (port,) = [p["port"] for p in k8s_services[api]["spec"]["ports"]]
            assert environ[f"{api.upper()}_URL"] == f"http://{api}:{port}", where
        assert "INTAKE_URL" not in environ and "JWT_SIGNING_KEY_FILE" not in environ, where
        assert environ["PORTAL_URL"].startswith(("https://", "http://127.0.0.1")), where
    assert compose_services[PORTAL]["ports"] == ["127.0.0.1:8004:8000"]
    assert [p["port"] for p in k8s_services[PORTAL]["spec"]["ports"]] == [8000]


def test_compose_portal_has_its_health_check_metrics_directory_and_store():
    portal = compose()["services"][PORTAL]
    assert portal["healthcheck"]["test"][-2:] == ["-m", "deploy.healthcheck"]
    assert portal["environment"]["PROMETHEUS_MULTIPROC_DIR"].startswith("/tmp/")
    assert portal["environment"]["MONGODB_DB"] == "homeward_portal"
    assert portal["depends_on"]["mongo"]["condition"] == "service_healthy"


def test_runbook_explains_the_partner_portal():
    runbook = (DEPLOY / "RUNBOOK.md").read_text()
    section = runbook.split("## The partner portal", 1)[1].split("\n## ", 1)[0]
    for needle in ("homeward_portal", "PORTAL_SECRET_KEY", "PORTAL_URL", "/welcome", "/sync", "PARTNERS_URL",
                   "MONITORING_URL", "https"):
        assert needle in section, needle
