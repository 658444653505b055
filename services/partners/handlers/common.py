"""What every partners use case needs: its dependencies, and how a handover's event and webhook are made."""
from __future__ import annotations

from datetime import timedelta


from services.partners import keys, webhooks
from services.partners.events import (build_event)
from services.partners.repository import AbstractPartnersRepository
from services.partners.targets import SystemResolver, TargetPolicy
from shared.auth import TokenIssuer
from shared.errors import DomainError
from shared.events import Envelope
from shared.texts import Text

NO_PARTNER = Text("No such partner organisation.")


class InvalidClient(DomainError):
    """Unknown client, wrong secret or inactive organisation (OAuth `invalid_client`)."""

    status = 401


class Deps:
    """What the handlers need; built by bootstrap, replaced piecemeal in tests."""

    def __init__(self, repo: AbstractPartnersRepository, clock, issuer: TokenIssuer | None,
                 key_source: keys.AbstractKeySource, targets: TargetPolicy | None = None,
                 secret_overlap: timedelta = timedelta(hours=24), access=None, mail=None, shared_files=None):
        self.repo = repo
        self.clock = clock
        self.issuer = issuer
        self.key_source = key_source
        self.targets = targets or TargetPolicy(SystemResolver())  # where webhooks may go
        self.secret_overlap = secret_overlap  # how long a rotated webhook secret still signs
        self.access = access  # services.partners.access.AccessEnds: tokens that end before their expiry
        self.mail = mail  # services.partners.mail.PartnerMail: mails to the partner's people (None: no mail)
        self.shared_files = shared_files  # services.partners.shared_items: shared documents' bytes, from intake


def _event(deps: Deps, type_: str, handover: dict, **data) -> Envelope:
    payload = {"handover_id": handover["_id"], "returnee_id": handover["returnee_id"],
               "partner_id": handover["partner_id"], **data}
    return build_event(type_, handover["returnee_id"], payload, deps.clock.now())


def _webhook(deps: Deps, type_: str, handover: dict, **extra) -> dict | None:
    """The webhook message to queue for the handover's partner; None when it has no webhook."""
    if not webhooks.configured(deps.repo.get_partner(handover["partner_id"])):
        return None
    return webhooks.message(type_, handover, deps.clock.now(), **extra)
