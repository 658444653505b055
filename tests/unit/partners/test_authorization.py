"""Every partner endpoint: no token, expired token, another organisation, staff-only routes."""
from __future__ import annotations

import pytest

from services.partners.api import create_app
from services.partners.bootstrap import PartnersService
from services.partners.handlers import offer_handover
from shared.events import new_event

RTN, HND = "rtn_01JRETVRNEE000000000000001", "hnd_01JHAND0VER000000000000001"


@pytest.fixture
def partners(build, auth, clock):
    service = build(PartnersService, "partners")
    client = create_app(service=service).test_client()
    admin = auth("admin")
    orgs = [client.post("/v1/partners", json={"name": n, "countries": ["NG"]}, headers=admin).json["id"]
            for n in ("Own", "Other")]
    offer_handover(service.deps, new_event("intake", "returnee.handover_requested.v1", RTN, {
        "returnee_id": RTN, "handover_id": HND, "partner_id": orgs[0], "country_of_return": "NG"},
        clock.now()))
    return client, orgs


PARTNER_ROUTES = [
    ("GET", "/v1/handovers", None),
    ("GET", "/v1/handovers/{hnd}", None),
    ("POST", "/v1/handovers/{hnd}/accept", None),
    ("POST", "/v1/handovers/{hnd}/decline", {"reason": "no_capacity"}),
    ("POST", "/v1/handovers/{hnd}/arrival", {"arrived_on": "2026-03-01"}),
]
ADMIN_ROUTES = [
    ("GET", "/v1/partners", None),
    ("GET", "/v1/partners/names", None),
    ("POST", "/v1/partners", {"name": "X", "countries": ["NG"]}),
    ("PATCH", "/v1/partners/{org}", {"name": "Y"}),
    ("GET", "/v1/partners/{org}/credentials", None),
    ("POST", "/v1/partners/{org}/credentials", None),
    ("DELETE", "/v1/partners/{org}/credentials/hw_x", None),
    ("DELETE", "/v1/partners/{org}/credentials", None),
]
OWN_READS = [("GET", "/v1/partners/{org}", None)]  # a partner reads its own organisation (test_partner_reads_itself)


@pytest.mark.parametrize("method,path,body", PARTNER_ROUTES + ADMIN_ROUTES + OWN_READS)
def test_no_token_is_401_in_problem_form(partners, method, path, body):
    client, orgs = partners
    response = client.open(path.format(org=orgs[0], hnd=HND), method=method, json=body)
    assert response.status_code == 401
    assert response.content_type == "application/problem+json"
    assert response.json["status"] == 401


@pytest.mark.parametrize("method,path,body", PARTNER_ROUTES + ADMIN_ROUTES + OWN_READS)
def test_an_expired_token_is_401(partners, auth, method, path, body):
    client, orgs = partners
    expired = auth("partner", org=orgs[0], ttl=-120)
    response = client.open(path.format(org=orgs[0], hnd=HND), method=method, json=body, headers=expired)
    assert response.status_code == 401
    assert "expired" in response.json["detail"]


@pytest.mark.parametrize("ending", ["revoke the credential", "revoke all credentials", "deactivate the organisation"])
def test_a_revoked_token_is_401_on_every_partner_route(partners, auth, ending):
    """Issue 22, item 3: the token of a revoked credential or a deactivated organisation ends at once."""
    client, orgs = partners
    admin = auth("admin")
    credential = client.post(f"/v1/partners/{orgs[0]}/credentials", headers=admin).json
    token = client.post("/v1/oauth/token", data={"grant_type": "client_credentials", "client_id": credential["client_id"],
                                                  "client_secret": credential["client_secret"]}).json["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/v1/handovers", headers=headers).status_code == 200
    if ending == "revoke the credential":
        client.delete(f"/v1/partners/{orgs[0]}/credentials/{credential['client_id']}", headers=admin)
    elif ending == "revoke all credentials":
        client.delete(f"/v1/partners/{orgs[0]}/credentials", headers=admin)
    else:
        client.patch(f"/v1/partners/{orgs[0]}", json={"active": False}, headers=admin)
    for method, path, body in PARTNER_ROUTES + OWN_READS:
        response = client.open(path.format(org=orgs[0], hnd=HND), method=method, json=body, headers=headers)
        assert (response.status_code, response.json["detail"]) == (401, "token revoked"), (method, path)


def test_a_token_signed_by_another_key_is_401(partners):
    from shared.auth import TokenIssuer
    from cryptography.hazmat.primitives.asymmetric import rsa

    stranger = TokenIssuer(rsa.generate_private_key(public_exponent=65537, key_size=2048), "homeward")
    token, _ = stranger.issue("x", "admin")
    client, _ = partners
    assert client.get("/v1/partners", headers={"Authorization": f"Bearer {token}"}).status_code == 401


@pytest.mark.parametrize("method,path,body", PARTNER_ROUTES[1:])
def test_another_organisations_handover_answers_404(partners, auth, method, path, body):
    client, orgs = partners
    response = client.open(path.format(hnd=HND), method=method, json=body, headers=auth("partner", org=orgs[1]))
    assert response.status_code == 404


def test_another_organisation_does_not_see_the_handover_in_its_list(partners, auth):
    client, orgs = partners
    assert client.get("/v1/handovers", headers=auth("partner", org=orgs[1])).json["items"] == []
    own = client.get("/v1/handovers", headers=auth("partner", org=orgs[0])).json["items"]
    assert [h["id"] for h in own] == [HND]


@pytest.mark.parametrize("method,path,body", ADMIN_ROUTES)
def test_staff_only_routes_refuse_partners_with_403(partners, auth, method, path, body):
    client, orgs = partners
    response = client.open(path.format(org=orgs[0], hnd=HND), method=method, json=body,
                           headers=auth("partner", org=orgs[0]))
    assert response.status_code == 403


@pytest.mark.parametrize("method,path,body", PARTNER_ROUTES[2:])
def test_only_partners_answer_handovers(partners, auth, method, path, body):
    client, _ = partners
    assert client.open(path.format(hnd=HND), method=method, json=body,
                       headers=auth("consultant")).status_code == 403


def test_the_own_organisation_can_act(partners, auth, clock):
    client, orgs = partners
    headers = auth("partner", org=orgs[0])
    assert client.post(f"/v1/handovers/{HND}/accept", headers=headers).json["status"] == "accepted"
    again = client.post(f"/v1/handovers/{HND}/accept", headers=headers)
    assert again.status_code == 409
    arrived = client.post(f"/v1/handovers/{HND}/arrival", json={"arrived_on": "2026-03-01"}, headers=headers)
    assert arrived.status_code == 200 and arrived.json["arrived_on"] == "2026-03-01"


@pytest.mark.parametrize("role", ["consultant", "project_lead", "admin"])
def test_every_staff_role_reads_the_organisations_names_and_never_their_contact_person(build, auth, role):
    client = create_app(service=build(PartnersService, "partners")).test_client()
    admin = auth("admin")
    created = client.post("/v1/partners", headers=admin, json={
        "name": "Lagos Desk", "countries": ["NG"], "services": ["housing"],
        "contact": {"name": "Ngozi Contact", "email": "desk@example.org", "phone": "+234 1 000"}}).json
    client.patch(f"/v1/partners/{created['id']}", json={"active": False}, headers=admin)
    client.post("/v1/partners", json={"name": "Addis Desk", "countries": ["ET"]}, headers=admin)

    response = client.get("/v1/partners/names", headers=auth(role))
    assert response.status_code == 200, response.json
    items = {p["name"]: p for p in response.json["items"]}
    assert items["Lagos Desk"] == {"id": created["id"], "name": "Lagos Desk", "countries": ["NG"], "active": False}
    assert set(items) == {"Lagos Desk", "Addis Desk"} and response.json["next_cursor"] is None
    assert "Contact" not in response.get_data(as_text=True) and "example.org" not in response.get_data(as_text=True)
    only_et = client.get("/v1/partners/names?country=ET", headers=auth(role)).json["items"]
    assert [p["name"] for p in only_et] == ["Addis Desk"]


def test_a_project_lead_does_not_read_the_organisations_details(partners, auth):
    client, orgs = partners
    assert client.get("/v1/partners", headers=auth("project_lead")).status_code == 403
    assert client.get(f"/v1/partners/{orgs[0]}", headers=auth("project_lead")).status_code == 403
