"""The composition root of the partners service: the only place that reads config and builds adapters."""
from __future__ import annotations

import os

from services.partners.handlers import HANDLERS, Deps, expire_stale_offers, open_sealed_personal
from services.partners.keys import AbstractKeySource, IntakeKeySource
from services.partners.repository import PartnersRepository
from services.partners.webhooks import AbstractPartnerNotifier, WebhookNotifier, WebhookRelay
from shared import topics
from shared.auth import TokenIssuer, load_private_key
from shared.config import Settings, env_float, env_int
from shared.kafka import dispatcher
from shared.runtime import Infrastructure


class PartnersService:
    def __init__(self, settings: Settings | None = None, clock=None, db=None, publisher=None,
                 notifier: AbstractPartnerNotifier | None = None, key_source: AbstractKeySource | None = None,
                 intake_url: str | None = None):
        self.settings = settings or Settings.from_env("partners")
        self.infra = Infrastructure(self.settings, clock=clock, db=db, publisher=publisher)
        self.issuer = None  # a worker without the signing key issues no tokens and needs none
        if self.settings.jwt_signing_key_file:
            key = load_private_key(self.settings.jwt_signing_key_file, create_dev_key=not self.settings.production)
            self.issuer = TokenIssuer(key, self.settings.jwt_issuer, self.settings.token_ttl_seconds)
        self.public_keys = self.infra.public_keys
        self.repo = PartnersRepository(self.infra.db)
        intake_url = intake_url or os.environ.get("INTAKE_URL", "http://127.0.0.1:8001")
        key_source = key_source or IntakeKeySource(intake_url, self.issuer)
        self.deps = Deps(self.repo, self.infra.clock, self.issuer, key_source)
        self.offer_expiry_days = env_int("HANDOVER_EXPIRY_DAYS", 14)
        self.webhooks = WebhookRelay(self.repo, self.infra.clock, notifier or WebhookNotifier())
        self.infra.wire([self.repo.handovers], [topics.RETURNEES, topics.MONITORING],  # MONITORING: reminders
                        dispatcher(HANDLERS, self.deps),
                        periodic=[("webhooks", env_float("WEBHOOK_INTERVAL_SECONDS", 1.0), self.webhooks.tick),
                                  ("handover-expiry", self.settings.scheduler_interval_seconds, self.expire_offers),
                                  ("open-sealed", self.settings.scheduler_interval_seconds,
                                   lambda: open_sealed_personal(self.deps))])

    def expire_offers(self) -> None:
        """Expire offers left unanswered for HANDOVER_EXPIRY_DAYS (default 14)."""
        expire_stale_offers(self.deps, self.offer_expiry_days)


def bootstrap(**overrides) -> PartnersService:
    return PartnersService(**overrides)
