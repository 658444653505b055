"""Every process command of compose and Kubernetes names a module that exists."""
from __future__ import annotations

import pytest
from tests.unit.deploy.manifests import (ALL_COMMANDS, COMPOSE_COMMANDS, EXPECTED_MODULES, K8S_COMMANDS, ROOT, is_http_app, k8s_containers, module_path, modules_in)



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
