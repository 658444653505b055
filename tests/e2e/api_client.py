"""Helpers for e2e tests: HTTP calls that assert their status code, and waits for async effects."""
from __future__ import annotations

import itertools
from datetime import date

import requests

from tests.helpers import eventually

_seq = itertools.count(1)
SUBJECTS = {"consultant": "web:e2e.consultant"}


class Network:
    def __init__(self, urls: dict, issuer, clock, services: dict):
        self.urls = urls
        self.issuer = issuer
        self.clock = clock
        self.services = services
        # the consultant's calls are the web's e2e.consultant's (conftest `staff`): the clients they register are theirs
        self.staff = {role: {"Authorization": "Bearer " + issuer.issue(SUBJECTS.get(role, f"e2e-{role}"), role, ttl=3600)[0]}
                      for role in ("consultant", "project_lead", "admin")}

    def call(self, method: str, service: str, path: str, expect: int, headers=None, role="consultant", **kwargs):
        if headers is None and role == "consultant" and service == "monitoring" and path.startswith("/v1/cases/"):
            role = "admin"  # the harness reads a case whoever follows the client (need-to-know: shared/access.py)
        headers = headers if headers is not None else self.staff[role]
        response = requests.request(method, self.urls[service] + path, headers=headers, timeout=30, **kwargs)
        assert response.status_code == expect, f"{method} {path}: {response.status_code} {response.text}"
        return response.json() if response.content else None

    # --- partners ---------------------------------------------------------------------------------
    def add_partner(self, country: str, name: str | None = None) -> dict:
        partner = self.call("POST", "partners", "/v1/partners", 201, role="admin",
                            json={"name": name or f"Partner {country} {next(_seq)}", "countries": [country],
                                  "services": ["housing", "business", "medical"]})
        cred = self.call("POST", "partners", f"/v1/partners/{partner['id']}/credentials", 201, role="admin")
        token = requests.post(self.urls["partners"] + "/v1/oauth/token", timeout=10, data={
            "grant_type": "client_credentials", "client_id": cred["client_id"],
            "client_secret": cred["client_secret"]})
        assert token.status_code == 200, token.text
        partner["headers"] = {"Authorization": "Bearer " + token.json()["access_token"]}
        return partner

    def wait_handover(self, partner: dict, returnee_id: str, status: str = "offered") -> dict:
        def find():
            page = self.call("GET", "partners", f"/v1/handovers?returnee_id={returnee_id}", 200,
                             headers=partner["headers"])
            return next((h for h in page["items"] if h["status"] == status), None)

        return eventually(find, message=f"{status} handover for {returnee_id}")

    # --- intake -----------------------------------------------------------------------------------
    def register(self, country: str = "NG", consent: bool = True, **fields) -> dict:
        body = {"client_ref": f"VWN-{next(_seq)}", "given_name": "Amina", "family_name": "Okafor",
                "date_of_birth": "1990-04-02", "gender": "female", "nationality": country,
                "country_of_return": country, "languages": ["en"], "household": {"adults": 1, "minors": 0},
                "vulnerabilities": ["single_parent"],
                "reintegration_plan": {"goals": {"economic": "Start a tailoring business"},
                                       "planned_support": [{"type": "business", "description": "sewing machine",
                                                            "budget_eur": 1200}]}, **fields}
        if consent:
            body["consent"] = {"share_with_partner": True, "share_outcomes_with_chain_partners": True,
                               "given_on": date.today().isoformat()}
        return self.call("POST", "intake", "/v1/returnees", 201, json=body)

    def returnee(self, returnee_id: str, role: str = "admin") -> dict:
        """The returnee as stored, read as an administrator (who reads every client, whoever follows it)."""
        return self.call("GET", "intake", f"/v1/returnees/{returnee_id}", 200, role=role)

    def wait_status(self, returnee_id: str, status: str) -> dict:
        return eventually(lambda: (r := self.returnee(returnee_id))["status"] == status and r,
                          message=f"returnee {returnee_id} {status}")

    def arrive(self, partner: dict, returnee_id: str, arrived_on: date | None = None, depart: bool = True) -> dict:
        """Handover, acceptance, departure (unless not `depart`) and arrival: the returnee ends up in monitoring.
        Intake's steps are an administrator's, who reads every client whoever follows it (need-to-know)."""
        self.call("POST", "intake", f"/v1/returnees/{returnee_id}/handover", 202, json={"partner_id": partner["id"]},
                  role="admin")
        handover = self.wait_handover(partner, returnee_id)
        self.call("POST", "partners", f"/v1/handovers/{handover['id']}/accept", 200, headers=partner["headers"])
        self.wait_status(returnee_id, "handover_accepted")
        day = arrived_on or self.clock.today()
        if depart:
            self.call("POST", "intake", f"/v1/returnees/{returnee_id}/departure", 200,
                      json={"departed_on": day.isoformat()}, role="admin")
        self.call("POST", "partners", f"/v1/handovers/{handover['id']}/arrival", 200, headers=partner["headers"],
                  json={"arrived_on": day.isoformat()})
        self.wait_status(returnee_id, "arrived")
        eventually(lambda: self._case_exists(returnee_id), message="monitoring case")
        return handover

    def _case_exists(self, returnee_id: str) -> bool:
        response = requests.get(f"{self.urls['monitoring']}/v1/cases/{returnee_id}", headers=self.staff["admin"],
                                timeout=10)
        return response.status_code == 200 and response.json()["state"] == "active"
