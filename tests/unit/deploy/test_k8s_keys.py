"""The keys and the trust between processes, as deployed: who holds the signing key, the rotation, who verifies whom,
crypto-shredding in the runbook, and that every repository file the deploy texts name exists."""
from __future__ import annotations

import re

from shared.config import Settings
from tests.unit.deploy.manifests import (COMPOSE_FILE, DEPLOY, K8S, KEY_HOLDERS, PARTNERS_JWKS, ROOT, ROTATION_KEY, WEB, WEB_JWKS, WEB_KEY, WORKERS, compose, defined, k8s_containers, process_environments)


def test_k8s_only_the_partners_pods_mount_the_signing_key():
    holders, web_holder = set(), False
    for workload, container, spec in k8s_containers():
        env = {e["name"]: e.get("value") for e in container.get("env", [])}
        secret_volumes = [v for v in spec.get("volumes", []) if "secret" in v]
        mounted = {m["name"] for m in container.get("volumeMounts", [])} & {v["name"] for v in secret_volumes}
        # Never in a manifest: the service refuses to start when a listed file is missing, and the
        # rotation key exists only during a rotation (`kubectl set env`, RUNBOOK.md).
        assert "JWT_VERIFICATION_KEY_FILES" not in env, workload
        if (workload, container["name"]) in KEY_HOLDERS:
            holders.add((workload, container["name"]))
            (volume,) = secret_volumes
            assert volume["secret"]["secretName"] == "homeward-secrets"
            (mount,) = [m for m in container["volumeMounts"] if m["name"] == volume["name"]]
            assert mount.get("readOnly") is True, workload
            items = {item["key"]: item["path"] for item in volume["secret"]["items"]}
            if workload == "partners-api":
                assert set(items) == {"jwt-signing-key.pem", ROTATION_KEY}
                assert volume["secret"]["optional"] is True  # the rotation key is usually absent
            else:
                assert set(items) == {"jwt-signing-key.pem"}  # signs only: no use for the rotation key
                assert not volume["secret"].get("optional"), workload
            assert env["JWT_SIGNING_KEY_FILE"] == f"{mount['mountPath']}/{items['jwt-signing-key.pem']}"
        elif (workload, container["name"]) == (f"{WEB}-api", "api"):
            web_holder = True
            (volume,) = secret_volumes
            assert volume["secret"]["secretName"] == "homeward-secrets" and not volume["secret"].get("optional")
            (mount,) = [m for m in container["volumeMounts"] if m["name"] == volume["name"]]
            assert mount.get("readOnly") is True
            items = {item["key"]: item["path"] for item in volume["secret"]["items"]}
            assert set(items) == {WEB_KEY}  # its own key, never the partners key
            assert env["WEB_JWT_SIGNING_KEY_FILE"] == f"{mount['mountPath']}/{items[WEB_KEY]}"
            assert "JWT_SIGNING_KEY_FILE" not in env
        else:
            assert "JWT_SIGNING_KEY_FILE" not in env and not mounted, (workload, container["name"])
            if not workload.startswith("partners-"):
                assert not secret_volumes, workload
    assert holders == KEY_HOLDERS and web_holder
    config = defined("ConfigMap")["homeward-config"]["data"]
    assert "JWT_SIGNING_KEY_FILE" not in config  # would hand the key's path to every process
    assert "WEB_JWT_SIGNING_KEY_FILE" not in config
    assert PARTNERS_JWKS in config["JWT_JWKS_URLS"].split(",")
    assert WEB_JWKS in config["JWT_JWKS_URLS"].split(",")


def test_runbook_rotation_command_names_the_mounted_rotation_key():
    deployment = defined("Deployment")["partners-api"]
    spec = deployment["spec"]["template"]["spec"]
    (volume,) = [v for v in spec["volumes"] if "secret" in v]
    (mount,) = [m for m in spec["containers"][0]["volumeMounts"] if m["name"] == volume["name"]]
    (path,) = [i["path"] for i in volume["secret"]["items"] if i["key"] == ROTATION_KEY]
    runbook = (DEPLOY / "RUNBOOK.md").read_text()
    expected = f"set env deployment/partners-api JWT_VERIFICATION_KEY_FILES={mount['mountPath']}/{path}"
    assert expected in runbook
    assert "set env deployment/partners-api JWT_VERIFICATION_KEY_FILES-" in runbook
    assert f'"path": "/data/{ROTATION_KEY}"' in runbook  # the Secret key removed at the end
    # The worker signs with the key it read at start: it must be restarted with the switch.
    assert "rollout restart deployment/partners-worker" in runbook
    assert "up -d --force-recreate --no-deps partners-worker" in runbook


def test_only_the_partners_worker_holds_a_key_and_every_worker_passes_the_production_check():
    workers = 0
    for where, service, environ in process_environments():
        if where.endswith("worker"):
            workers += 1
            # JWT_JWKS_URLS (shared by every process) satisfies the check where there is no key.
            assert environ.get("JWT_JWKS_URLS") or service == WEB, where
            if service == WEB:  # the notifications worker signs and verifies nothing (test_environment.py)
                assert not {"JWT_SIGNING_KEY_FILE", "WEB_JWT_SIGNING_KEY_FILE"} & set(environ), where
                continue
            settings = Settings.from_env(service, environ=environ)
            assert not settings.jwt_verification_key_files, where
            if service == "partners":
                assert settings.jwt_signing_key_file, where  # signs service tokens for intake
            else:
                assert not settings.jwt_signing_key_file, where
    assert workers == 2 * len(WORKERS)


def test_partners_processes_and_the_web_app_reach_the_intake_api():
    """INTAKE_URL (services/partners/bootstrap.py, services/web/config.py) names intake's API inside the network."""
    compose_services = compose()["services"]
    intake_port = compose_services["intake"]["environment"]["PORT"]
    k8s_intake = defined("Service")["intake"]
    (k8s_port,) = [p["port"] for p in k8s_intake["spec"]["ports"]]
    assert k8s_intake["spec"]["selector"] == {"app.kubernetes.io/name": "intake-api"}
    expected = {"compose:partners": f"http://intake:{intake_port}",
                "compose:partners-worker": f"http://intake:{intake_port}",
                "k8s:partners-api": f"http://intake:{k8s_port}",
                "k8s:partners-worker": f"http://intake:{k8s_port}",
                f"compose:{WEB}": f"http://intake:{intake_port}",
                f"k8s:{WEB}-api": f"http://intake:{k8s_port}"}
    found = {where: environ["INTAKE_URL"] for where, _, environ in process_environments() if "INTAKE_URL" in environ}
    assert found == expected
    assert '"INTAKE_URL"' in (ROOT / "services" / "partners" / "config.py").read_text()


def test_intake_verifies_the_partners_service_tokens():
    """Intake's API trusts the key set the partners API publishes, for the issuer partners signs as."""
    partners = {where: environ for where, service, environ in process_environments() if service == "partners"}
    intake_apis = [(where, environ) for where, service, environ in process_environments()
                   if service == "intake" and not where.endswith("worker")]
    assert {where for where, _ in intake_apis} == {"compose:intake", "k8s:intake-api"}
    for where, environ in intake_apis:
        settings = Settings.from_env("intake", environ=environ)
        assert PARTNERS_JWKS in settings.jwt_jwks_urls, where
        assert not settings.jwt_signing_key_file, where  # verifies with the key set, holds no key
        platform = where.split(":")[0]
        for partners_where, partners_env in partners.items():
            if partners_where.startswith(platform):
                issuer = Settings.from_env("partners", environ=partners_env).jwt_issuer
                assert issuer in settings.jwt_trusted_issuers, (where, partners_where)
    # The key set's host and port are the partners API's (compose service / Service "partners").
    assert compose()["services"]["partners"]["environment"]["PORT"] == "8000"
    assert [p["port"] for p in defined("Service")["partners"]["spec"]["ports"]] == [8000]


def test_runbook_explains_crypto_shredding():
    runbook = (DEPLOY / "RUNBOOK.md").read_text()
    assert "## Personal data and crypto-shredding" in runbook
    section = runbook.split("## Personal data and crypto-shredding", 1)[1].split("\n## ", 1)[0]
    for needle in ("personal_keys", "backup", "INTAKE_URL", "SCHEDULER_INTERVAL_SECONDS", "NetworkPolicy"):
        assert needle in section, needle
    assert "intake:8000" in (K8S / "README.md").read_text()  # the NetworkPolicy note
    for path in (DEPLOY / "RUNBOOK.md", K8S / "README.md", COMPOSE_FILE, K8S / "partners.yaml", K8S / "configmap.yaml"):
        text = " ".join(path.read_text().split()).lower()
        for stale in ("workers hold no key", "holds no key", "only the partners api needs the key",
                      "only this process holds it", "only this deployment mounts it", "only the partners api mounts it",
                      "only `partners-api` holds keys", "only the partners api pods mount"):
            assert stale not in text, (path.name, stale)


def test_every_repository_file_the_deploy_texts_name_exists():
    """A comment or runbook step that names a module which is gone sends the operator looking for nothing."""
    named = set()
    for path in [*DEPLOY.rglob("*.yml"), *DEPLOY.rglob("*.yaml"), *DEPLOY.rglob("*.md")]:
        named |= {(path.name, m) for m in re.findall(r"(?<![\w/])((?:shared|services|deploy|tests|bench)/[\w/.-]+\.py)\b", path.read_text())}
    assert named  # the texts do name modules: the pattern still matches them
    missing = sorted((where, name) for where, name in named if not (ROOT / name).exists())
    assert not missing
