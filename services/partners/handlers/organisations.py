"""Organisations, their API credentials and the token they exchange for them (administrators, partners' software)."""
from __future__ import annotations


from ulid import ULID

from services.partners import domain
from shared.errors import NotFound
from services.partners.handlers.common import Deps, InvalidClient, NO_PARTNER

def register_partner(deps: Deps, data: dict) -> dict:
    """Create a partner organisation."""
    now = deps.clock.now()
    return deps.repo.add_partner({"_id": "prt_" + str(ULID()), **data, "active": True, "created_at": now,
                                  "updated_at": now})


def get_partner(deps: Deps, partner_id: str) -> dict:
    """A partner organisation (404 when unknown)."""
    partner = deps.repo.get_partner(partner_id)
    if partner is None:
        raise NotFound(NO_PARTNER)
    return partner


def list_partners(deps: Deps, country: str | None, limit: int, cursor: str | None) -> dict:
    """One page of partner organisations, optionally only those serving `country`."""
    return deps.repo.partners_page(country, limit, cursor)


def update_partner(deps: Deps, partner_id: str, changes: dict) -> dict:
    """Change a partner organisation's details."""
    partner = deps.repo.update_partner(partner_id, {**changes, "updated_at": deps.clock.now()})
    if partner is None:
        raise NotFound(NO_PARTNER)
    if changes.get("active") is False and deps.access is not None:
        deps.access.organisation(partner_id)  # its tokens end now, everywhere, not in up to 15 minutes
    return partner


def list_credentials(deps: Deps, partner_id: str) -> list[dict]:
    """A partner's client ids, oldest first (never the secrets)."""
    get_partner(deps, partner_id)
    return deps.repo.credentials_of(partner_id)


def issue_credentials(deps: Deps, partner_id: str) -> dict:
    """New client credentials; the secret is returned once and stored only as a hash."""
    get_partner(deps, partner_id)
    fresh = domain.new_client_secret()
    now = deps.clock.now()
    deps.repo.add_credential({"_id": fresh.client_id, "partner_id": partner_id, "secret_hash": fresh.hashed,
                              "created_at": now})
    return {"client_id": fresh.client_id, "client_secret": fresh.secret, "partner_id": partner_id,
            "created_at": now, "revoked_at": None}


def revoke_credentials(deps: Deps, partner_id: str, client_id: str) -> None:
    """Revoke a client id: its secret stops working at once, and so do the tokens issued with it."""
    if not deps.repo.revoke_credential(partner_id, client_id, deps.clock.now()):
        raise NotFound("No such credentials for this partner organisation.")
    if deps.access is not None:
        deps.access.subjects(partner_id, [client_id])


def revoke_all_credentials(deps: Deps, partner_id: str) -> int:
    """Revoke every client id of a partner organisation (e.g. after a leak), and end their tokens; returns how many."""
    get_partner(deps, partner_id)
    live = [c["_id"] for c in deps.repo.credentials_of(partner_id) if not c.get("revoked_at")]
    revoked = deps.repo.revoke_all_credentials(partner_id, deps.clock.now())
    if deps.access is not None:
        deps.access.subjects(partner_id, live)
    return revoked


def exchange_token(deps: Deps, client_id: str, client_secret: str) -> dict:
    """OAuth2 client credentials grant: a short-lived JWT for the partner's organisation."""
    cred = deps.repo.credential(client_id)
    # the secret is checked whether or not the client id exists or is revoked: the same answer after the same work
    right = domain.secret_matches(client_secret, cred["secret_hash"] if cred else domain.dummy_secret_hash())
    if cred is None or not right or cred.get("revoked_at"):
        raise InvalidClient("Unknown client or wrong secret.")
    partner = deps.repo.get_partner(cred["partner_id"])
    if partner is None or not partner.get("active", True):
        raise InvalidClient("The partner organisation is not active.")
    scope = "handovers checkins"
    token, ttl = deps.issuer.issue(client_id, "partner", org=partner["_id"], scope=scope)
    return {"access_token": token, "token_type": "Bearer", "expires_in": ttl, "scope": scope}
