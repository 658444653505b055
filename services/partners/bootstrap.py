"""The composition root of the partners service: the only place that reads config and builds adapters."""
from __future__ import annotations

import os
from datetime import timedelta

from services.partners.access import AccessEnds
from services.partners.handlers import HANDLERS, Deps, expire_stale_offers, open_sealed_personal
from services.partners.retention import DEFAULT_PARTNER_RETENTION_DAYS, delete_expired_copies
from services.partners.keys import AbstractKeySource, IntakeKeySource
from services.partners.people import People
from services.partners.people_repository import PeopleRepository
from services.partners.repository import PartnersRepository
from services.partners.targets import AbstractResolver, SystemResolver, TargetPolicy
from services.partners.throttle import TokenThrottle
from services.partners.webhooks import AbstractPartnerNotifier, WebhookNotifier, WebhookRelay
from services.partners.documents import ALIAS, AuditEntry, Handover, IdempotencyKey, Partner, Revocation
from shared import topics
from shared import logs, store
from shared.audit import AuditLog
from shared.auth import TokenIssuer, load_private_key, trusted_public_keys, verifier_for
from shared.background import Background, housekeeping
from shared.clock import SystemClock
from shared.http import Runtime, service_runtime
from shared.idempotency import IdempotencyStore
from shared.kafka import Publisher, dispatcher
from shared.outbox import OutboxRelay
from shared.revocations import Revocations
from shared.config import ConfigError, Settings, env_float, env_int

ALLOW_PRIVATE_TARGETS = "WEBHOOK_ALLOW_PRIVATE_TARGETS"


def target_policy(settings: Settings, resolver: AbstractResolver | None = None, environ=None) -> TargetPolicy:
    """Where webhooks may go: WEBHOOK_ALLOW_PRIVATE_TARGETS=1 lets loopback and private addresses through
    for development and tests, and is refused in production (link-local and metadata never pass)."""
    allow_private = (environ if environ is not None else os.environ).get(ALLOW_PRIVATE_TARGETS, "") == "1"
    if allow_private and settings.production:
        raise ConfigError(f"{ALLOW_PRIVATE_TARGETS}=1 is for development and tests; production refuses it.")
    return TargetPolicy(resolver or SystemResolver(), allow_private=allow_private)


class PartnersService:
    def __init__(self, settings: Settings | None = None, clock=None, publisher=None,
                 notifier: AbstractPartnerNotifier | None = None, key_source: AbstractKeySource | None = None,
                 intake_url: str | None = None, resolver: AbstractResolver | None = None):
        self.settings = settings or Settings.from_env("partners")
        logs.configure()
        self.clock = clock or SystemClock()
        store.connect(self.settings, ALIAS)
        self.publisher = publisher or Publisher(self.settings.kafka_bootstrap_servers, "homeward-partners")
        # the local keys are also what partners publishes as its JWKS
        self.public_keys = trusted_public_keys(self.settings)
        # tokens revoked before their expiry are refused at once (shared.revocations)
        self.revocations = Revocations(Revocation, env_float("REVOCATION_REFRESH_SECONDS", 1.0))
        self.verifier = verifier_for(self.settings, self.public_keys, revoked=self.revocations.ended)
        self.idempotency = IdempotencyStore(IdempotencyKey, self.settings.idempotency_ttl_seconds)
        self.audit = AuditLog(AuditEntry, self.settings.audit_retention_days)
        self.issuer = None  # a worker without the signing key issues no tokens and needs none
        if self.settings.jwt_signing_key_file:
            key = load_private_key(self.settings.jwt_signing_key_file, create_dev_key=not self.settings.production)
            self.issuer = TokenIssuer(key, self.settings.jwt_issuer, self.settings.token_ttl_seconds)
        self.relay = OutboxRelay([Handover, Partner], self.publisher, sweep_seconds=self.settings.outbox_sweep_seconds)
        self.repo = PartnersRepository(notify=self.relay.notify)
        intake_url = intake_url or os.environ.get("INTAKE_URL", "http://127.0.0.1:8001")
        key_source = key_source or IntakeKeySource(intake_url, self.issuer)
        targets = target_policy(self.settings, resolver)
        self.access = AccessEnds(self.revocations, self.repo, self.clock)
        self.deps = Deps(self.repo, self.clock, self.issuer, key_source, targets,
                         secret_overlap=timedelta(hours=env_float("WEBHOOK_SECRET_OVERLAP_HOURS", 24)),
                         access=self.access)
        self.token_throttle = TokenThrottle(self.clock)
        self.people = People(PeopleRepository(), self.repo, self.clock, self.issuer,  # an organisation's people
                             access=self.access)
        self.people_throttle = TokenThrottle(self.clock, spread_limit=False)  # passwords and invitation codes
        # X-Forwarded-For is anyone's to write: honoured only behind this many known proxies (0: never)
        self.trusted_proxy_hops = env_int("TRUSTED_PROXY_HOPS", 0)
        self.public_url = os.environ.get("PARTNERS_PUBLIC_URL", "").rstrip("/")  # the OAuth issuer (RFC 8414)
        self.offer_expiry_days = env_int("HANDOVER_EXPIRY_DAYS", 14)
        self.partner_retention_days = env_int("PARTNER_RETENTION_DAYS", DEFAULT_PARTNER_RETENTION_DAYS)
        self.webhooks = WebhookRelay(self.repo, self.clock, notifier or WebhookNotifier(targets),
                                     sweep_seconds=self.settings.outbox_sweep_seconds,
                                     workers=env_int("WEBHOOK_WORKERS", 8),
                                     pause_after=timedelta(hours=env_float("WEBHOOK_PAUSE_AFTER_HOURS", 24)))
        self.background = Background(
            self.settings, self.publisher, self.relay, [topics.RETURNEES, topics.MONITORING],  # MONITORING: reminders
            dispatcher(HANDLERS, self.deps),
            periodic=[housekeeping(self.settings, self.idempotency, self.audit),
                      ("webhooks", env_float("WEBHOOK_INTERVAL_SECONDS", 1.0), self.webhooks.tick),
                      ("handover-expiry", self.settings.scheduler_interval_seconds, self.expire_offers),
                      ("open-sealed", self.settings.scheduler_interval_seconds, lambda: open_sealed_personal(self.deps)),
                      ("copy-retention", self.settings.housekeeping_interval_seconds, self.expire_copies),
                      ("partner-sessions", self.settings.housekeeping_interval_seconds,
                       self.people.forget_expired_sessions)])

    def runtime(self) -> Runtime:
        return service_runtime(self, ALIAS)

    def expire_copies(self) -> int:
        """Delete the personal data of copies PARTNER_RETENTION_DAYS after monitoring ended (retention)."""
        return delete_expired_copies(self.deps, self.partner_retention_days)

    def expire_offers(self) -> None:
        """Expire offers left unanswered for HANDOVER_EXPIRY_DAYS (default 14)."""
        expire_stale_offers(self.deps, self.offer_expiry_days)


def bootstrap(**overrides) -> PartnersService:
    return PartnersService(**overrides)
