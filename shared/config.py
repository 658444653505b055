"""Settings from the environment: one frozen dataclass, defaults that work locally.

Each service builds `Settings.from_env("<service>")` and may read extra domain settings of its own.
Production mode (`HOMEWARD_ENV=production`) refuses the development defaults that would be unsafe.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path

DEV_SIGNING_KEY_FILE = "var/dev-signing-key.pem"


class ConfigError(RuntimeError):
    """The environment asks for something this service will not run with."""


def env_int(name: str, default: int, environ=None) -> int:
    raw = (environ if environ is not None else os.environ).get(name, "")
    return int(raw) if raw.strip() else default


def env_float(name: str, default: float, environ=None) -> float:
    raw = (environ if environ is not None else os.environ).get(name, "")
    return float(raw) if raw.strip() else default


def env_list(name: str, environ=None) -> tuple[str, ...]:
    raw = (environ if environ is not None else os.environ).get(name, "")
    return tuple(part.strip() for part in raw.split(",") if part.strip())


def metrics_token(env) -> str:
    """METRICS_TOKEN, or the contents of the file METRICS_TOKEN_FILE names: the bearer token `/metrics` asks
    for (`shared.metrics`); none: open in development, not served in production."""
    path = env.get("METRICS_TOKEN_FILE", "")
    if path:
        try:
            return Path(path).read_text(encoding="utf-8").strip()
        except OSError as error:
            raise ConfigError(f"METRICS_TOKEN_FILE {path}: {error.strerror}") from error
    return env.get("METRICS_TOKEN", "")


@dataclass(frozen=True)
class Settings:
    service: str
    environment: str = "development"
    mongodb_uri: str = ""  # empty: in-process mongomock store (embedded mode, tests)
    mongodb_db: str = ""
    kafka_bootstrap_servers: str = "127.0.0.1:9092"
    kafka_group_id: str = ""
    # Tansu holds JoinGroup for half the session timeout; real Kafka refuses sessions below 6 s.
    kafka_session_timeout_ms: int = 2000
    kafka_heartbeat_interval_ms: int = 500
    kafka_max_poll_interval_ms: int = 300_000
    kafka_topic_prefix: str = ""
    dlt_max_attempts: int = 3
    relay_interval_seconds: float = 0.2
    relay_linger_seconds: float = 0.02  # a woken relay waits this long to batch the events arriving together
    scheduler_interval_seconds: float = 2.0
    embedded_workers: bool = False  # run consumer/relay/scheduler as threads inside the API process
    jwt_signing_key_file: str = ""
    jwt_issuer: str = "homeward"
    jwt_trusted_issuers: tuple[str, ...] = ("homeward",)
    jwt_jwks_urls: tuple[str, ...] = ()
    jwt_verification_key_files: tuple[str, ...] = ()  # retired keys still trusted during a rotation
    token_ttl_seconds: int = 900
    idempotency_ttl_seconds: int = 86_400
    suppression_k: int = 5
    rate_limit_per_minute: int = 6000  # requests per client and process; 0 turns it off
    write_concern_majority: bool = False
    audit_retention_days: int = 365
    housekeeping_interval_seconds: float = 3600.0  # expiry of idempotency keys, pruning of the audit log
    # a full sweep for pending outbox events: every round on MongoDB (indexed), rarely in memory (a scan)
    outbox_sweep_seconds: float = 30.0
    metrics_token: str = ""  # what /metrics asks for (shared.metrics)

    @property
    def production(self) -> bool:
        return self.environment == "production"

    def topic(self, name: str) -> str:
        return f"{self.kafka_topic_prefix}{name}"

    @classmethod
    def from_env(cls, service: str, environ=None) -> "Settings":
        env = environ if environ is not None else os.environ
        environment = env.get("HOMEWARD_ENV", "development")
        prod = environment == "production"
        settings = cls(
            service=service,
            environment=environment,
            mongodb_uri=env.get("MONGODB_URI", ""),
            mongodb_db=env.get("MONGODB_DB", "") or f"homeward_{service}",
            kafka_bootstrap_servers=env.get("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092"),
            kafka_group_id=env.get("KAFKA_GROUP_ID", "") or f"homeward-{service}",
            kafka_session_timeout_ms=env_int("KAFKA_SESSION_TIMEOUT_MS", 10_000 if prod else 2000, env),
            kafka_heartbeat_interval_ms=env_int("KAFKA_HEARTBEAT_INTERVAL_MS", 3000 if prod else 500, env),
            kafka_max_poll_interval_ms=env_int("KAFKA_MAX_POLL_INTERVAL_MS", 300_000, env),
            kafka_topic_prefix=env.get("KAFKA_TOPIC_PREFIX", ""),
            dlt_max_attempts=env_int("DLT_MAX_ATTEMPTS", 3, env),
            relay_interval_seconds=env_float("RELAY_INTERVAL_SECONDS", 1.0 if prod else 0.2, env),
            relay_linger_seconds=env_float("RELAY_LINGER_SECONDS", 0.02, env),
            scheduler_interval_seconds=env_float("SCHEDULER_INTERVAL_SECONDS", 60.0 if prod else 2.0, env),
            embedded_workers=env.get("EMBEDDED_WORKERS", "0") == "1",
            jwt_signing_key_file=env.get("JWT_SIGNING_KEY_FILE", "" if prod else DEV_SIGNING_KEY_FILE),
            jwt_issuer=env.get("JWT_ISSUER", "homeward"),
            jwt_trusted_issuers=env_list("JWT_TRUSTED_ISSUERS", env) or (env.get("JWT_ISSUER", "homeward"),),
            jwt_jwks_urls=env_list("JWT_JWKS_URLS", env),
            jwt_verification_key_files=env_list("JWT_VERIFICATION_KEY_FILES", env),
            token_ttl_seconds=min(env_int("TOKEN_TTL_SECONDS", 600 if prod else 900, env), 900),
            idempotency_ttl_seconds=max(env_int("IDEMPOTENCY_TTL_SECONDS", 86_400, env), 86_400),
            suppression_k=max(env_int("SUPPRESSION_K", 5, env), 2),
            rate_limit_per_minute=max(env_int("RATE_LIMIT_PER_MINUTE", 6000, env), 0),
            write_concern_majority=prod or env.get("MONGODB_WRITE_CONCERN_MAJORITY", "0") == "1",
            audit_retention_days=max(env_int("AUDIT_RETENTION_DAYS", 365, env), 1),
            housekeeping_interval_seconds=env_float("HOUSEKEEPING_INTERVAL_SECONDS", 3600.0 if prod else 60.0, env),
            outbox_sweep_seconds=env_float("OUTBOX_SWEEP_SECONDS", 0.0 if env.get("MONGODB_URI") else 30.0, env),
            metrics_token=metrics_token(env),
        )
        settings.check()
        return settings

    def check(self) -> None:
        """Refuse unsafe combinations: production never runs on development defaults."""
        if not self.production:
            return
        problems = []
        if not self.mongodb_uri:
            problems.append("MONGODB_URI is required (the in-memory store loses everything)")
        if self.embedded_workers:
            problems.append("EMBEDDED_WORKERS=1 is a development mode")
        key = self.jwt_signing_key_file
        if key and Path(key).as_posix().endswith(DEV_SIGNING_KEY_FILE):
            problems.append("JWT_SIGNING_KEY_FILE points at the development key")
        if key and Path(key).exists() and Path(key).read_bytes().startswith(b"# homeward development key"):
            problems.append("JWT_SIGNING_KEY_FILE holds a development key")
        if not key and not self.jwt_jwks_urls:
            problems.append("set JWT_SIGNING_KEY_FILE or JWT_JWKS_URLS so tokens can be verified")
        if self.kafka_session_timeout_ms < 6000:
            problems.append("KAFKA_SESSION_TIMEOUT_MS below 6000 is refused by Apache Kafka")
        if problems:
            raise ConfigError("production settings refused: " + "; ".join(problems))

    def with_(self, **changes) -> "Settings":
        return replace(self, **changes)
