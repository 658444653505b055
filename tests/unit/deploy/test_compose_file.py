"""The compose file: references, workers, infrastructure, secrets."""
from __future__ import annotations

from shared.config import Settings
from tests.unit.deploy.manifests import (DEPLOY, MAIL_SENDERS, PORTAL, ROTATION_KEY, SERVICES, WEB, WEB_KEY, WEB_WORKER, argv_of_compose, compose, compose_app_services, module_path, modules_in, rotation_overlay)


# --- compose -----------------------------------------------------------------------------------------

def test_compose_references_resolve():
    doc = compose()
    services = doc["services"]
    for name, svc in services.items():
        for dependency in svc.get("depends_on", {}):
            assert dependency in services, f"{name} depends on unknown {dependency}"
        for secret in svc.get("secrets", []):
            assert (secret if isinstance(secret, str) else secret["source"]) in doc["secrets"]
        for volume in svc.get("volumes", []):
            source = volume.split(":", 1)[0] if isinstance(volume, str) else volume["source"]
            if not source.startswith((".", "/")):
                assert source in doc["volumes"], f"{name}: volume {source}"
    published = [p for svc in services.values() for p in svc.get("ports", [])]
    assert len(published) == len(set(published))
    for port in published:
        assert port.startswith("127.0.0.1:"), f"{port}: publish on loopback only"


def test_compose_workers_wait_for_the_topics_service():
    services = compose()["services"]
    topics = services["topics"]
    assert modules_in(argv_of_compose(topics)) == (["deploy.create_topics"], [])
    assert topics["restart"] == "no"
    # One broker in compose: replication factor 1 and min.insync.replicas 1.
    assert topics["environment"]["TOPIC_REPLICATION_FACTOR"] == "1"
    assert topics["environment"]["TOPIC_MIN_INSYNC_REPLICAS"] == "1"
    assert topics["depends_on"]["kafka"]["condition"] == "service_healthy"
    assert services[WEB_WORKER]["depends_on"]["topics"]["condition"] == "service_completed_successfully"
    for svc in SERVICES:
        worker = services[f"{svc}-worker"]
        assert worker["depends_on"]["topics"]["condition"] == "service_completed_successfully"
        api = services[svc]
        assert api["healthcheck"]["test"][-2:] == ["-m", "deploy.healthcheck"]
        assert module_path("deploy.healthcheck") is not None
        assert api["environment"]["PROMETHEUS_MULTIPROC_DIR"].startswith("/tmp/")


def test_compose_workers_serve_metrics_and_their_health_check_asks_that_port():
    """WORKER_METRICS_PORT (shared/background.py) starts the worker's metrics server; the check asks it."""
    services = compose()["services"]
    for svc in SERVICES + (WEB,):
        name = f"{svc}-worker"
        worker = services[name]
        port = int(worker["environment"]["WORKER_METRICS_PORT"])
        test = worker["healthcheck"]["test"]
        assert test[:4] == ["CMD", "python", "-m", "deploy.healthcheck"], name
        (target,) = test[4:]
        assert target == f"http://127.0.0.1:{port}/metrics", name
        assert not worker["healthcheck"].get("disable"), name
        assert "ports" not in worker, f"{name}: metrics stay inside the compose network"
        api_port = int(services[svc]["environment"]["PORT"])
        assert port != api_port, name  # one image, two roles: keep the ports apart
    # Every other application process but the one-shot topic creation has a health check too.
    for name, svc in compose_app_services().items():
        if name != "topics":
            assert "disable" not in svc["healthcheck"], name


def test_compose_infrastructure_is_kraft_kafka_and_a_mongodb_replica_set():
    services = compose()["services"]
    kafka, mongo = services["kafka"], services["mongo"]
    assert kafka["image"].startswith("apache/kafka:") and "latest" not in kafka["image"]
    assert kafka["environment"]["KAFKA_PROCESS_ROLES"] == "broker,controller"
    assert str(kafka["environment"]["KAFKA_AUTO_CREATE_TOPICS_ENABLE"]) == "false"
    assert mongo["image"] == "mongo:7.0"
    assert "--replSet" in mongo["command"]
    assert "rs.initiate" in " ".join(mongo["healthcheck"]["test"])
    replica_set = mongo["command"][mongo["command"].index("--replSet") + 1]
    for svc in compose_app_services().values():
        uri = (svc.get("environment") or {}).get("MONGODB_URI")
        if uri:
            assert f"replicaSet={replica_set}" in uri


def test_compose_signing_key_is_a_gitignored_secret_for_the_partners_api_and_worker_only():
    doc = compose()
    secret_file = doc["secrets"]["jwt-signing-key.pem"]["file"]
    assert secret_file.startswith("./secrets/")
    assert "secrets/" in (DEPLOY / ".gitignore").read_text().split()
    for name, svc in compose_app_services().items():
        env = svc.get("environment") or {}
        assert "JWT_VERIFICATION_KEY_FILES" not in env, name  # only in the key-rotation overlay
        if name in ("partners", "partners-worker"):
            # the partners worker sends the partner people's mails: the SMTP password too
            assert svc["secrets"] == ["jwt-signing-key.pem"] + (["smtp-password"] if name in MAIL_SENDERS else [])
            assert env["JWT_SIGNING_KEY_FILE"] == "/run/secrets/jwt-signing-key.pem"
        elif name == WEB:  # its own key and cookie secret, never the partners key
            assert sorted(svc["secrets"]) == [WEB_KEY, "web-secret-key"]
            assert env["WEB_JWT_SIGNING_KEY_FILE"] == f"/run/secrets/{WEB_KEY}"
            assert env["WEB_SECRET_KEY_FILE"] == "/run/secrets/web-secret-key"
            assert "JWT_SIGNING_KEY_FILE" not in env and "WEB_SECRET_KEY" not in env
            for secret in svc["secrets"]:
                assert doc["secrets"][secret]["file"] == f"./secrets/{secret}"  # gitignored
        elif name == PORTAL:  # its cookie secret only: it signs no tokens
            assert svc["secrets"] == ["portal-secret-key"]
            assert env["PORTAL_SECRET_KEY_FILE"] == "/run/secrets/portal-secret-key"
            assert doc["secrets"]["portal-secret-key"]["file"] == "./secrets/portal-secret-key"
            assert not {"JWT_SIGNING_KEY_FILE", "WEB_JWT_SIGNING_KEY_FILE", "PORTAL_SECRET_KEY"} & set(env)
        elif name == WEB_WORKER:  # it signs nothing: the SMTP password only, none of the web app's secrets
            assert svc["secrets"] == ["smtp-password"]
            assert not {"JWT_SIGNING_KEY_FILE", "WEB_JWT_SIGNING_KEY_FILE", "WEB_SECRET_KEY_FILE"} & set(env)
        else:
            assert "secrets" not in svc and "JWT_SIGNING_KEY_FILE" not in env, name


def test_compose_key_rotation_overlay_adds_a_verification_key_to_the_partners_api():
    base, overlay = compose(), rotation_overlay()
    assert set(overlay["services"]) == {"partners"}
    partners = overlay["services"]["partners"]
    assert partners["secrets"] == [ROTATION_KEY] and set(overlay["secrets"]) == {ROTATION_KEY}
    assert overlay["secrets"][ROTATION_KEY]["file"] == f"./secrets/{ROTATION_KEY}"  # gitignored, like the key
    assert partners["environment"] == {"JWT_VERIFICATION_KEY_FILES": f"/run/secrets/{ROTATION_KEY}"}
    # Compose merges the overlay into the base: the environment by name, secrets by source.
    merged_env = {**base["services"]["partners"]["environment"], **partners["environment"]}
    merged_secrets = base["services"]["partners"]["secrets"] + partners["secrets"]
    assert len(set(merged_secrets)) == 2
    settings = Settings.from_env("partners", environ={k: str(v) for k, v in merged_env.items()})
    assert settings.jwt_verification_key_files == (f"/run/secrets/{ROTATION_KEY}",)
    assert settings.jwt_signing_key_file == "/run/secrets/jwt-signing-key.pem"
