"""Revoking a partner's access ends its tokens at once, in every service (issue 22, item 3).

A partner's access token lives up to 15 minutes and each service verifies it offline. Revoking a credential,
deactivating the organisation or one of its people records the revocation at partners (whose verifier refuses
those tokens at once) and sends `partner.access_revoked.v1`, after which monitoring refuses them too.
"""
from __future__ import annotations

import pytest

from services.monitoring.api import create_app as monitoring_app
from services.monitoring.bootstrap import MonitoringService
from services.partners.api import create_app as partners_app
from services.partners.bootstrap import PartnersService
from services.partners.documents import Revocation
from shared.events import Envelope
from shared.revocations import Revocations
from tests.unit.partners.people_setup import PASSWORD, People


class Network:
    """Partners and monitoring on in-memory stores, partners' outbox delivered to monitoring's dispatcher."""

    def __init__(self, build, auth, clock, publisher):
        self.partners_service = build(PartnersService, "partners")
        self.monitoring_service = build(MonitoringService, "monitoring")
        self.partners = partners_app(service=self.partners_service).test_client()
        self.monitoring = monitoring_app(service=self.monitoring_service).test_client()
        self.publisher, self.admin = publisher, auth("admin")
        self.people = People(self.partners, self.partners_service, auth, clock)
        self.org = self.people.own

    def flow(self) -> int:
        """Publish partners' outbox and hand every event to monitoring, as its consumer would; how many."""
        self.partners_service.relay.run_once(sweep=True)
        sent, self.publisher.sent[:] = list(self.publisher.sent), []
        for _topic, _key, value, _headers in sent:
            self.monitoring_service.background.consumer.dispatch(Envelope.from_bytes(value))
        return len(sent)

    def credential(self, org: str | None = None) -> str:
        return self.partners.post(f"/v1/partners/{org or self.org}/credentials", headers=self.admin).json

    def token(self, credential: dict) -> dict:
        answer = self.partners.post("/v1/oauth/token", data={
            "grant_type": "client_credentials", "client_id": credential["client_id"],
            "client_secret": credential["client_secret"]})
        assert answer.status_code == 200, answer.json
        return {"Authorization": "Bearer " + answer.json["access_token"]}

    def works(self, headers: dict) -> dict:
        """What each service answers the token: partners' handovers and monitoring's cases."""
        return {"partners": self.partners.get("/v1/handovers", headers=headers).status_code,
                "monitoring": self.monitoring.get("/v1/cases", headers=headers).status_code}


ALLOWED = {"partners": 200, "monitoring": 200}
REFUSED = {"partners": 401, "monitoring": 401}


@pytest.fixture
def net(build, auth, clock, publisher):
    return Network(build, auth, clock, publisher)


class TestARevokedCredential:
    def test_its_token_ends_at_partners_at_once_and_at_monitoring_with_the_event(self, net):
        credential = net.credential()
        headers = net.token(credential)
        assert net.works(headers) == ALLOWED
        assert net.partners.delete(f"/v1/partners/{net.org}/credentials/{credential['client_id']}",
                                   headers=net.admin).status_code == 204
        assert net.works(headers) == {"partners": 401, "monitoring": 200}  # the event is on its way
        answer = net.partners.get("/v1/handovers", headers=headers)
        assert answer.json["detail"] == "token revoked" and "invalid_token" in answer.headers["WWW-Authenticate"]
        assert net.flow() == 1
        assert net.works(headers) == REFUSED

    def test_the_organisations_other_credentials_keep_working(self, net):
        kept, revoked = net.credential(), net.credential()
        kept_headers, revoked_headers = net.token(kept), net.token(revoked)
        net.partners.delete(f"/v1/partners/{net.org}/credentials/{revoked['client_id']}", headers=net.admin)
        net.flow()
        assert net.works(revoked_headers) == REFUSED
        assert net.works(kept_headers) == ALLOWED

    def test_revoking_all_ends_every_token_of_them(self, net):
        tokens = [net.token(net.credential()) for _ in range(2)]
        assert net.partners.delete(f"/v1/partners/{net.org}/credentials", headers=net.admin).status_code == 204
        net.flow()
        assert [net.works(t) for t in tokens] == [REFUSED, REFUSED]


class TestADeactivatedOrganisation:
    def test_every_token_of_it_ends_its_credentials_and_its_peoples(self, net):
        net.people.person(net.org, "ada")
        person, client = net.people.headers("ada"), net.token(net.credential())
        other = net.token(net.credential(net.people.other))
        assert net.partners.patch(f"/v1/partners/{net.org}", json={"active": False},
                                  headers=net.admin).status_code == 200
        net.flow()
        assert [net.works(person), net.works(client)] == [REFUSED, REFUSED]
        assert net.works(other) == ALLOWED  # another organisation's

    def test_reactivated_it_gets_new_tokens_that_work(self, net):
        credential = net.credential()
        old = net.token(credential)
        net.partners.patch(f"/v1/partners/{net.org}", json={"active": False}, headers=net.admin)
        net.partners.patch(f"/v1/partners/{net.org}", json={"active": True}, headers=net.admin)
        net.flow()
        assert net.works(old) == REFUSED
        assert net.works(net.token(credential)) == ALLOWED


class TestADeactivatedPerson:
    def test_its_token_ends_everywhere_and_the_others_keep_theirs(self, net):
        net.people.person(net.org, "ada")
        net.people.person(net.org, "bea")
        ada, bea = net.people.headers("ada"), net.people.headers("bea")
        ada_id = net.partners.get("/v1/partner-users/me", headers=ada).json["id"]
        assert net.partners.post(f"/v1/partners/{net.org}/users/{ada_id}/deactivate", json={},
                                 headers=net.admin).status_code == 200
        assert net.partners.get("/v1/partner-users/me", headers=ada).status_code == 401
        net.flow()
        assert net.works(ada) == REFUSED
        assert net.works(bea) == ALLOWED

    def test_reactivated_it_signs_in_again_and_its_new_token_works(self, net):
        user = net.people.person(net.org, "ada")
        old = net.people.headers("ada")
        for action in ("deactivate", "activate"):
            net.partners.post(f"/v1/partners/{net.org}/users/{user['id']}/{action}", json={}, headers=net.admin)
        net.flow()
        assert net.works(old) == REFUSED
        assert net.works(net.people.headers("ada", PASSWORD)) == ALLOWED

    def test_a_new_password_ends_the_old_tokens_too(self, net):
        user = net.people.person(net.org, "ada")
        old = net.people.headers("ada")
        code = net.partners.post(f"/v1/partners/{net.org}/users/{user['id']}/invitation", json={},
                                 headers=net.admin).json["invite_code"]
        net.people.redeem(code, "another correct horse")
        net.flow()
        assert net.works(old) == REFUSED
        assert net.works(net.people.headers("ada", "another correct horse")) == ALLOWED


class TestHowFast:
    def test_another_process_of_the_service_refuses_within_the_refresh_interval(self, net):
        """A second process (another gunicorn worker) reads the revocations from the store at most once per
        REVOCATION_REFRESH_SECONDS; the process that recorded one refuses at once."""
        now = [1_000_000.0]
        other_process = Revocations(Revocation, refresh_seconds=1.0, clock=lambda: now[0])
        credential = net.credential()
        headers = net.token(credential)
        principal = net.partners_service.verifier.verify(headers["Authorization"].split()[1])
        assert not other_process.ended(principal)  # read once: nothing revoked
        net.partners.delete(f"/v1/partners/{net.org}/credentials/{credential['client_id']}", headers=net.admin)
        assert not other_process.ended(principal)  # as of its last read
        now[0] += 1.0
        assert other_process.ended(principal)

    def test_staff_tokens_are_never_looked_up(self, net, auth):
        net.partners.patch(f"/v1/partners/{net.org}", json={"active": False}, headers=net.admin)
        net.flow()
        assert net.monitoring.get("/v1/cases", headers=auth("consultant", org=net.org)).status_code == 200
