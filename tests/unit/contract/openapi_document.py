"""Reading the services' OpenAPI documents (tests/unit/contract/test_openapi.py, test_generated_clients.py,
test_schemathesis_conformance.py, test_headers.py): the document an app serves, its operations, and an
operation's path with the seeded ids in it."""
from __future__ import annotations


def document(network) -> dict:
    response = network.app.test_client().get("/openapi.json")
    assert response.status_code == 200
    return response.json


def operations(doc: dict):
    for path, item in doc["paths"].items():
        for method, operation in item.items():
            if method in ("get", "post", "put", "patch", "delete"):
                yield path, method, operation


def _example_path(path: str, ids: dict) -> str:
    for name in ids:
        path = path.replace("{" + name + "}", ids[name])
    return path.replace("{", "").replace("}", "")
