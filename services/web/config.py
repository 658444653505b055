"""The web app's settings: one frozen dataclass from the environment, defaults that work locally."""
from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from shared.config import ConfigError, Settings, env_int, metrics_token
from shared.mail.smtp import MailSettings

DEV_WEB_KEY_FILE = "var/dev-web-signing-key.pem"
DEV_SECRET = "homeward-development-secret-do-not-use"


def _secret_key(env, prod: bool) -> str:
    """WEB_SECRET_KEY, or the contents of the file WEB_SECRET_KEY_FILE names (a mounted secret)."""
    path = env.get("WEB_SECRET_KEY_FILE", "")
    if path:
        try:
            with open(path, encoding="utf-8") as fh:
                return fh.read().strip()
        except OSError as error:
            raise ConfigError(f"WEB_SECRET_KEY_FILE {path}: {error.strerror}") from error
    return env.get("WEB_SECRET_KEY", "" if prod else DEV_SECRET)


def _teams(raw: str) -> tuple:
    """WEB_MAIL_TEAMS: `office=address,office=address`: the team address per office that hears what its
    consultants hear (services.web.notifications.rules)."""
    teams = []
    for part in filter(None, (p.strip() for p in raw.split(","))):
        office, _, address = part.partition("=")
        if not office.strip() or "@" not in address:
            raise ConfigError(f"WEB_MAIL_TEAMS: {part!r} is not office=address")
        teams.append((office.strip(), address.strip()))
    return tuple(teams)


def _kafka(env, prod: bool) -> Settings:
    """The broker settings of the notifications consumer (group `homeward-web`), as the services read them."""
    return Settings(service="web", environment=env.get("HOMEWARD_ENV", "development"),
                    kafka_bootstrap_servers=env.get("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092"),
                    kafka_group_id=env.get("KAFKA_GROUP_ID", "") or "homeward-web",
                    kafka_topic_prefix=env.get("KAFKA_TOPIC_PREFIX", ""),
                    kafka_session_timeout_ms=env_int("KAFKA_SESSION_TIMEOUT_MS", 10_000 if prod else 2000, env),
                    kafka_heartbeat_interval_ms=env_int("KAFKA_HEARTBEAT_INTERVAL_MS", 3000 if prod else 500, env),
                    dlt_max_attempts=env_int("DLT_MAX_ATTEMPTS", 3, env),
                    embedded_workers=env.get("EMBEDDED_WORKERS", "0") == "1")


def _time_zone(name: str) -> str:
    """An IANA time zone name (Europe/Amsterdam), checked."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ConfigError(f"WEB_TIME_ZONE {name!r} is not a time zone (e.g. Europe/Amsterdam)") from error
    return name


@dataclass(frozen=True)
class WebSettings:
    environment: str = "development"
    mongodb_uri: str = ""  # empty: in-process mongomock store
    mongodb_db: str = "homeward_web"
    intake_url: str = "http://127.0.0.1:8001"
    partners_url: str = "http://127.0.0.1:8002"
    monitoring_url: str = "http://127.0.0.1:8003"
    public_url: str = "http://127.0.0.1:8000"  # WEB_URL: the address staff open, where staff mails link to
    secret_key: str = DEV_SECRET
    jwt_signing_key_file: str = DEV_WEB_KEY_FILE
    jwt_issuer: str = "homeward"
    api_token_ttl_seconds: int = 300
    session_idle_minutes: int = 30
    session_max_hours: int = 10
    signin_free_failures: int = 5  # wrong passwords per account and address before each attempt waits
    signin_account_failures: int = 20  # per account in 10 minutes, then only addresses that signed in before
    signin_concurrent_checks: int = 2  # password checks at once per process; beyond, 429 at once
    trusted_proxy_hops: int = 0  # proxies in front that append to X-Forwarded-For (0: the header is ignored)
    default_locale: str = "nl"
    time_zone: str = "Europe/Amsterdam"  # the organisation's: every time on the pages is shown in it
    oidc_issuer: str = ""  # set: staff sign in through the organisation's identity provider
    oidc_client_id: str = ""
    oidc_client_secret: str = ""
    oidc_role_claim: str = "homeward_role"
    api_timeout_seconds: float = 10.0
    vocabulary_recheck_seconds: float = 300.0  # how long a copy of the services' code lists is used unasked
    seed_staff_file: str = ""  # development: demo accounts to create at start (make run writes it)
    metrics_token: str = ""  # what /metrics asks for (shared.metrics)
    kafka: Settings = field(default_factory=lambda: Settings(service="web", kafka_group_id="homeward-web"))
    mail: MailSettings = field(default_factory=MailSettings)  # SMTP_HOST, ... (shared.mail.smtp)
    mail_teams: tuple = ()  # (office, address) pairs: WEB_MAIL_TEAMS

    @property
    def production(self) -> bool:
        return self.environment == "production"

    @property
    def oidc(self) -> bool:
        return bool(self.oidc_issuer)

    @classmethod
    def from_env(cls, environ=None, worker: bool = False) -> "WebSettings":
        """`worker`: the notifications worker's (services.web.worker), checked for what it uses only."""
        env = environ if environ is not None else os.environ
        prod = env.get("HOMEWARD_ENV", "development") == "production"
        settings = cls(
            environment=env.get("HOMEWARD_ENV", "development"),
            mongodb_uri=env.get("MONGODB_URI", ""),
            mongodb_db=env.get("MONGODB_DB", "") or "homeward_web",
            intake_url=env.get("INTAKE_URL", "http://127.0.0.1:8001").rstrip("/"),
            partners_url=env.get("PARTNERS_URL", "http://127.0.0.1:8002").rstrip("/"),
            monitoring_url=env.get("MONITORING_URL", "http://127.0.0.1:8003").rstrip("/"),
            public_url=env.get("WEB_URL", "http://127.0.0.1:8000").rstrip("/"),
            secret_key=_secret_key(env, prod),
            jwt_signing_key_file=env.get("WEB_JWT_SIGNING_KEY_FILE", "" if prod else DEV_WEB_KEY_FILE),
            jwt_issuer=env.get("JWT_ISSUER", "homeward"),
            api_token_ttl_seconds=min(env_int("WEB_API_TOKEN_TTL_SECONDS", 300, env), 900),
            session_idle_minutes=env_int("WEB_SESSION_IDLE_MINUTES", 30, env),
            session_max_hours=env_int("WEB_SESSION_MAX_HOURS", 10, env),
            signin_free_failures=env_int("WEB_SIGNIN_FREE_FAILURES", 5, env),
            signin_account_failures=env_int("WEB_SIGNIN_ACCOUNT_FAILURES", 20, env),
            signin_concurrent_checks=max(1, env_int("WEB_SIGNIN_CONCURRENT_CHECKS", 2, env)),
            trusted_proxy_hops=env_int("TRUSTED_PROXY_HOPS", 0, env),
            default_locale=env.get("WEB_DEFAULT_LOCALE", "nl"),
            time_zone=_time_zone(env.get("WEB_TIME_ZONE", "") or "Europe/Amsterdam"),
            oidc_issuer=env.get("OIDC_ISSUER", "").rstrip("/"),
            oidc_client_id=env.get("OIDC_CLIENT_ID", ""),
            oidc_client_secret=env.get("OIDC_CLIENT_SECRET", ""),
            oidc_role_claim=env.get("OIDC_ROLE_CLAIM", "homeward_role"),
            vocabulary_recheck_seconds=env_int("WEB_VOCABULARY_RECHECK_SECONDS", 300, env),
            seed_staff_file="" if prod else env.get("WEB_SEED_STAFF_FILE", ""),
            metrics_token=metrics_token(env),
            kafka=_kafka(env, prod),
            mail=MailSettings.from_env(env),
            mail_teams=_teams(env.get("WEB_MAIL_TEAMS", "")),
        )
        settings.check(worker)
        return settings

    def check(self, worker: bool = False) -> None:
        """Production never runs on the development secret, key or in-memory store. The notifications worker
        reads the store, the broker, the SMTP settings, WEB_MAIL_TEAMS and WEB_URL (its mails' links): it
        signs no cookie and no token, so it needs neither WEB_SECRET_KEY nor WEB_JWT_SIGNING_KEY_FILE."""
        if not self.production:
            return
        problems = []
        if not self.mongodb_uri:
            problems.append("MONGODB_URI is required")
        if not worker:
            problems += self._app_problems()
        if problems:
            raise ConfigError("production settings refused: " + "; ".join(problems))

    def _app_problems(self) -> list[str]:
        """What the web app itself (cookies, staff tokens) refuses in production."""
        problems = []
        if not self.secret_key or self.secret_key == DEV_SECRET:
            problems.append("WEB_SECRET_KEY (or WEB_SECRET_KEY_FILE) is required")
        elif len(self.secret_key) < 32:
            problems.append("WEB_SECRET_KEY must be at least 32 characters")
        if not self.jwt_signing_key_file or self.jwt_signing_key_file.endswith(DEV_WEB_KEY_FILE):
            problems.append("WEB_JWT_SIGNING_KEY_FILE is required (not the development key)")
        return problems

    def with_(self, **changes) -> "WebSettings":
        return replace(self, **changes)
