"""The Kubernetes manifests: names, references, probes, keys, replicas."""
from __future__ import annotations

import yaml

from shared import topics as contract
from shared.config import Settings
from tests.unit.deploy.manifests import (COMPOSE_FILE, DEPLOY, HTTP_SERVICES, K8S, KEY_HOLDERS, PARTNERS_JWKS, PORTAL, ROOT, ROTATION_KEY, SERVICES, WEB, WEB_JWKS, WEB_KEY, WEB_WORKER, WORKERS, argv_of_container, compose, data_keys, defined, k8s_containers, k8s_docs, k8s_files, modules_in, process_environments, walk)


# --- Kubernetes manifests --------------------------------------------------------------------------

def test_k8s_manifests_parse_with_unique_names():
    seen = set()
    for name, doc in k8s_docs():
        assert {"apiVersion", "kind", "metadata"} <= set(doc), name
        key = (doc["kind"], doc["metadata"]["name"])
        assert key not in seen, f"{name}: duplicate {key}"
        seen.add(key)
    kinds = {kind for kind, _ in seen}
    assert {"Namespace", "ConfigMap", "Secret", "Deployment", "Service", "HorizontalPodAutoscaler",
            "Job", "PodDisruptionBudget"} <= kinds


def test_kustomization_lists_existing_files_but_not_the_secret_template():
    kustomization = yaml.safe_load((K8S / "kustomization.yaml").read_text())
    resources = kustomization["resources"]
    for resource in resources:
        assert (K8S / resource).is_file(), resource
    assert "secret.template.yaml" not in resources
    assert set(resources) == {p.name for p in k8s_files()} - {"secret.template.yaml"}
    assert kustomization["namespace"] == "homeward"
    assert [i["name"] for i in kustomization["images"]] == ["homeward"]


def test_k8s_config_and_secret_references_resolve():
    configmaps, secrets = defined("ConfigMap"), defined("Secret")
    assert "homeward-config" in configmaps and "homeward-secrets" in secrets
    checked = 0
    for _, doc in k8s_docs():
        for node in walk(doc):
            if "configMapRef" in node:
                assert node["configMapRef"]["name"] in configmaps
                checked += 1
            if "secretRef" in node:
                assert node["secretRef"]["name"] in secrets
                checked += 1
            if "configMapKeyRef" in node:
                ref = node["configMapKeyRef"]
                assert ref["key"] in data_keys(configmaps[ref["name"]]), ref
                checked += 1
            if "secretKeyRef" in node:
                ref = node["secretKeyRef"]
                assert ref["name"] in secrets and ref["key"] in data_keys(secrets[ref["name"]]), ref
                checked += 1
            if isinstance(node.get("secret"), dict) and "secretName" in node["secret"]:
                volume = node["secret"]
                assert volume["secretName"] in secrets, volume
                for item in volume.get("items", []):
                    if item["key"] in data_keys(secrets[volume["secretName"]]):
                        continue
                    # An optional volume may map a key the Secret holds only at times (the second key
                    # of a key rotation); the template must still say so.
                    assert volume.get("optional") is True, item
                    assert item["key"] in (K8S / "secret.template.yaml").read_text(), item
                checked += 1
            if isinstance(node.get("configMap"), dict) and "name" in node["configMap"]:
                assert node["configMap"]["name"] in configmaps
                checked += 1
    assert checked >= 10


def test_k8s_volume_mounts_name_pod_volumes():
    for workload, container, spec in k8s_containers():
        volumes = {v["name"] for v in spec.get("volumes", [])}
        for mount in container.get("volumeMounts", []):
            assert mount["name"] in volumes, f"{workload}: {mount['name']}"


def test_k8s_secret_template_holds_placeholders_only():
    text = (K8S / "secret.template.yaml").read_text()
    assert "PRIVATE KEY-----" not in text
    secret = defined("Secret")["homeward-secrets"]
    for key, value in (secret.get("stringData") or {}).items():
        assert "REPLACE_ME" in value, key


def test_k8s_services_autoscalers_and_budgets_target_existing_pods():
    deployments = defined("Deployment")
    labels = {name: d["spec"]["template"]["metadata"]["labels"] for name, d in deployments.items()}

    def matches(selector):
        return [n for n, lab in labels.items() if all(lab.get(k) == v for k, v in selector.items())]

    services = defined("Service")
    assert set(services) == set(HTTP_SERVICES)  # the host names the services use: http://partners:8000
    for name, svc in services.items():
        assert matches(svc["spec"]["selector"]) == [f"{name}-api"], name
        assert [p["port"] for p in svc["spec"]["ports"]] == [8000]
    for hpa in defined("HorizontalPodAutoscaler").values():
        assert hpa["apiVersion"] == "autoscaling/v2"
        assert hpa["spec"]["scaleTargetRef"]["name"] in deployments
        assert hpa["spec"]["scaleTargetRef"]["name"].endswith("-api")
        assert hpa["spec"]["minReplicas"] >= 2
    assert {h["spec"]["scaleTargetRef"]["name"] for h in defined("HorizontalPodAutoscaler").values()} == {
        f"{s}-api" for s in HTTP_SERVICES}
    for name, pdb in defined("PodDisruptionBudget").items():
        assert len(matches(pdb["spec"]["selector"]["matchLabels"])) == 1, name
    for name, deployment in deployments.items():
        selector = deployment["spec"]["selector"]["matchLabels"]
        assert all(labels[name].get(k) == v for k, v in selector.items()), name


def test_k8s_api_pods_have_probes_resources_and_run_as_non_root():
    for name, deployment in defined("Deployment").items():
        spec = deployment["spec"]["template"]["spec"]
        assert spec["securityContext"]["runAsNonRoot"] is True, name
        assert spec["securityContext"]["runAsUser"] != 0, name
        assert spec.get("automountServiceAccountToken") is False, name
        for container in spec.get("initContainers", []) + spec["containers"]:
            assert container["resources"]["requests"] and container["resources"]["limits"], name
            context = container["securityContext"]
            assert context["allowPrivilegeEscalation"] is False and context["readOnlyRootFilesystem"] is True
            assert context["capabilities"]["drop"] == ["ALL"]
        if name.endswith("-api"):
            (api,) = spec["containers"]
            ports = {p["name"]: p["containerPort"] for p in api["ports"]}
            assert ports == {"http": 8000}
            assert api["readinessProbe"]["httpGet"]["path"] == "/readyz"
            assert api["livenessProbe"]["httpGet"]["path"] == "/healthz"
            for probe in ("readinessProbe", "livenessProbe", "startupProbe"):
                assert api[probe]["httpGet"]["port"] in ports, (name, probe)
            env = {e["name"]: e.get("value") for e in api["env"]}
            assert env["PORT"] == "8000" and env["PROMETHEUS_MULTIPROC_DIR"].startswith("/tmp/")
            assert any(m["mountPath"] == "/tmp" for m in api["volumeMounts"])  # read-only root fs


def test_k8s_workers_serve_metrics_with_a_liveness_probe_on_that_port():
    for name, deployment in defined("Deployment").items():
        if not name.endswith("-worker"):
            continue
        template = deployment["spec"]["template"]
        (worker,) = template["spec"]["containers"]
        env = {e["name"]: e.get("value") for e in worker["env"]}
        port = int(env["WORKER_METRICS_PORT"])
        ports = {p["name"]: p["containerPort"] for p in worker["ports"]}
        assert ports == {"metrics": port}, name
        probe = worker["livenessProbe"]["httpGet"]
        assert probe["path"] == "/metrics", name
        assert probe["port"] in (port, "metrics"), name
        assert ports.get(probe["port"], probe["port"]) == port, name
        # Generous: a slow scrape or a busy moment must not restart a worker that is working.
        liveness = worker["livenessProbe"]
        assert liveness["periodSeconds"] >= 15 and liveness["failureThreshold"] >= 3, name
        assert liveness.get("initialDelaySeconds", 0) >= 15, name  # the server starts after bootstrap
        assert "readinessProbe" not in worker and "startupProbe" not in worker, name  # no traffic


def test_k8s_prometheus_annotations_name_each_pod_metrics_port():
    annotated = set()
    for name, deployment in defined("Deployment").items():
        template = deployment["spec"]["template"]
        annotations = template["metadata"].get("annotations") or {}
        (container,) = template["spec"]["containers"]
        ports = {p["name"]: p["containerPort"] for p in container["ports"]}
        expected = ports["http"] if name.endswith("-api") else ports["metrics"]
        assert annotations.get("prometheus.io/scrape") == "true", name
        assert int(annotations["prometheus.io/port"]) == expected, name
        assert annotations["prometheus.io/path"] == "/metrics", name
        annotated.add(name)
    assert annotated == {f"{s}-{role}" for s in SERVICES for role in ("api", "worker")} | {f"{WEB}-api",
                                                                                          f"{PORTAL}-api",
                                                                                          WEB_WORKER}


def test_k8s_worker_replicas_fit_the_partitions():
    workers = {n: d for n, d in defined("Deployment").items() if n.endswith("-worker")}
    assert set(workers) == set(WORKERS)
    for name, deployment in workers.items():
        assert 1 <= deployment["spec"]["replicas"] <= contract.PARTITIONS, name
        spec = deployment["spec"]["template"]["spec"]
        (init,) = spec["initContainers"]
        assert modules_in(argv_of_container(init)) == (["deploy.create_topics"], [])
        assert "--check" in argv_of_container(init)
        env = {e["name"]: e.get("value") for e in spec["containers"][0]["env"]}
        assert env["KAFKA_GROUP_ID"] == f"homeward-{name.removesuffix('-worker')}"




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


def test_k8s_topic_job_runs_create_topics_with_production_replication():
    (job,) = defined("Job").values()
    (container,) = job["spec"]["template"]["spec"]["containers"]
    assert modules_in(argv_of_container(container)) == (["deploy.create_topics"], [])
    config = defined("ConfigMap")["homeward-config"]["data"]
    assert int(config["TOPIC_REPLICATION_FACTOR"]) == 3 and int(config["TOPIC_MIN_INSYNC_REPLICAS"]) == 2
