"""What the static checks of deploy/ share: where the files are, and how to read them.

No Docker engine, cluster or broker is needed (nor available where these files were written): the
checks (the test_*.py modules beside this one) read the files and tie them to the code. Every process
command must name a module that exists, every ConfigMap/Secret reference must resolve, every environment
variable must be one the code reads, the topic job must create exactly the contract's topics, and each
process's environment must pass the production settings check.
"""
from __future__ import annotations

import re
import shlex
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[3]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


DEPLOY = ROOT / "deploy"
K8S = DEPLOY / "k8s"
COMPOSE_FILE = DEPLOY / "docker-compose.yml"
GUNICORN_CONF = DEPLOY / "gunicorn.conf.py"
SERVICES = ("intake", "partners", "monitoring")  # the event-driven services: an API and a worker each
WEB = "web"  # the staff web app: an HTTP process only (Deployment web-api, Service/compose service "web")
PORTAL = "portal"  # the partner portal: an HTTP process only (Deployment portal-api, Service/compose "portal")
HTTP_SERVICES = SERVICES + (WEB, PORTAL)
WEB_APP = "services.web.app"
WEB_WORKER = "web-worker"  # the web app's notifications worker (services.web.worker): staff mails
WORKERS = tuple(f"{s}-worker" for s in SERVICES) + (WEB_WORKER,)  # consumers, metrics on WORKER_METRICS_PORT
MAIL_SENDERS = ("partners-worker", WEB_WORKER)  # the processes that send mail over SMTP (docs/mail.md)
PORTAL_APP = "services.portal.app"
# Environment names owned by deploy/ (gunicorn.conf.py, create_topics.py) rather than shared/config.py.
DEPLOY_ENV = {"PORT", "GUNICORN_WORKERS", "GUNICORN_THREADS", "GUNICORN_ACCESS_LOG", "PROMETHEUS_MULTIPROC_DIR"}
DEPLOY_ENV_PREFIXES = ("TOPIC_",)
EXPECTED_MODULES = ({f"services.{s}.api" for s in SERVICES} | {f"services.{s}.worker" for s in SERVICES}
                    | {WEB_APP, "services.web.worker", PORTAL_APP, "deploy.create_topics"})


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


def interpolated(value, environ=None) -> str:
    """A compose value as compose gives it to the process: `${NAME:-default}` and `${NAME}` from `environ`
    (by default an empty shell: the defaults)."""
    environ = environ or {}

    def one(match):
        name, default = match.group(1), match.group(3) or ""
        return environ.get(name) or default

    return re.sub(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(:-([^}]*))?\}", one, str(value))


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


def process_environments():
    """(where, service, environ) for every compose/k8s process that builds Settings."""
    found = []
    for name, svc in compose_app_services().items():
        service = service_of(argv_of_compose(svc))
        if service:
            env = {k: interpolated(v) for k, v in (svc.get("environment") or {}).items()}
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
