"""Revoking a partner's credential or deactivating one of its people ends the tokens in every service
(issue 22, item 3), through the real broker: partners refuses them at once, monitoring once its consumer
applied `partner.access_revoked.v1`. The time that takes is printed (README: how fast)."""
from __future__ import annotations

import time

import requests

from tests.helpers import eventually


def _status(network, service: str, path: str, headers: dict) -> int:
    return requests.get(network.urls[service] + path, headers=headers, timeout=10).status_code


def _until_refused(network, headers: dict) -> float:
    """Seconds from now until monitoring refuses the token (partners already does)."""
    started = time.monotonic()
    eventually(lambda: _status(network, "monitoring", "/v1/cases", headers) == 401, timeout=10,
               message="monitoring refuses the revoked token")
    return time.monotonic() - started


def test_a_revoked_credentials_token_ends_at_partners_at_once_and_at_monitoring_within_seconds(network):
    partner = network.add_partner("NG")
    headers = partner["headers"]
    assert _status(network, "monitoring", "/v1/cases", headers) == 200
    client_id = network.call("GET", "partners", f"/v1/partners/{partner['id']}/credentials", 200,
                             role="admin")[0]["client_id"]
    network.call("DELETE", "partners", f"/v1/partners/{partner['id']}/credentials/{client_id}", 204, role="admin")
    assert _status(network, "partners", "/v1/handovers", headers) == 401
    took = _until_refused(network, headers)
    print(f"\nmonitoring refused the revoked credential's token {took:.2f} s after the revocation")
    assert took < 5


def test_a_deactivated_persons_token_ends_in_both_services(network):
    partner = network.add_partner("GH")
    user = network.call("POST", "partners", f"/v1/partners/{partner['id']}/users", 201, role="admin",
                        json={"username": f"worker-{partner['id'][-6:].lower()}", "display_name": "Field worker",
                              "role": "field_worker", "email": "worker@partner.example"})
    network.call("POST", "partners", "/v1/partner-users/invitations/redeem", 200,
                 headers={}, json={"code": user["invite_code"], "password": "a long field password"})
    token = requests.post(network.urls["partners"] + "/v1/oauth/token", timeout=10, data={
        "grant_type": "password", "username": user["username"], "password": "a long field password"})
    assert token.status_code == 200, token.text
    headers = {"Authorization": "Bearer " + token.json()["access_token"]}
    assert _status(network, "monitoring", "/v1/cases", headers) == 200
    network.call("POST", "partners", f"/v1/partners/{partner['id']}/users/{user['id']}/deactivate", 200,
                 role="admin", json={})
    assert _status(network, "partners", "/v1/partner-users/me", headers) == 401
    took = _until_refused(network, headers)
    print(f"\nmonitoring refused the deactivated person's token {took:.2f} s after the deactivation")
    assert took < 5
