"""Partner organisations with people, for the tests of partner users and their tokens.

`people` gives two organisations (`own`, `other`) on one partners app and helpers that go through
the HTTP API as a person would: an administrator creates a user, the person redeems the invitation
and signs in with the password grant.
"""
from __future__ import annotations

import pytest

from services.partners.api import create_app
from services.partners.bootstrap import PartnersService

PASSWORD = "correct horse battery"
FIELD_SITE, STRANGER = "198.51.100.20", "203.0.113.7"


class People:
    def __init__(self, client, service, auth, clock):
        self.client, self.service, self.auth, self.clock = client, service, auth, clock
        self.admin = auth("admin")
        self.own = self.add_partner("Own")
        self.other = self.add_partner("Other")

    def add_partner(self, name: str) -> str:
        return self.client.post("/v1/partners", json={"name": name, "countries": ["NG"]}, headers=self.admin).json["id"]

    def create(self, org: str, username: str, role: str = "field_worker", headers=None, expect: int = 201, **extra):
        response = self.client.post(f"/v1/partners/{org}/users", headers=headers or self.admin,
                                    json={"username": username, "display_name": f"Person {username}", "role": role,
                                          "email": f"{username}@partner.example", **extra})
        assert response.status_code == expect, response.json
        return response.json

    def redeem(self, code: str, password: str = PASSWORD, expect: int = 200):
        response = self.client.post("/v1/partner-users/invitations/redeem", json={"code": code, "password": password})
        assert response.status_code == expect, response.json
        return response.json

    def person(self, org: str, username: str, role: str = "field_worker", password: str = PASSWORD) -> dict:
        """A user who redeemed the invitation: its record and the password."""
        created = self.create(org, username, role)
        self.redeem(created["invite_code"], password)
        return created

    def sign_in(self, username: str, password: str = PASSWORD, address: str = FIELD_SITE):
        return self.client.post("/v1/oauth/token", environ_base={"REMOTE_ADDR": address}, data={
            "grant_type": "password", "username": username, "password": password})

    def refresh(self, refresh_token: str, address: str = FIELD_SITE):
        return self.client.post("/v1/oauth/token", environ_base={"REMOTE_ADDR": address}, data={
            "grant_type": "refresh_token", "refresh_token": refresh_token})

    def headers(self, username: str, password: str = PASSWORD) -> dict:
        answer = self.sign_in(username, password)
        assert answer.status_code == 200, answer.json
        return {"Authorization": "Bearer " + answer.json["access_token"]}


@pytest.fixture
def people(build, auth, clock) -> People:
    service = build(PartnersService, "partners")
    return People(create_app(service=service).test_client(), service, auth, clock)
