"""The partner portal's settings: one frozen dataclass from the environment, defaults that work locally."""
from __future__ import annotations

import os
from dataclasses import dataclass, replace

from shared.config import ConfigError, env_int, metrics_token
from shared.pages.settings import secret_key, secret_problems, time_zone

DEV_SECRET = "homeward-portal-development-secret-do-not-use"


@dataclass(frozen=True)
class PortalSettings:
    environment: str = "development"
    mongodb_uri: str = ""  # empty: in-process mongomock store
    mongodb_db: str = "homeward_portal"
    partners_url: str = "http://127.0.0.1:8002"
    monitoring_url: str = "http://127.0.0.1:8003"
    public_url: str = "http://127.0.0.1:8004"  # where invitation links point
    secret_key: str = DEV_SECRET
    session_idle_minutes: int = 60
    session_max_hours: int = 12
    default_locale: str = "en"  # before the organisation is known, when the browser asks for none we have
    time_zone: str = "UTC"
    api_timeout_seconds: float = 10.0
    due_days: int = 14  # the home page lists check-ins due within this many days, and the late ones
    metrics_token: str = ""  # what /metrics asks for (shared.metrics)

    @property
    def production(self) -> bool:
        return self.environment == "production"

    @property
    def secure_cookies(self) -> bool:
        return self.environment != "development"

    @classmethod
    def from_env(cls, environ=None) -> "PortalSettings":
        env = environ if environ is not None else os.environ
        prod = env.get("HOMEWARD_ENV", "development") == "production"
        settings = cls(
            environment=env.get("HOMEWARD_ENV", "development"),
            mongodb_uri=env.get("MONGODB_URI", ""),
            mongodb_db=env.get("MONGODB_DB", "") or "homeward_portal",
            partners_url=env.get("PARTNERS_URL", "http://127.0.0.1:8002").rstrip("/"),
            monitoring_url=env.get("MONITORING_URL", "http://127.0.0.1:8003").rstrip("/"),
            public_url=env.get("PORTAL_URL", "http://127.0.0.1:8004").rstrip("/"),
            secret_key=secret_key(env, "PORTAL_SECRET_KEY", "PORTAL_SECRET_KEY_FILE", prod, DEV_SECRET),
            session_idle_minutes=env_int("PORTAL_SESSION_IDLE_MINUTES", 60, env),
            session_max_hours=env_int("PORTAL_SESSION_MAX_HOURS", 12, env),
            default_locale=env.get("PORTAL_DEFAULT_LOCALE", "") or "en",
            time_zone=time_zone(env.get("PORTAL_TIME_ZONE", "") or "UTC", "PORTAL_TIME_ZONE"),
            due_days=env_int("PORTAL_DUE_DAYS", 14, env),
            metrics_token=metrics_token(env),
        )
        settings.check()
        return settings

    def check(self) -> None:
        """Production never runs on the development secret or the in-memory store."""
        if not self.production:
            return
        problems = [] if self.mongodb_uri else ["MONGODB_URI is required"]
        problems += secret_problems(self.secret_key, DEV_SECRET, "PORTAL_SECRET_KEY")
        if problems:
            raise ConfigError("production settings refused: " + "; ".join(problems))

    def with_(self, **changes) -> "PortalSettings":
        return replace(self, **changes)
