"""A client generated with openapi-python-client from each service's OpenAPI document reads a real 200 as a
success (not as `None`, which is what a client does with an undeclared status)."""
from __future__ import annotations

import importlib
import json
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from tests.unit.contract.openapi_document import document

# no formatter run (faster, and ruff need not be on PATH); the downloads read as bytes, as a client reads any file
GENERATOR_CONFIG = ("post_hooks: []\ncontent_type_overrides:\n  application/pdf: application/octet-stream\n"
                    "  application/vnd.openxmlformats-officedocument.spreadsheetml.sheet: application/octet-stream\n")


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """generated(name, doc) -> the client package openapi-python-client generates from the document."""
    root = tmp_path_factory.mktemp("clients")
    (root / "config.yml").write_text(GENERATOR_CONFIG)
    sys.path.insert(0, str(root))
    made = {}

    def generate(name: str, doc: dict):
        if name not in made:
            package = f"homeward_{name}_client"
            (root / f"{name}.json").write_text(json.dumps(doc))
            result = subprocess.run(
                [str(Path(sys.executable).parent / "openapi-python-client"), "generate", "--path",
                 str(root / f"{name}.json"), "--output-path", str(root / package), "--meta", "none",
                 "--config", str(root / "config.yml")], capture_output=True, text=True, timeout=120)
            assert result.returncode == 0, result.stdout + result.stderr
            assert "Warning" not in result.stdout + result.stderr, result.stdout + result.stderr
            made[name] = importlib.import_module(package)
        return made[name]

    yield generate
    sys.path.remove(str(root))


def client_for(package, network, role: str, org: str | None = None):
    token = network.auth(role, org=org)["Authorization"].split(" ", 1)[1]
    return package.AuthenticatedClient(base_url="http://homeward.test", token=token,
                                       httpx_args={"transport": httpx.WSGITransport(app=network.app)})


def call(package, module: str, client, **kwargs):
    return importlib.import_module(f"{package.__name__}.api.{module}").sync_detailed(client=client, **kwargs)


def test_a_generated_intake_client_reads_returnees_as_a_success(network, generated):
    intake = network("intake")
    package = generated("intake", document(intake))
    client = client_for(package, intake, "consultant")
    page = call(package, "returnees.get_v1_returnees", client)
    assert page.status_code == 200
    assert type(page.parsed).__name__ == "ReturneeOutPage"
    assert [item.id for item in page.parsed.items] == [intake.ids["returnee_id"]]
    one = call(package, "returnees.get_v1_returnees_returnee_id", client, returnee_id=intake.ids["returnee_id"])
    assert type(one.parsed).__name__ == "ReturneeOut" and one.parsed.given_name == "Yonas"
    as_lead = call(package, "returnees.get_v1_returnees_returnee_id", client_for(package, intake, "project_lead"),
                   returnee_id=intake.ids["returnee_id"])
    assert type(as_lead.parsed).__name__ == "ReturneeOut" and "given_name" not in as_lead.parsed.to_dict()
    missing = call(package, "returnees.get_v1_returnees_returnee_id", client, returnee_id="rtn_01J0000000000000000000000")
    assert missing.status_code == 404 and type(missing.parsed).__name__ == "Problem"
    eligibility = call(package, "eligibility.get_v1_eligibility", client, country="NG")
    assert type(eligibility.parsed).__name__ == "Eligibility"


def test_a_generated_partners_client_reads_a_partner_and_a_token_error(network, generated):
    partners = network("partners")
    package = generated("partners", document(partners))
    client = client_for(package, partners, "admin")
    listed = call(package, "partners.get_v1_partners", client)
    assert type(listed.parsed).__name__ == "PartnerPage" and len(listed.parsed.items) == 1
    one = call(package, "partners.get_v1_partners_partner_id", client, partner_id=partners.ids["partner_id"])
    assert type(one.parsed).__name__ == "Partner" and one.parsed.name == "Own"
    jwks = call(package, "oauth.get_well_known_jwks_json", client)
    assert type(jwks.parsed).__name__ == "Jwks" and jwks.parsed.keys[0].kty == "RSA"
    form = importlib.import_module(f"{package.__name__}.models").PostV1OauthTokenBody
    refused = call(package, "oauth.post_v1_oauth_token", client,
                   body=form.from_dict({"grant_type": "client_credentials", "client_id": "hw_x", "client_secret": "no"}))
    assert refused.status_code == 401
    assert type(refused.parsed).__name__ == "OAuthError" and refused.parsed.error == "invalid_client"


def test_a_generated_monitoring_client_reads_alerts_and_a_case_as_a_success(network, generated):
    monitoring = network("monitoring")
    package = generated("monitoring", document(monitoring))
    client = client_for(package, monitoring, "admin")  # every client's alerts (rtn_01 follows nobody)
    alerts = call(package, "alerts.get_v1_alerts", client)
    assert alerts.status_code == 200 and type(alerts.parsed).__name__ == "AlertPage"
    assert alerts.parsed.items and alerts.parsed.items[0].returnee_id == "rtn_01"
    case = call(package, "cases.get_v1_cases_returnee_id", client, returnee_id="rtn_01")
    assert type(case.parsed).__name__ == "Case" and case.parsed.checkins[0].returnee_id == "rtn_01"
    health = call(package, "ops.get_healthz", client)
    assert type(health.parsed).__name__ == "Health" and health.parsed.status == "ok"
