"""Environment names are ones the code reads, and each deployed process passes the production check."""
from __future__ import annotations

import pytest

from shared.config import ConfigError
from shared.config import Settings
from tests.unit.deploy.manifests import (DEPLOY, DEPLOY_ENV, DEPLOY_ENV_PREFIXES, PORTAL, ROOT, WEB, WEB_WORKER, compose_app_services, defined, k8s_containers, process_environments, rotation_overlay)


# --- environment variables are ones the code reads ------------------------------------------------------

def env_names() -> dict[str, set[str]]:
    names: dict[str, set[str]] = {}
    for name, svc in compose_app_services().items():
        for key in svc.get("environment") or {}:
            names.setdefault(key, set()).add(f"compose:{name}")
    for name, svc in rotation_overlay()["services"].items():
        for key in svc.get("environment") or {}:
            names.setdefault(key, set()).add(f"compose-key-rotation:{name}")
    for key in defined("ConfigMap")["homeward-config"]["data"]:
        names.setdefault(key, set()).add("k8s:homeward-config")
    for workload, container, _ in k8s_containers():
        for entry in container.get("env", []):
            names.setdefault(entry["name"], set()).add(f"k8s:{workload}")
    return names


def test_every_environment_name_is_read_by_the_code():
    # shared/config.py reads the settings every service shares; shared/background.py the worker's
    # WORKER_METRICS_PORT; shared/mail/smtp.py the mail senders' SMTP_* and MAIL_*; each service's config.py
    # its own settings.
    sources = [ROOT / "shared" / "config.py", ROOT / "shared" / "background.py", ROOT / "shared" / "mail" / "smtp.py",
               *sorted(ROOT.glob("services/*/config.py"))]
    code = "\n".join(path.read_text() for path in sources)
    unknown = {}
    for name, where in env_names().items():
        if name in DEPLOY_ENV or name.startswith(DEPLOY_ENV_PREFIXES):
            continue
        if f'"{name}"' not in code:
            unknown[name] = sorted(where)
    assert not unknown, ("not read by shared/config.py, shared/background.py, a services/*/bootstrap.py nor "
                         f"services/web/config.py nor services/portal/config.py: {unknown}")
    assert "WORKER_METRICS_PORT" in env_names()


def test_topic_environment_names_are_read_by_create_topics():
    text = (DEPLOY / "create_topics.py").read_text()
    for name in env_names():
        if name.startswith("TOPIC_"):
            assert f'"{name}"' in text, name


# --- production settings ----------------------------------------------------------------------------

PRODUCTION = {
    "HOMEWARD_ENV": "production",
    "MONGODB_URI": "mongodb://mongo-0:27017,mongo-1:27017,mongo-2:27017/?replicaSet=rs0",
    "KAFKA_BOOTSTRAP_SERVERS": "kafka-0:9092,kafka-1:9092,kafka-2:9092",
    "JWT_SIGNING_KEY_FILE": "/run/secrets/jwt-signing-key.pem",
    "JWT_JWKS_URLS": "http://partners:8000/.well-known/jwks.json",
}


def test_production_refuses_the_development_signing_key():
    with pytest.raises(ConfigError, match="development key"):
        Settings.from_env("partners", environ={**PRODUCTION, "JWT_SIGNING_KEY_FILE": "var/dev-signing-key.pem"})


@pytest.mark.parametrize("change", [{"MONGODB_URI": ""}, {"KAFKA_SESSION_TIMEOUT_MS": "2000"},
                                    {"EMBEDDED_WORKERS": "1"}])
def test_production_refuses_development_settings(change):
    with pytest.raises(ConfigError):
        Settings.from_env("partners", environ={**PRODUCTION, **change})


def test_a_correct_production_environment_passes():
    settings = Settings.from_env("partners", environ=dict(PRODUCTION))
    assert settings.production and settings.write_concern_majority
    assert settings.kafka_session_timeout_ms >= 6000


@pytest.mark.parametrize("where,service,environ", process_environments(), ids=[p[0] for p in process_environments()])
def test_each_deployed_process_passes_the_production_check(where, service, environ, tmp_path):
    if service == PORTAL:
        from services.portal.config import PortalSettings

        if "PORTAL_SECRET_KEY_FILE" in environ:  # a mounted secret: a real one stands in for it here
            (tmp_path / "portal-secret-key").write_text("s" * 48)
            environ = {**environ, "PORTAL_SECRET_KEY_FILE": str(tmp_path / "portal-secret-key")}
        settings = PortalSettings.from_env(environ)
        assert settings.production and settings.mongodb_uri and settings.secure_cookies, where
        assert settings.mongodb_db == "homeward_portal", where
        return
    if "SMTP_PASSWORD_FILE" in environ:  # a mounted secret (may be empty: no AUTH)
        (tmp_path / "smtp-password").write_text("")
        environ = {**environ, "SMTP_PASSWORD_FILE": str(tmp_path / "smtp-password")}
    if service == WEB and where.endswith(WEB_WORKER):
        from services.web.config import WebSettings

        # The notifications worker: the store, the broker, SMTP; none of the web app's secrets.
        assert not {"WEB_SECRET_KEY", "WEB_SECRET_KEY_FILE", "WEB_JWT_SIGNING_KEY_FILE"} & set(environ), where
        settings = WebSettings.from_env(environ, worker=True)
        assert settings.production and settings.mongodb_uri and settings.mongodb_db == "homeward_web", where
        assert settings.kafka.kafka_group_id == "homeward-web" and not settings.kafka.embedded_workers, where
        assert settings.kafka.kafka_session_timeout_ms >= 6000, where
        return
    if service == WEB:
        from services.web.config import WebSettings

        if "WEB_SECRET_KEY_FILE" in environ:  # a mounted secret: a real one stands in for it here
            (tmp_path / "web-secret-key").write_text("s" * 48)
            environ = {**environ, "WEB_SECRET_KEY_FILE": str(tmp_path / "web-secret-key")}
        settings = WebSettings.from_env(environ)
        assert settings.production and settings.mongodb_uri, where
        assert settings.mongodb_db == "homeward_web", where
        return
    settings = Settings.from_env(service, environ=environ)
    assert settings.production, where
    assert settings.mongodb_db == f"homeward_{service}", where
    assert settings.kafka_group_id == f"homeward-{service}", where
    assert not settings.embedded_workers, where
