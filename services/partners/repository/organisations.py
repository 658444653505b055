"""Partner organisations and their API client credentials."""
from __future__ import annotations

from abc import ABC, abstractmethod
from datetime import datetime

from services.partners.documents import Credential, Partner
from services.partners.repository.common import PARTNER_FIELDS, present, set_changes
from services.partners.shapes import partner_to_dict
from shared.store import page

WEBHOOK_STATE = ("failing_since", "paused_at")  # kept when the URL or the secret changes


class AbstractOrganisations(ABC):
    @abstractmethod
    def add_partner(self, partner: dict) -> dict: ...
    @abstractmethod
    def get_partner(self, partner_id: str) -> dict | None: ...
    @abstractmethod
    def update_partner(self, partner_id: str, changes: dict) -> dict | None: ...
    @abstractmethod
    def partners_page(self, country: str | None, limit: int, cursor: str | None) -> dict: ...
    @abstractmethod
    def set_webhook(self, partner_id: str, webhook: dict) -> dict | None: ...
    @abstractmethod
    def remove_webhook(self, partner_id: str) -> bool: ...


    @abstractmethod
    def add_credential(self, credential: dict) -> None: ...
    @abstractmethod
    def credential(self, client_id: str) -> dict | None: ...
    @abstractmethod
    def credentials_of(self, partner_id: str) -> list[dict]: ...
    @abstractmethod
    def revoke_credential(self, partner_id: str, client_id: str, now: datetime) -> bool: ...
    @abstractmethod
    def revoke_all_credentials(self, partner_id: str, now: datetime) -> int: ...


class Organisations(AbstractOrganisations):
    # --- organisations ---------------------------------------------------------------------------
    def add_partner(self, partner: dict) -> dict:
        Partner(id=partner["_id"], **present(partner, PARTNER_FIELDS)).save(force_insert=True)
        return partner

    def get_partner(self, partner_id: str) -> dict | None:
        return Partner.objects(id=partner_id).as_pymongo().first()

    def update_partner(self, partner_id: str, changes: dict) -> dict | None:
        if not Partner.objects(id=partner_id).update_one(__raw__=set_changes(changes)):
            return None
        return self.get_partner(partner_id)

    def partners_page(self, country: str | None, limit: int, cursor: str | None) -> dict:
        query = Partner.objects(countries=country) if country else Partner.objects
        return page(query.exclude("webhook", "outbox", "seen_events"), limit, cursor, partner_to_dict)

    def set_webhook(self, partner_id: str, webhook: dict) -> dict | None:
        """Replace the URL and secrets, keeping the endpoint's failure and pause state; returns the
        webhook as it was before (None when the partner is unknown; {} when it had none)."""
        before = Partner.objects(id=partner_id).only("webhook").as_pymongo().first()
        if before is None:
            return None
        kept = {k: v for k, v in (before.get("webhook") or {}).items() if k in WEBHOOK_STATE}
        Partner.objects(id=partner_id).update_one(set__webhook={**webhook, **kept})
        return before.get("webhook") or {}

    def remove_webhook(self, partner_id: str) -> bool:
        return Partner.objects(id=partner_id).update_one(unset__webhook=True) == 1

    # --- credentials -----------------------------------------------------------------------------
    def add_credential(self, credential: dict) -> None:
        Credential(id=credential["_id"], partner_id=credential["partner_id"], secret_hash=credential["secret_hash"],
                   created_at=credential["created_at"]).save(force_insert=True)

    def credential(self, client_id: str) -> dict | None:
        """By primary key only: anything but a plain string (an operator object, a list) finds nothing."""
        if type(client_id) is not str or not client_id:  # noqa: E721 - exactly str, never a subclass
            return None
        return Credential.objects(id=client_id).as_pymongo().first()

    def credentials_of(self, partner_id: str) -> list[dict]:
        return list(Credential.objects(partner_id=partner_id).order_by("created_at").as_pymongo())

    def revoke_credential(self, partner_id: str, client_id: str, now: datetime) -> bool:
        """Revoke (once; revoking again keeps the first time). False when the partner has no such client id."""
        if Credential.objects(id=client_id, partner_id=partner_id, revoked_at=None).update_one(set__revoked_at=now):
            return True
        return Credential.objects(id=client_id, partner_id=partner_id).as_pymongo().first() is not None

    def revoke_all_credentials(self, partner_id: str, now: datetime) -> int:
        return Credential.objects(partner_id=partner_id, revoked_at=None).update(set__revoked_at=now)

