"""deploy/ against the published schemas, offline: the Kubernetes manifests against the Kubernetes
1.30 OpenAPI schemas that `kubernetes-validate` ships (strict: an unknown or misspelt field fails),
the compose files against the Compose Specification's schema (vendored in compose-spec/).

the other modules here (helpers in `manifests.py`) tie the same files to the code; these tests check that a cluster and
`docker compose` would accept their shape at all.
"""
from __future__ import annotations

import copy
import json
from pathlib import Path

import jsonschema
import kubernetes_validate
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[3]
DEPLOY = ROOT / "deploy"
K8S = DEPLOY / "k8s"
KUBERNETES = "1.30"  # the version deploy/k8s/README.md names
COMPOSE_SCHEMA = Path(__file__).parent / "compose-spec" / "compose-spec.json"
COMPOSE_FILES = ("docker-compose.yml", "docker-compose.key-rotation.yml")
KUSTOMIZE = "kustomize.config.k8s.io/"  # no Kubernetes schema: kustomize's own file, checked structurally


def manifests() -> list[tuple[str, dict]]:
    found = []
    for path in sorted(K8S.glob("*.yaml")):
        for doc in yaml.safe_load_all(path.read_text()):
            if doc and not doc["apiVersion"].startswith(KUSTOMIZE):
                found.append((f"{path.name}:{doc['kind']}/{doc['metadata']['name']}", doc))
    return found


def kubernetes_errors(doc: dict) -> str | None:
    """None when the resource is valid for KUBERNETES (strict), else where and why it is not."""
    try:
        kubernetes_validate.validate(doc, KUBERNETES, strict=True)
    except kubernetes_validate.ValidationError as error:
        return f"{'.'.join(map(str, error.path))}: {error.message}"
    return None


@pytest.mark.parametrize("where,doc", manifests(), ids=[w for w, _ in manifests()])
def test_k8s_manifest_is_valid_for_kubernetes(where, doc):
    assert kubernetes_errors(doc) is None, where


def test_k8s_manifests_cover_every_file_and_kind():
    names = {where.split(":")[0] for where, _ in manifests()}
    assert names == {p.name for p in K8S.glob("*.yaml")} - {"kustomization.yaml"}
    kinds = {doc["kind"] for _, doc in manifests()}
    assert {"Deployment", "Service", "HorizontalPodAutoscaler", "PodDisruptionBudget", "Job", "ConfigMap",
            "Secret", "Namespace"} <= kinds


def _first(kind: str) -> dict:
    return copy.deepcopy(next(doc for _, doc in manifests() if doc["kind"] == kind))


def test_kubernetes_validation_refuses_a_misspelt_field_and_a_wrong_type():
    deployment = _first("Deployment")
    deployment["spec"]["template"]["spec"]["containers"][0]["imagePullPolcy"] = "Always"
    assert "imagePullPolcy" in kubernetes_errors(deployment)
    deployment = _first("Deployment")
    deployment["spec"]["replicas"] = "two"
    assert "replicas" in kubernetes_errors(deployment)
    service = _first("Service")
    del service["spec"]["ports"][0]["port"]
    assert "port" in kubernetes_errors(service)


def compose_validator() -> jsonschema.Draft7Validator:
    schema = json.loads(COMPOSE_SCHEMA.read_text())
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator(schema)


def compose_errors(doc: dict) -> list[str]:
    return [f"{'.'.join(map(str, e.absolute_path)) or '<root>'}: {e.message}"
            for e in compose_validator().iter_errors(doc)]


@pytest.mark.parametrize("name", COMPOSE_FILES)
def test_compose_file_is_valid_for_the_compose_specification(name):
    assert compose_errors(yaml.safe_load((DEPLOY / name).read_text())) == []


def test_compose_validation_refuses_a_misspelt_key_and_a_wrong_condition():
    doc = yaml.safe_load((DEPLOY / "docker-compose.yml").read_text())
    broken = copy.deepcopy(doc)
    broken["services"]["intake"]["restrat"] = "always"
    assert any("restrat" in e for e in compose_errors(broken))
    broken = copy.deepcopy(doc)
    broken["services"]["intake"]["depends_on"]["mongo"]["condition"] = "service_ready"
    assert any("service_ready" in e for e in compose_errors(broken))
    broken = copy.deepcopy(doc)
    broken["services"]["intake"]["cap_drop"] = "ALL"
    assert any("cap_drop" in e for e in compose_errors(broken))
