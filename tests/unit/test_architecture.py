"""Import direction: services never import each other, shared imports no service, domain is pure."""
from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SERVICES = ("intake", "partners", "monitoring", "web", "portal")


def imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("service", SERVICES)
def test_a_service_never_imports_another_service(service):
    others = {f"services.{s}" for s in SERVICES if s != service}
    for path in (ROOT / "services" / service).rglob("*.py"):
        bad = {name for name in imports(path) if any(name.startswith(o) for o in others)}
        assert not bad, f"{path.relative_to(ROOT)} imports {bad}"


def test_the_web_app_uses_the_other_services_only_through_their_http_apis():
    """services/web imports no other service's code and no database driver of theirs (pymongo is for its own store)."""
    for path in (ROOT / "services" / "web").rglob("*.py"):
        bad = {n for n in imports(path) if n.startswith("services.") and not n.startswith("services.web")}
        assert not bad, f"{path.relative_to(ROOT)} imports {bad}"


def test_shared_imports_no_service():
    for path in (ROOT / "shared").rglob("*.py"):
        assert not {n for n in imports(path) if n.startswith("services")}, path


@pytest.mark.parametrize("path", sorted(p for s in SERVICES for p in (ROOT / "services" / s).rglob("domain*.py")) +
                         sorted((ROOT / "services" / "monitoring" / "domain").glob("*.py")) +
                         [ROOT / "services" / "intake" / "eligibility.py", ROOT / "services" / "intake" / "eligibility_rules.py"], ids=str)
def test_domain_code_uses_no_framework(path):
    frameworks = ("flask", "pymongo", "mongomock", "kafka", "marshmallow", "shared.http", "shared.kafka")
    assert not {n for n in imports(path) if n.startswith(frameworks)}, path


@pytest.mark.parametrize("service", SERVICES)
def test_only_the_repository_and_the_composition_root_import_documents(service):
    """Queries live in the repository (or a `*_repository` module); bootstrap only hands document classes to the
    seedwork stores."""
    folder = ROOT / "services" / service
    allowed = {"documents", "repository", "bootstrap", "migrations"} | EXTRA_DOCUMENT_USERS.get(service, set())
    for path in folder.rglob("*.py"):
        part = path.relative_to(folder).parts[0].removesuffix(".py")
        if part not in allowed and not part.endswith("_repository"):
            assert f"services.{service}.documents" not in imported_names(path), path.relative_to(ROOT)


# a `*_repository` module is a repository of its own part (monitoring's insights, intake's assessments...); the web
# app's and the portal's store modules connect their alias
EXTRA_DOCUMENT_USERS = {"web": {"store"}, "portal": {"store"}}


def imported_names(path: Path) -> set[str]:
    """Like `imports`, and `from a import b` also names `a.b` (b may be a module)."""
    names = imports(path)
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


@pytest.mark.parametrize("service", SERVICES)
def test_a_service_on_documents_imports_no_pymongo(service):
    for path in (ROOT / "services" / service).rglob("*.py"):
        assert not {n for n in imports(path) if n.startswith(("pymongo", "bson", "mongomock"))}, path.relative_to(ROOT)


def _module(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _graph() -> dict[str, set[str]]:
    """Module -> the project modules it imports, anywhere in the file (imports inside functions too)."""
    paths = [p for top in ("shared", "services") for p in (ROOT / top).rglob("*.py")]
    modules = {_module(p): p for p in paths}
    graph = {}
    for name, path in modules.items():
        targets = set()
        for imported in imports(path):
            # `from shared.http import x` names the package; `import a.b.c` names the deepest module known
            while imported and imported not in modules:
                imported = imported.rpartition(".")[0]
            if imported and imported != name:
                targets.add(imported)
        graph[name] = targets
    return graph


def test_no_import_circles():
    graph = _graph()
    state: dict[str, int] = {}
    cycles = []

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for target in sorted(graph[node]):
            if state.get(target) == 1:
                cycles.append(trail[trail.index(target):] + [target] if target in trail else [node, target])
            elif target not in state:
                visit(target, trail + [target])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    assert cycles == []


def test_the_circle_check_finds_a_circle(monkeypatch):
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}}
    monkeypatch.setattr(sys.modules[__name__], "_graph", lambda: graph)
    with pytest.raises(AssertionError):
        test_no_import_circles()




def test_only_each_services_config_module_reads_the_environment():
    """Settings are read once, in <svc>/config.py (frozen), and handed out by the composition root."""
    readers = ("os.environ", "os.getenv", "env_int(", "env_float(", "env_list(")
    found = [path.relative_to(ROOT) for path in (ROOT / "services").rglob("*.py")
             if path.name != "config.py" and any(reader in path.read_text() for reader in readers)]
    assert found == []


@pytest.mark.parametrize("service", SERVICES)
def test_each_service_has_frozen_settings_of_its_own(service):
    import dataclasses
    import importlib

    module = importlib.import_module(f"services.{service}.config")
    classes = [value for value in vars(module).values()
               if dataclasses.is_dataclass(value) and value.__module__ == module.__name__]
    assert classes and all(cls.__dataclass_params__.frozen for cls in classes)


def test_one_date_convention():
    """A naive instant read back from a store is made UTC in one place: shared/dates.py (aware, iso_instant)."""
    pattern = re.compile(r"\.replace\(tzinfo=timezone\.utc\)")
    found = [path.relative_to(ROOT) for folder in ("services", "shared") for path in (ROOT / folder).rglob("*.py")
             if path.name != "dates.py" and pattern.search(path.read_text())]
    assert found == []


MAX_LINES = 300
# a file allowed past MAX_LINES, with the reason (none today: a file that grows is split by concern)
LONG_FILES: dict[str, str] = {}


def long_files(roots=("services", "shared", "deploy", "bench", "tests"), limit: int = MAX_LINES) -> list[str]:
    """The source files (Python, scripts, templates; the tests' vendored scripts aside) past `limit` lines that
    LONG_FILES does not name."""
    found = []
    for top in roots:
        for path in sorted((ROOT / top).rglob("*")):
            if path.suffix in (".py", ".js", ".html") and path.is_file() and "vendor" not in path.parts:
                lines = len(path.read_text().splitlines())
                name = str(path.relative_to(ROOT))
                if lines > limit and name not in LONG_FILES:
                    found.append(f"{name} ({lines} lines)")
    return found


def test_every_source_file_keeps_under_300_lines():
    """A room that grows is split by what it holds (a package of modules named by concern)."""
    assert long_files() == []


def test_the_size_check_finds_a_long_file():
    assert "services/web/views/returnees.py" in " ".join(long_files(("services",), limit=100))
    assert "tests/unit/test_architecture.py" in " ".join(long_files(("tests",), limit=100))
    assert not [name for name in long_files(("tests",), limit=1) if "vendor" in name]  # axe-core's, not ours


def test_every_long_file_exception_still_exists_and_is_still_long():
    for name, reason in LONG_FILES.items():
        assert reason and len((ROOT / name).read_text().splitlines()) > MAX_LINES, name
