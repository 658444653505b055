"""The partners service's own settings, read once from the environment in bootstrap (frozen).

The settings every service shares (store, broker, tokens, production checks) are `shared.config.Settings`.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field

from services.partners.retention import DEFAULT_PARTNER_RETENTION_DAYS
from shared.config import ConfigError, Settings, env_float, env_int
from shared.mail.smtp import MailSettings

ALLOW_PRIVATE_TARGETS = "WEBHOOK_ALLOW_PRIVATE_TARGETS"


@dataclass(frozen=True)
class PartnersConfig:
    intake_url: str = "http://127.0.0.1:8001"  # sealing keys of personal data (INTAKE_URL)
    public_url: str = ""  # the OAuth issuer's public address (PARTNERS_PUBLIC_URL, RFC 8414)
    allow_private_targets: bool = False  # webhooks to loopback and private addresses (development and tests)
    revocation_refresh_seconds: float = 1.0
    webhook_secret_overlap_hours: float = 24.0
    trusted_proxy_hops: int = 0  # X-Forwarded-For is honoured only behind this many known proxies
    offer_expiry_days: int = 14
    partner_retention_days: int = DEFAULT_PARTNER_RETENTION_DAYS
    webhook_workers: int = 8
    webhook_pause_after_hours: float = 24.0
    webhook_interval_seconds: float = 1.0
    portal_url: str = "http://127.0.0.1:8004"  # the partner portal the mails link to (PORTAL_URL)
    mail: MailSettings = field(default_factory=MailSettings)  # SMTP_HOST, SMTP_PORT, ... (shared.mail.smtp)

    @classmethod
    def from_env(cls, settings: Settings, environ=None) -> "PartnersConfig":
        env = environ if environ is not None else os.environ
        allow_private = env.get(ALLOW_PRIVATE_TARGETS, "") == "1"
        if allow_private and settings.production:
            raise ConfigError(f"{ALLOW_PRIVATE_TARGETS}=1 is for development and tests; production refuses it.")
        return cls(intake_url=env.get("INTAKE_URL", "") or cls.intake_url,
                   public_url=env.get("PARTNERS_PUBLIC_URL", "").rstrip("/"),
                   allow_private_targets=allow_private,
                   revocation_refresh_seconds=env_float("REVOCATION_REFRESH_SECONDS", cls.revocation_refresh_seconds, env),
                   webhook_secret_overlap_hours=env_float("WEBHOOK_SECRET_OVERLAP_HOURS",
                                                          cls.webhook_secret_overlap_hours, env),
                   trusted_proxy_hops=env_int("TRUSTED_PROXY_HOPS", cls.trusted_proxy_hops, env),
                   offer_expiry_days=env_int("HANDOVER_EXPIRY_DAYS", cls.offer_expiry_days, env),
                   partner_retention_days=env_int("PARTNER_RETENTION_DAYS", cls.partner_retention_days, env),
                   webhook_workers=env_int("WEBHOOK_WORKERS", cls.webhook_workers, env),
                   webhook_pause_after_hours=env_float("WEBHOOK_PAUSE_AFTER_HOURS", cls.webhook_pause_after_hours, env),
                   webhook_interval_seconds=env_float("WEBHOOK_INTERVAL_SECONDS", cls.webhook_interval_seconds, env),
                   portal_url=(env.get("PORTAL_URL", "") or cls.portal_url).rstrip("/"),
                   mail=MailSettings.from_env(env))
