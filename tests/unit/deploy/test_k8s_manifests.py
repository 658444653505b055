"""The Kubernetes manifests: names, references, probes, keys, replicas."""
from __future__ import annotations

import yaml

from shared import topics as contract
from tests.unit.deploy.manifests import (HTTP_SERVICES, K8S, PORTAL, SERVICES, WEB, WEB_WORKER, WORKERS, argv_of_container, data_keys, defined, k8s_containers, k8s_docs, k8s_files, modules_in, walk)


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


def test_k8s_topic_job_runs_create_topics_with_production_replication():
    (job,) = defined("Job").values()
    (container,) = job["spec"]["template"]["spec"]["containers"]
    assert modules_in(argv_of_container(container)) == (["deploy.create_topics"], [])
    config = defined("ConfigMap")["homeward-config"]["data"]
    assert int(config["TOPIC_REPLICATION_FACTOR"]) == 3 and int(config["TOPIC_MIN_INSYNC_REPLICAS"]) == 2
