"""The composition root of the partners service: the only place that reads config and builds adapters."""
from __future__ import annotations

from datetime import timedelta

from services.partners import domain
from services.partners.access import AccessEnds
from services.partners.config import ALLOW_PRIVATE_TARGETS, PartnersConfig  # noqa: F401 - ALLOW_PRIVATE_TARGETS: the name tests set
from services.partners.handlers import HANDLERS, Deps, expire_stale_offers, open_sealed_personal, warn_expiring_offers
from services.partners.mail import PartnerMail
from services.partners.retention import delete_expired_copies
from services.partners.keys import AbstractKeySource, IntakeKeySource
from services.partners.shared_items import AbstractSharedFiles, IntakeSharedFiles
from services.partners.people import People
from services.partners.people_repository import PeopleRepository
from services.partners.repository import PartnersRepository
from services.partners.targets import AbstractResolver, SystemResolver, TargetPolicy
from services.partners.webhooks import AbstractPartnerNotifier, WebhookNotifier, WebhookRelay
from services.partners.documents import (ALIAS, AuditEntry, Handover, IdempotencyKey, Mail, MailDigestRun, Partner,
                                         Revocation)
from shared import topics
from shared import logs, store
from shared.audit import AuditLog
from shared.auth import TokenIssuer, load_private_key, trusted_public_keys, verifier_for
from shared.background import Background, housekeeping
from shared.clock import SystemClock
from shared.http import Runtime, service_runtime
from shared.idempotency import IdempotencyStore
from shared.kafka import Publisher, dispatcher
from shared.mail.repository import MailRepository
from shared.mail.sender import MailSender
from shared.mail.smtp import AbstractTransport, SmtpTransport
from shared.outbox import OutboxRelay
from shared.passwords import dummy_hash
from shared.revocations import Revocations
from shared.config import Settings
from shared.throttle import GuessThrottle


def target_policy(settings: Settings, resolver: AbstractResolver | None = None, environ=None) -> TargetPolicy:
    """Where webhooks may go: WEBHOOK_ALLOW_PRIVATE_TARGETS=1 lets loopback and private addresses through
    for development and tests, and is refused in production (link-local and metadata never pass)."""
    config = PartnersConfig.from_env(settings, environ)
    return TargetPolicy(resolver or SystemResolver(), allow_private=config.allow_private_targets)


class PartnersService:
    def __init__(self, settings: Settings | None = None, clock=None, publisher=None,
                 notifier: AbstractPartnerNotifier | None = None, key_source: AbstractKeySource | None = None,
                 intake_url: str | None = None, resolver: AbstractResolver | None = None,
                 config: PartnersConfig | None = None, mail_transport: AbstractTransport | None = None,
                 shared_files: AbstractSharedFiles | None = None):
        self.settings = settings or Settings.from_env("partners")
        self.config = config = config or PartnersConfig.from_env(self.settings)
        logs.configure()
        self.clock = clock or SystemClock()
        store.connect(self.settings, ALIAS)
        self.publisher = publisher or Publisher(self.settings.kafka_bootstrap_servers, "homeward-partners")
        # the local keys are also what partners publishes as its JWKS
        self.public_keys = trusted_public_keys(self.settings)
        # tokens revoked before their expiry are refused at once (shared.revocations)
        self.revocations = Revocations(Revocation, config.revocation_refresh_seconds)
        self.verifier = verifier_for(self.settings, self.public_keys, revoked=self.revocations.ended)
        self.idempotency = IdempotencyStore(IdempotencyKey, self.settings.idempotency_ttl_seconds)
        self.audit = AuditLog(AuditEntry, self.settings.audit_retention_days)
        self.issuer = None  # a worker without the signing key issues no tokens and needs none
        if self.settings.jwt_signing_key_file:
            key = load_private_key(self.settings.jwt_signing_key_file, create_dev_key=not self.settings.production)
            self.issuer = TokenIssuer(key, self.settings.jwt_issuer, self.settings.token_ttl_seconds)
        self.relay = OutboxRelay([Handover, Partner], self.publisher, sweep_seconds=self.settings.outbox_sweep_seconds)
        self.repo = PartnersRepository(notify=self.relay.notify)
        intake_url = intake_url or config.intake_url
        key_source = key_source or IntakeKeySource(intake_url, self.issuer)
        targets = TargetPolicy(resolver or SystemResolver(), allow_private=config.allow_private_targets)
        self.access = AccessEnds(self.revocations, self.repo, self.clock)
        # mail to the organisations' people: queued with its cause, sent by the worker (shared.mail)
        self.mail_settings = mail_settings = config.mail
        self.mails = MailRepository(Mail, [Handover], MailDigestRun)
        transport = mail_transport or (SmtpTransport(mail_settings) if mail_settings.host else None)
        self.mail_sender = MailSender(self.mails, transport, self.clock, mail_settings,
                                      digest_link={lang: f"{config.portal_url}/" for lang in ("en", "fr")})
        self.deps = Deps(self.repo, self.clock, self.issuer, key_source, targets,
                         secret_overlap=timedelta(hours=config.webhook_secret_overlap_hours),
                         access=self.access, mail=PartnerMail(PeopleRepository(), config.portal_url),
                         shared_files=shared_files or IntakeSharedFiles(intake_url, self.issuer))
        # guessing client secrets: per client id and address, and per client id over all addresses
        # (100 in 10 minutes), beyond which only addresses that obtained a token recently carry on
        self.token_throttle = GuessThrottle(self.clock)
        self.people = People(PeopleRepository(), self.repo, self.clock, self.issuer,  # an organisation's people
                             access=self.access)
        # passwords and invitation codes: per user name and address only. A person signs in from phones on
        # changing networks (no "own address" to keep working), so a limit over all addresses would let a
        # stranger lock the person out (issue 22)
        self.people_throttle = GuessThrottle(self.clock, spread=None)
        dummy_hash(), domain.dummy_secret_hash()  # made now: an unknown name or client id costs one check, ever
        # X-Forwarded-For is anyone's to write: honoured only behind this many known proxies (0: never)
        self.trusted_proxy_hops = config.trusted_proxy_hops
        self.public_url = config.public_url  # the OAuth issuer (RFC 8414)
        self.offer_expiry_days = config.offer_expiry_days
        self.partner_retention_days = config.partner_retention_days
        self.webhooks = WebhookRelay(self.repo, self.clock, notifier or WebhookNotifier(targets),
                                     sweep_seconds=self.settings.outbox_sweep_seconds,
                                     workers=config.webhook_workers,
                                     pause_after=timedelta(hours=config.webhook_pause_after_hours))
        self.background = Background(
            self.settings, self.publisher, self.relay, [topics.RETURNEES, topics.MONITORING],  # MONITORING: reminders
            dispatcher(HANDLERS, self.deps),
            periodic=[housekeeping(self.settings, self.idempotency, self.audit),
                      ("webhooks", config.webhook_interval_seconds, self.webhooks.tick),
                      ("handover-expiry", self.settings.scheduler_interval_seconds, self.expire_offers),
                      ("mail", mail_settings.interval_seconds, self.mail_sender.tick),
                      ("mail-digest", mail_settings.interval_seconds, self.mail_sender.digest),
                      ("open-sealed", self.settings.scheduler_interval_seconds, lambda: open_sealed_personal(self.deps)),
                      ("copy-retention", self.settings.housekeeping_interval_seconds, self.expire_copies),
                      ("partner-sessions", self.settings.housekeeping_interval_seconds,
                       self.people.forget_expired_sessions)],
            gauges=lambda: {"webhook_endpoints_paused": len(self.repo.paused_partners()), **self.mails.gauges()})

    def runtime(self) -> Runtime:
        return service_runtime(self, ALIAS)

    def expire_copies(self) -> int:
        """Delete the personal data of copies PARTNER_RETENTION_DAYS after monitoring ended (retention)."""
        return delete_expired_copies(self.deps, self.partner_retention_days)

    def expire_offers(self) -> None:
        """Warn of offers about to expire, and expire those left unanswered for HANDOVER_EXPIRY_DAYS (default 14)."""
        warn_expiring_offers(self.deps, self.offer_expiry_days)
        expire_stale_offers(self.deps, self.offer_expiry_days)


def bootstrap(**overrides) -> PartnersService:
    return PartnersService(**overrides)
