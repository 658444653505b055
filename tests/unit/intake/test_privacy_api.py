"""Intake's privacy endpoints: the chain partner summary that consent gates, and the export's honesty
when another service cannot answer."""
from __future__ import annotations

import pytest

from services.intake.api import create_app
from services.intake.bootstrap import IntakeService
from services.intake.subjects import AbstractSubjectSources, SubjectUnavailable


class DownSources(AbstractSubjectSources):
    def held_by(self, service, returnee_id):
        if service == "partners":
            raise SubjectUnavailable("partners answered 503")
        return {"service": service, "returnee_id": returnee_id, "case": None, "audit": []}


@pytest.fixture
def intake(build, auth):
    service = build(IntakeService, "intake", subject_sources=DownSources())
    return create_app(service=service).test_client(), service, auth


def register(client, headers, chain: bool):
    body = {"given_name": "Yonas", "family_name": "Tesfaye", "country_of_return": "ET",
            "consent": {"share_with_partner": True, "share_outcomes_with_chain_partners": chain,
                        "given_on": "2026-01-05"}}
    return client.post("/v1/returnees", json=body, headers=headers).json["id"]


class TestChainPartnerSummary:
    def test_with_consent_a_named_chain_partner_gets_outcomes_without_names(self, intake):
        client, _, auth = intake
        rid = register(client, auth("consultant"), chain=True)
        response = client.get(f"/v1/returnees/{rid}/chain-partner-summary?chain_partner=IOM",
                              headers=auth("consultant"))
        assert response.status_code == 200
        assert response.json["chain_partner"] == "IOM" and response.json["status"] == "registered"
        assert "Yonas" not in response.get_data(as_text=True)

    def test_without_consent_it_is_403_and_the_attempt_is_in_the_audit_log(self, intake):
        client, _, auth = intake
        rid = register(client, auth("consultant"), chain=False)
        response = client.get(f"/v1/returnees/{rid}/chain-partner-summary?chain_partner=IOM",
                              headers=auth("consultant"))
        assert response.status_code == 403
        log = client.get(f"/v1/audit?returnee_id={rid}", headers=auth("admin")).json["items"]
        assert [(e["resource_id"], e["status"]) for e in log][-1] == ("chain-partner:IOM", 403)

    def test_an_unknown_chain_partner_is_422(self, intake):
        client, _, auth = intake
        rid = register(client, auth("consultant"), chain=True)
        response = client.get(f"/v1/returnees/{rid}/chain-partner-summary?chain_partner=Someone",
                              headers=auth("consultant"))
        assert response.status_code == 422 and "chain_partner" in response.json["errors"]


class TestExport:
    def test_a_service_that_cannot_answer_makes_the_export_say_it_is_incomplete(self, intake):
        client, _, auth = intake
        rid = register(client, auth("consultant"), chain=False)
        export = client.get(f"/v1/returnees/{rid}/export", headers=auth("admin")).json
        assert export["complete"] is False and export["services"]["partners"]["unavailable"]
        assert export["services"]["intake"]["returnee"]["given_name"] == "Yonas"

    def test_the_audit_log_needs_one_filter(self, intake):
        client, _, auth = intake
        assert client.get("/v1/audit", headers=auth("admin")).status_code == 422
